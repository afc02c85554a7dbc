import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Id, LocalMap } from '../../agents/crafter/local-map.js';
import { search } from '../../agents/crafter/path-planner.js';

/** A 9x7 view of grass with the player in the middle and `objects` ([col, row, id]) drawn over it. */
function view(objects: [number, number, number][]): Uint8Array {
  const v = new Uint8Array(63).fill(Id.grass);
  v[3 * 9 + 4] = Id.player;
  for (const [c, r, id] of objects) v[r * 9 + c] = id;
  return v;
}

test('routes go around cells next to a zombie once hazards are marked', () => {
  const m = new LocalMap();
  m.record(view([[6, 3, Id.zombie]]), null);
  const goal = (x: number, y: number): boolean => x === m.x + 4 && y === m.y;
  const plain = search(m, goal)!;
  const nextToZombie = (i: number): boolean => {
    const x = Math.floor(i / 136) - (m.x + 2);
    const y = (i % 136) - m.y;
    return Math.abs(x) + Math.abs(y) === 1;
  };
  assert.ok(plain.cells.some(nextToZombie), 'the shortest route brushes past the zombie');
  m.markHazards(3, 0);
  const safe = search(m, goal)!;
  assert.deepEqual([safe.x, safe.y], [m.x + 4, m.y]);
  assert.ok(!safe.cells.some(nextToZombie), 'the route keeps a cell away from the zombie');
  // Marks are cleared when the zombie is gone.
  m.record(view([]), null);
  m.step++;
  m.markHazards(3, 0);
  assert.equal(m.hazard.reduce((a, b) => a + b, 0), 0);
});

test('cells in a skeleton\'s line of fire cost extra, up to a wall', () => {
  const m = new LocalMap();
  m.record(view([[0, 3, Id.skeleton], [2, 3, Id.stone]]), null);
  m.markHazards(0, 3);
  assert.equal(m.hazard[m.idx(m.x - 3, m.y)], 3, 'in the row of the skeleton');
  assert.equal(m.hazard[m.idx(m.x - 1, m.y)], 0, 'behind the stone');
  assert.equal(m.hazard[m.idx(m.x - 4, m.y - 2)], 3, 'in its column');
  assert.equal(m.hazard[m.idx(m.x - 1, m.y - 1)], 0, 'off its lines');
});
