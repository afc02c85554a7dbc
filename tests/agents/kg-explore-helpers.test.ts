/**
 * The kg-planner's exploration helpers: mountain odds (where unseen diamond ground is likely) and the stuck guard
 * (pacing between two cells is broken with free random steps; working in place is not pacing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Id, LocalMap, SIDE } from '../../agents/crafter/local-map.js';
import { mountainOdds } from '../../agents/crafter/mountain-odds.js';
import { StuckGuard } from '../../agents/crafter/stuck-guard.js';
import { A } from '../../agents/crafter/navigator.js';
import { Rng } from '../../core/rng.js';

const fill = (m: LocalMap, x0: number, y0: number, x1: number, y1: number, mat: number) => {
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) m.mat[m.idx(x, y)] = mat;
};

test('mountainOdds: unseen cells next to remembered rock are worth more than unseen cells next to grass', () => {
  const m = new LocalMap();
  // Seen: rock on the left half of a 20x20 patch, grass on the right; everything else unseen.
  fill(m, 40, 40, 49, 59, Id.stone);
  fill(m, 50, 40, 59, 59, Id.grass);
  const odds = mountainOdds(m, { bounds: [0, 0, SIDE - 1, SIDE - 1] });
  const nearRock = odds[m.idx(40, 38)]!; // a view from here shows unseen cells above the rock
  const nearGrass = odds[m.idx(59, 38)]!;
  assert.ok(nearRock > nearGrass, `a view above rock should expect more mountain (${nearRock}) than one above grass (${nearGrass})`);
  assert.ok(Math.abs(odds[m.idx(45, 50)]!) < 1e-9, 'a view inside the seen patch reveals no unseen cell (up to summed-area rounding)');
  const outside = mountainOdds(m, { bounds: [40, 40, 59, 59] });
  assert.equal(outside[m.idx(40, 38)], 0, 'cells outside the bounds are never scored');
});

test('StuckGuard: moves over two cells for a whole window trigger free random steps; work in place does not', () => {
  const m = new LocalMap();
  fill(m, m.x - 3, m.y - 3, m.x + 3, m.y + 3, Id.grass);
  const g = new StuckGuard(m, Rng.fromSeed(1), 8);
  // Working at a tree: `do` on one cell, then a turn: never pacing.
  for (let i = 0; i < 12; i++) assert.equal(g.check(i % 4 === 3 ? A.move : A.do), null, 'working in place is not pacing');
  // Pacing: left, right, left, right...
  let escape: number | null = null;
  for (let i = 0; i < 10 && escape === null; i++) {
    m.x += i % 2 === 0 ? -1 : 1;
    escape = g.check(A.move + (i % 2 === 0 ? 0 : 1));
  }
  assert.ok(escape !== null && escape >= A.move && escape < A.move + 4, 'pacing between two cells gets a move');
});
