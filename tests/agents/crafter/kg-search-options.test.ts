/**
 * The kg-planner's search options: the search mass (unseen mountain-likely ground in a wide window pulls the frontier
 * choice), the tunnel gain (natural tunnels are walkable mountain interior) and `nearClaim` (a teammate's claim on an
 * iron cell next to us does not bind), the thirst thresholds and the diamond focus (needs wait for the diamond).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Id, LocalMap, SIDE } from '../../../agents/crafter/local-map.js';
import { exploreRoute } from '../../../agents/crafter/kg-explore.js';
import { radialPrior, searchMass } from '../../../agents/crafter/search-mass.js';
import { claimBinds } from '../../../agents/crafter/kg-team.js';
import { Thirst, needsWait } from '../../../agents/crafter/kg-thirst.js';

const fill = (m: LocalMap, x0: number, y0: number, x1: number, y1: number, mat: number) => {
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) m.mat[m.idx(x, y)] = mat;
};
const ALL = [0, 0, SIDE - 1, SIDE - 1] as const;

test('radialPrior: no mountain odds in the spawn area, full odds far out, rising in between', () => {
  assert.equal(radialPrior(5), 0);
  assert.equal(radialPrior(30), 0.35);
  const mid = radialPrior(17);
  assert.ok(mid > 0 && mid < 0.35, `between inner and outer the prior rises (${mid})`);
  assert.equal(radialPrior(30, { prior: 0.5 }), 0.5);
});

test('searchMass: unseen ground next to rock and far from the centre weighs more than unseen ground by grass', () => {
  const m = new LocalMap();
  const c = [m.x, m.y] as const;
  // A seen band around the centre: rock on the right (far from the centre), grass on the left.
  fill(m, c[0] - 30, c[1] - 3, c[0] - 20, c[1] + 3, Id.grass);
  fill(m, c[0] + 20, c[1] - 3, c[0] + 30, c[1] + 3, Id.stone);
  const mass = searchMass(m, { bounds: ALL, centre: c });
  const byRock = mass[m.idx(c[0] + 25, c[1])]!;
  const byGrass = mass[m.idx(c[0] - 25, c[1])]!;
  assert.ok(byRock > byGrass, `rock (${byRock.toFixed(1)}) should pull more than grass (${byGrass.toFixed(1)})`);
  // Within 7 cells of the centre is spawn area: the prior there is 0 and nothing remembered votes for rock.
  const small = searchMass(m, { bounds: ALL, centre: c, radius: 5 });
  assert.ok(small[m.idx(c[0], c[1])]! < 1e-9, 'the spawn area holds no expected mountain');
  assert.ok(small[m.idx(c[0] + 25, c[1])]! < byRock, 'a smaller window sums fewer cells');
});

test('exploreRoute: the search mass pulls to the frontier facing the unseen mountain, against the heading', () => {
  const m = new LocalMap();
  // A corridor of grass between water: the only frontiers are its two ends.
  fill(m, m.x - 8, m.y - 1, m.x + 8, m.y + 1, Id.water);
  fill(m, m.x - 8, m.y, m.x + 8, m.y, Id.grass);
  const base = { mineable: new Set<number>(), mountain: 0, bounds: ALL, heading: [1, 0] as const, headingGain: 0.3 };
  const plain = exploreRoute(m, base);
  assert.ok(plain !== null && plain.x > m.x, 'without the mass, the heading picks the right end');
  const mass = new Float64Array(SIDE * SIDE);
  for (let x = 0; x < m.x; x++) for (let y = 0; y < SIDE; y++) mass[x * SIDE + y] = 100;
  const pulled = exploreRoute(m, { ...base, mass, massGain: 0.1 });
  assert.ok(pulled !== null && pulled.x < m.x, 'with mass on the left, the left end wins');
});

test('exploreRoute: the tunnel gain prefers a natural tunnel into rock, not a tunnel the agent dug', () => {
  const m = new LocalMap();
  fill(m, m.x - 8, m.y - 1, m.x + 8, m.y + 1, Id.water);
  fill(m, m.x - 8, m.y, m.x + 8, m.y, Id.grass);
  fill(m, m.x - 8, m.y, m.x - 5, m.y, Id.path); // the left end is a tunnel
  const base = { mineable: new Set<number>(), mountain: 0, bounds: ALL, heading: [1, 0] as const, headingGain: 0.3 };
  const natural = exploreRoute(m, { ...base, tunnelGain: 8 });
  assert.ok(natural !== null && natural.x < m.x, 'the natural tunnel end wins with the tunnel gain');
  for (let x = m.x - 8; x <= m.x - 5; x++) m.dug[m.idx(x, m.y)] = 1;
  const dug = exploreRoute(m, { ...base, tunnelGain: 8 });
  assert.ok(dug !== null && dug.x > m.x, 'a path the agent dug itself earns nothing');
});

test('claimBinds: a teammate claim binds unless the target is within nearClaim', () => {
  assert.equal(claimBinds(false, 50, 0), false, 'no claim: free');
  assert.equal(claimBinds(true, 3, 0), true, 'nearClaim 0: claims always hold');
  assert.equal(claimBinds(true, 3, 12), false, 'a claimed cell next to us is ours to take');
  assert.equal(claimBinds(true, 30, 12), true, 'a far claimed cell stays the claimer\'s');
});

test('Thirst: walks to water at the threshold and drinks up to 8; sips only when water is that close', () => {
  const reach: number[] = [];
  // Water 10 steps away: reachable within 25, not within a sip's 2.
  const toWater = (cost: number) => (reach.push(cost), cost >= 10 ? 99 : null);
  const t = new Thirst();
  assert.equal(t.act(5, toWater), null, 'drink 5: go on with the plan');
  assert.equal(t.act(3, toWater), 99, 'drink 3: to the water');
  assert.equal(reach.at(-1), 25);
  assert.equal(t.act(6, toWater), 99, 'once drinking, drink up');
  assert.equal(t.act(8, toWater), null, 'drink 8: done');
  assert.equal(t.active, false);
  const lazy = new Thirst({ at: 1, sipAt: 6 });
  assert.equal(lazy.act(3, toWater), null, 'at 1: drink 3 does not send it 10 steps away');
  assert.equal(lazy.act(3, (cost) => (cost <= 2 ? 42 : null)), 42, 'but water within 2 steps is a sip');
  assert.equal(lazy.active, true, 'and it drinks up from there');
});

test('needsWait: water and food wait only with the iron pickaxe in hand, a diamond targeted and health to spare', () => {
  assert.equal(needsWait(true, true, 9), true, 'pickaxe, diamond, healthy: the diamond first');
  assert.equal(needsWait(false, true, 9), false, 'no pickaxe: the diamond cannot end the episode yet');
  assert.equal(needsWait(true, false, 9), false, 'no diamond known: needs as usual');
  assert.equal(needsWait(true, true, 3), false, 'health 3: needs come first again');
  assert.equal(needsWait(true, true, 3, 2), true, 'unless the floor is lower');
});
