import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/rng.js';
import { bfsDistances } from '../../../worlds/navigation/grid.js';
import { generateLayout } from '../../../worlds/navigation/layouts/index.js';
import { isPassable, Material, parseNavigationConfig } from '../../../worlds/navigation/index.js';
import { resolveMoves } from '../../../worlds/navigation/resolve-moves.js';

const layoutOf = (input: unknown, seed: number) => generateLayout(parseNavigationConfig(input), Rng.fromSeed(seed));

/** Non-wall cells, and pairs of 4-adjacent non-wall cells. */
function graph(cells: Uint8Array, width: number): { nodes: number; edges: number } {
  let nodes = 0;
  let edges = 0;
  for (let i = 0; i < cells.length; i++) {
    if (cells[i] === Material.wall) continue;
    nodes++;
    if ((i + 1) % width !== 0 && cells[i + 1] !== Material.wall) edges++;
    if (i + width < cells.length && cells[i + width] !== Material.wall) edges++;
  }
  return { nodes, edges };
}

test('mazes are perfect: connected, and exactly one path between two cells (a tree: edges = cells - 1)', () => {
  for (const [size, seeds] of [[21, 20], [101, 2]] as const) {
    for (let seed = 0; seed < seeds; seed++) {
      const l = layoutOf({ layout: 'maze', width: size, height: size }, seed);
      const { nodes, edges } = graph(l.cells, l.width);
      assert.equal(nodes, ((size - 1) / 2) ** 2 * 2 - 1, 'every room cell and one wall per tree edge carved');
      assert.equal(edges, nodes - 1);
      const dist = bfsDistances(l.width, l.height, l.spawnCells[0] as number, (c) => isPassable(l.cells[c] as number));
      assert.ok(l.spawnCells.every((c) => (dist[c] as number) >= 0), 'connected');
    }
  }
});

test('open rooms keep every free cell reachable, whatever the density', () => {
  for (let seed = 0; seed < 20; seed++) {
    const l = layoutOf({ layout: 'open-room', width: 20, height: 14, obstacleDensity: 0.5 }, seed);
    const dist = bfsDistances(l.width, l.height, l.spawnCells[0] as number, (c) => isPassable(l.cells[c] as number));
    assert.ok(l.spawnCells.every((c) => (dist[c] as number) >= 0), `seed ${seed}: an unreachable free cell`);
  }
});

test('four rooms: a wall cross with exactly four doorways', () => {
  const l = layoutOf({ layout: 'four-rooms', width: 19, height: 15 }, 3);
  const vx = 9;
  const hy = 7;
  let gaps = 0;
  for (let y = 1; y < l.height - 1; y++) if (y !== hy && l.cells[y * l.width + vx] === Material.empty) gaps++;
  for (let x = 1; x < l.width - 1; x++) if (x !== vx && l.cells[hy * l.width + x] === Material.empty) gaps++;
  assert.equal(gaps, 4);
});

test('multi-room: rooms chained by open doors, start and goal rooms at the two ends', () => {
  for (let seed = 0; seed < 20; seed++) {
    const l = layoutOf({ layout: 'multi-room', rooms: 5, roomSize: 4 }, seed);
    assert.equal(l.cells.filter((m) => m === Material.doorOpen).length, 4);
    assert.equal(l.spawnCells.length, 16);
    const dist = bfsDistances(l.width, l.height, l.spawnCells[0] as number, (c) => isPassable(l.cells[c] as number));
    assert.ok(l.goalCells.every((c) => (dist[c] as number) >= 4 + 1), 'the goal room lies beyond four doors');
  }
});

test('key-door: the goal side is reachable only through the locked door, the key on the start side', () => {
  for (let seed = 0; seed < 20; seed++) {
    const l = layoutOf({ layout: 'key-door' }, seed);
    const start = l.spawnCells[0] as number;
    const locked = bfsDistances(l.width, l.height, start, (c) => isPassable(l.cells[c] as number));
    const key = l.cells.indexOf(Material.key);
    assert.ok((locked[key] as number) > 0, 'key reachable');
    assert.ok(l.goalCells.every((c) => locked[c] === -1), 'goal side closed');
    const open = bfsDistances(l.width, l.height, start, (c) => l.cells[c] !== Material.wall);
    assert.ok(l.goalCells.every((c) => (open[c] as number) > 0), 'goal side open once the door is');
  }
});

test('resolveMoves: a rotation of three goes through, a chain behind a blocked agent stays', () => {
  // Cells 0,1,2 in a cycle: each moves into the next one's cell.
  assert.deepEqual(resolveMoves([0, 1, 2], [1, 2, 0]), [1, 2, 0]);
  // 0 -> 1 -> 2 -> (3 kept by a standing agent): all stay.
  assert.deepEqual(resolveMoves([0, 1, 2, 3], [1, 2, 3, 3]), [0, 1, 2, 3]);
  // Same target: the earlier agent wins.
  assert.deepEqual(resolveMoves([0, 2], [1, 1]), [1, 2]);
});
