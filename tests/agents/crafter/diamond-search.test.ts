/**
 * Diamond-search options of the kg-planner (off by default): the diamond pull (frontiers near a known diamond gain
 * before the iron pickaxe) and the tunnel drive (straight on through rock while the view's edge is mountain).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIRS, Id, LocalMap, SIDE } from '../../../agents/crafter/local-map.js';
import { diamondPull } from '../../../agents/crafter/diamond-pull.js';
import { TunnelDrive, lineScore } from '../../../agents/crafter/tunnel-drive.js';

const fill = (m: LocalMap, x0: number, y0: number, x1: number, y1: number, mat: number) => {
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) m.mat[m.idx(x, y)] = mat;
};
const ALL = [0, 0, SIDE - 1, SIDE - 1] as const;
const UP = DIRS.findIndex(([dx, dy]) => dx === 0 && dy === -1);
const DOWN = DIRS.findIndex(([dx, dy]) => dx === 0 && dy === 1);

test('diamondPull: null without a diamond; highest at the diamond, falling to 0 at the radius', () => {
  const m = new LocalMap();
  assert.equal(diamondPull(m, { gain: 10 }), null);
  m.mat[m.idx(m.x + 5, m.y)] = Id.diamond;
  const p = diamondPull(m, { gain: 10, radius: 10 })!;
  assert.equal(p[m.idx(m.x + 5, m.y)], 10);
  assert.equal(p[m.idx(m.x + 5, m.y + 5)], 5);
  assert.equal(p[m.idx(m.x + 5, m.y + 10)], 0);
  assert.equal(p[m.idx(m.x - 20, m.y)], 0);
});

test('lineScore: the view edge up is rock and the row beyond unseen; down is grass', () => {
  const m = new LocalMap();
  fill(m, m.x - 4, m.y - 3, m.x + 4, m.y, Id.stone); // upper half of the view: rock
  fill(m, m.x - 4, m.y + 1, m.x + 4, m.y + 3, Id.grass);
  m.mat[m.idx(m.x, m.y)] = Id.path;
  const up = lineScore(m, m.x, m.y, UP, ALL);
  assert.equal(up.rock, 1);
  assert.equal(up.unseen, 1);
  const down = lineScore(m, m.x, m.y, DOWN, ALL);
  assert.equal(down.rock, 0);
  fill(m, m.x - 4, m.y - 4, m.x + 4, m.y - 4, Id.stone);
  assert.equal(lineScore(m, m.x, m.y, UP, ALL).unseen, 0, 'a seen row beyond is not worth the dig');
  fill(m, m.x - 4, m.y + 3, m.x + 4, m.y + 3, Id.path); // a natural tunnel along the lower edge
  assert.equal(lineScore(m, m.x, m.y, DOWN, ALL).rock, 1, 'a natural tunnel is mountain');
  assert.equal(lineScore(m, m.x, m.y, DOWN, ALL, false).rock, 0, 'unless tunnels do not count');
  for (let x = m.x - 4; x <= m.x + 4; x++) m.dug[m.idx(x, m.y + 3)] = 1;
  assert.equal(lineScore(m, m.x, m.y, DOWN, ALL).rock, 0, 'a path the agent dug is not');
});

test('TunnelDrive: goes up into the rock, keeps going, never into lava, stops when the mountain ends', () => {
  const m = new LocalMap();
  fill(m, m.x - 4, m.y - 3, m.x + 4, m.y, Id.stone);
  fill(m, m.x - 4, m.y + 1, m.x + 4, m.y + 3, Id.grass);
  m.mat[m.idx(m.x, m.y)] = Id.path;
  const mineable = new Set<number>([Id.stone, Id.coal, Id.iron, Id.diamond]);
  const drive = new TunnelDrive(m);
  assert.equal(drive.choose(mineable, ALL), UP);
  assert.equal(drive.stepCell(UP), m.idx(m.x, m.y - 1));
  assert.equal(drive.choose(new Set(), ALL), -1, 'without a pickaxe the rock ahead cannot be dug');
  m.mat[m.idx(m.x, m.y - 1)] = Id.lava;
  assert.notEqual(drive.choose(mineable, ALL), UP, 'never into lava');
  m.mat[m.idx(m.x, m.y - 1)] = Id.stone;
  const strict = new TunnelDrive(m, { minRock: 0.9 });
  assert.equal(strict.choose(mineable, ALL), UP, 'only up is rock all along the edge');
  fill(m, m.x - 4, m.y - 3, m.x, m.y - 3, Id.grass); // the edge turns to grass: the mountain ends
  assert.equal(strict.choose(mineable, ALL), -1);
});
