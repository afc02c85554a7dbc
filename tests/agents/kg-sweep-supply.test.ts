/**
 * The kg-planner's mountain sweep (routes scored by the unseen mountain cells they reveal per step), the frontier
 * split between teammates in view, and the scouts' wood errands.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Id, LocalMap, SIDE } from '../../agents/crafter/local-map.js';
import { sweepRoute } from '../../agents/crafter/mountain-sweep.js';
import { unseenRockOdds } from '../../agents/crafter/mountain-odds.js';
import { exploreRoute } from '../../agents/crafter/kg-explore.js';
import { planShortfall, supplyTarget } from '../../agents/crafter/kg-supply.js';

const fill = (m: LocalMap, x0: number, y0: number, x1: number, y1: number, mat: number) => {
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) m.mat[m.idx(x, y)] = mat;
};

test('sweepRoute: heads into the mountain (a tunnel into rock), not out over the grass', () => {
  const m = new LocalMap();
  // Seen: grass around the agent; rock to the north with a tunnel going up; unseen beyond.
  fill(m, m.x - 6, m.y - 3, m.x + 6, m.y + 6, Id.grass);
  fill(m, m.x - 6, m.y - 9, m.x + 6, m.y - 4, Id.stone);
  fill(m, m.x, m.y - 9, m.x, m.y - 4, Id.path);
  const odds = unseenRockOdds(m, { bounds: [0, 0, SIDE - 1, SIDE - 1] });
  const r = sweepRoute(m, { mineable: new Set(), odds });
  assert.ok(r !== null, 'some route reveals unseen cells');
  assert.ok(r.y < m.y - 3, `the sweep should go up the tunnel into the rock, went to (${r.x - m.x}, ${r.y - m.y})`);
  const none = sweepRoute(m, { mineable: new Set(), odds: new Float64Array(SIDE * SIDE) });
  assert.equal(none, null, 'nothing to reveal: no route');
});

test('exploreRoute: a teammate in view takes the frontiers on its side', () => {
  const m = new LocalMap();
  // A corridor of grass between water: the only frontiers are its two ends.
  fill(m, m.x - 8, m.y - 1, m.x + 8, m.y + 1, Id.water);
  fill(m, m.x - 8, m.y, m.x + 8, m.y, Id.grass);
  const base = { mineable: new Set<number>(), mountain: 0, bounds: [0, 0, SIDE - 1, SIDE - 1] as const };
  const alone = exploreRoute(m, { ...base, heading: [1, 0], headingGain: 0.3 });
  assert.ok(alone !== null && alone.x > m.x, 'alone, the heading picks the right side');
  const split = exploreRoute(m, { ...base, heading: [1, 0], headingGain: 0.3, rivals: [[m.x + 2, m.y]] });
  assert.ok(split !== null && split.x < m.x, `with a teammate on the right, the left side is ours (went to ${split?.x === undefined ? '-' : split.x - m.x})`);
});

test('supplyTarget / planShortfall: scouts gather what crafters still need, capped, never for their own request', () => {
  assert.equal(planShortfall([{ recipe: 'collect_wood', times: 3 }, { recipe: 'make_table', times: 1 }, { recipe: 'collect_wood', times: 2 }], 'wood'), 5);
  const requests = new Map([['wood', new Map([['player_0', 5]])]]);
  assert.deepEqual(supplyTarget(requests, 'player_3', () => 0, 2), { item: 'wood', want: 2 });
  assert.equal(supplyTarget(requests, 'player_3', () => 2, 2), null, 'holding the capped amount: hand it over instead');
  assert.equal(supplyTarget(requests, 'player_0', () => 0, 2), null, 'own requests are not errands');
});
