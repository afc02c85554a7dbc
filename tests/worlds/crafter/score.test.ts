import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crafterScore, successRates } from '../../../worlds/crafter/score.js';

test('crafterScore: all 0 -> 0, all 100 -> 100, empty -> 0', () => {
  assert.equal(crafterScore(new Array(22).fill(0)), 0);
  assert.ok(Math.abs(crafterScore(new Array(22).fill(100)) - 100) < 1e-9);
  assert.equal(crafterScore([]), 0);
});

test('crafterScore: hand-computed mixed cases', () => {
  // Two rates 0 and 99: exp((ln 1 + ln 100) / 2) - 1 = sqrt(100) - 1 = 9.
  assert.ok(Math.abs(crafterScore([0, 99]) - 9) < 1e-9);
  // 3, 15, 63: (4 * 16 * 64)^(1/3) - 1 = 4096^(1/3) - 1 = 16 - 1 = 15.
  assert.ok(Math.abs(crafterScore([3, 15, 63]) - 15) < 1e-9);
  // One rate of 100 among 22 zeros: 101^(1/22) - 1.
  const one = [100, ...new Array(21).fill(0)];
  assert.ok(Math.abs(crafterScore(one) - (Math.pow(101, 1 / 22) - 1)) < 1e-12);
});

test('crafterScore refuses rates outside [0, 100]', () => {
  assert.throws(() => crafterScore([150]), /percent in \[0, 100\], got 150/);
  assert.throws(() => crafterScore([-1]), /got -1/);
  assert.throws(() => crafterScore([Number.NaN]), /got NaN/);
});

test('successRates: share of episodes with a count >= 1, in percent', () => {
  const eps = [
    { achievement_collect_wood: 3, achievement_place_table: 0 },
    { achievement_collect_wood: 1 },
    { achievement_collect_wood: 0, achievement_place_table: 1 },
    { achievement_collect_wood: 5, achievement_place_table: 2 },
  ];
  assert.deepEqual(successRates(eps, ['collect_wood', 'place_table', 'eat_cow']), { collect_wood: 75, place_table: 50, eat_cow: 0 });
  assert.deepEqual(successRates([], ['collect_wood']), { collect_wood: 0 });
});
