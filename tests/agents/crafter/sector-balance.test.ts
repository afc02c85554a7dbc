/**
 * The sector balance (option `sectors`, off by default): angular sectors around the world's centre, a bonus per cell
 * from its sector's unseen share, team split of the sectors, and the frontier choice it steers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Id, LocalMap, SIDE } from '../../../agents/crafter/local-map.js';
import { FrontierExplorer, exploreRoute } from '../../../agents/crafter/kg-explore.js';
import { Navigator } from '../../../agents/crafter/navigator.js';
import { Inv } from '../../../agents/crafter/tech-tree.js';
import { FRAME } from '../../../agents/crafter/kg-sync.js';
import { ownsSector, sectorBonus, sectorOf, sectorUnseen } from '../../../agents/crafter/sector-balance.js';

const fill = (m: LocalMap, x0: number, y0: number, x1: number, y1: number, mat: number) => {
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) m.mat[m.idx(x, y)] = mat;
};

test('sectorOf: no sector near the centre, opposite directions in different sectors, all sectors in range', () => {
  const c = [50, 50] as const;
  assert.equal(sectorOf(52, 51, c, 8, 6), -1, 'within inner: no sector');
  const east = sectorOf(70, 50, c, 8, 6);
  const west = sectorOf(30, 50, c, 8, 6);
  assert.notEqual(east, west);
  const seen = new Set<number>();
  for (let a = 0; a < 64; a++) seen.add(sectorOf(50 + Math.round(20 * Math.cos(a / 10)), 50 + Math.round(20 * Math.sin(a / 10)), c, 8, 6));
  assert.deepEqual([...seen].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7], 'a circle around the centre meets every sector');
});

test('sectorUnseen / sectorBonus: a combed-through sector weighs less; team-seen cells count as seen', () => {
  const m = new LocalMap();
  const c = [m.x, m.y] as const;
  const bounds = [c[0] - 20, c[1] - 20, c[0] + 20, c[1] + 20] as const;
  fill(m, c[0] + 6, c[1] - 20, c[0] + 20, c[1] + 20, Id.grass); // the east is seen
  const east = sectorOf(c[0] + 15, c[1], c, 4, 6);
  const west = sectorOf(c[0] - 15, c[1], c, 4, 6);
  const share = sectorUnseen(m, { gain: 10, count: 4, bounds, centre: c });
  assert.ok(share[east]! < 0.2, `the east sector is mostly seen (${share[east]!.toFixed(2)} unseen)`);
  assert.equal(share[west], 1, 'the west sector is wholly unseen');
  const bonus = sectorBonus(m, { gain: 10, count: 4, bounds, centre: c });
  assert.equal(bonus[m.idx(c[0] - 15, c[1])], 10);
  assert.ok(bonus[m.idx(c[0] + 15, c[1])]! < 2);
  assert.equal(bonus[m.idx(c[0], c[1])], 0, 'the centre belongs to no sector');
  const team = sectorUnseen(m, { gain: 10, count: 4, bounds, centre: c, seenByTeam: (x) => x <= c[0] });
  assert.equal(team[west], 0, 'what a teammate saw is seen');
});

test('ownsSector: without split every sector is ours; split hands each of 2 agents half of them', () => {
  assert.equal(ownsSector(5, 8, {}), true);
  assert.equal(ownsSector(5, 8, { split: true, member: [0, 1] }), true, 'a lone agent owns all');
  const a = [0, 1, 2, 3, 4, 5, 6, 7].filter((s) => ownsSector(s, 8, { split: true, member: [0, 2] }));
  const b = [0, 1, 2, 3, 4, 5, 6, 7].filter((s) => ownsSector(s, 8, { split: true, member: [1, 2] }));
  assert.deepEqual(a, [0, 1, 2, 3]);
  assert.deepEqual(b, [4, 5, 6, 7]);
  const m = new LocalMap();
  const c = [m.x, m.y] as const;
  const bonus = sectorBonus(m, { gain: 10, count: 8, bounds: [c[0] - 20, c[1] - 20, c[0] + 20, c[1] + 20], centre: c, split: true, member: [1, 2] });
  let owned = 0;
  for (let i = 0; i < bonus.length; i++) if (bonus[i]! > 0) owned++;
  assert.ok(owned > 500 && owned < 41 * 41 / 2 + 50, `about half the cells carry a bonus (${owned})`);
});

test('exploreRoute: the sector bonus sends the agent to the unseen side, against the heading', () => {
  const m = new LocalMap();
  // A corridor of grass between water: the only frontiers are its two ends.
  fill(m, m.x - 10, m.y - 1, m.x + 10, m.y + 1, Id.water);
  fill(m, m.x - 10, m.y, m.x + 10, m.y, Id.grass);
  const all = [0, 0, SIDE - 1, SIDE - 1] as const;
  const base = { mineable: new Set<number>(), mountain: 0, bounds: all, heading: [1, 0] as const, headingGain: 0.3 };
  const plain = exploreRoute(m, base);
  assert.ok(plain !== null && plain.x > m.x, 'without the bonus, the heading picks the right end');
  fill(m, m.x + 12, m.y - 30, m.x + 40, m.y + 30, Id.grass); // the east beyond the corridor is seen (its end stays a frontier)
  const bonus = sectorBonus(m, { gain: 20, count: 4, bounds: [m.x - 40, m.y - 40, m.x + 40, m.y + 40], centre: [m.x, m.y] });
  const pulled = exploreRoute(m, { ...base, bonus });
  assert.ok(exploreRoute(m, base)!.x > m.x, 'the right end is still a frontier the heading prefers');
  assert.ok(pulled !== null && pulled.x < m.x, 'with the east seen, the west end wins');
});

test('FrontierExplorer: the sector bonus acts only between `after` and `until`', () => {
  // A corridor of grass between water at the world's centre: its ends are the only frontiers. The east half of the
  // world (beyond the corridor's end) is seen, so only the sector bonus can send the agent west against its heading.
  const setup = () => {
    const m = new LocalMap();
    m.x = FRAME + 32;
    m.y = FRAME + 32;
    fill(m, m.x - 10, m.y - 1, m.x + 10, m.y + 1, Id.water);
    fill(m, m.x - 10, m.y, m.x + 10, m.y, Id.grass);
    fill(m, m.x + 12, FRAME, FRAME + 63, FRAME + 63, Id.grass);
    const ex = new FrontierExplorer(m, new Navigator(m, null), [1, 0], 0.3);
    return { m, ex };
  };
  const inv = new Int32Array(12);
  const west = 0; // DIRS[0] is (-1, 0): a move left
  const east = 1;
  const plain = setup();
  assert.equal(plain.ex.step(inv, true, new Set(), 0) - 1, east, 'without sectors the heading leads east');
  const on = setup();
  on.ex.sectors = { gain: 20, after: 'none', until: 'iron_pickaxe' };
  assert.equal(on.ex.step(inv, true, new Set(), 0) - 1, west, 'with sectors, before the iron pickaxe: west');
  const done = setup();
  done.ex.sectors = { gain: 20, after: 'none', until: 'iron_pickaxe' };
  const withPick = new Int32Array(12);
  withPick[Inv.iron_pickaxe] = 1;
  assert.equal(done.ex.step(withPick, true, new Set(), 0) - 1, east, 'once the iron pickaxe is in hand the bonus stops');
});
