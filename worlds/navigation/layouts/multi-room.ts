import type { Rng } from '../../../core/rng.js';
import { Material } from '../materials.js';
import type { GeneratedLayout } from '../grid.js';

const STEPS: readonly (readonly [number, number])[] = [[0, -1], [0, 1], [-1, 0], [1, 0]];

/**
 * `rooms` square rooms on a coarse lattice, chained by a random self-avoiding walk; consecutive rooms share a wall
 * with one open door in it. Agents start in the first room, goals go in the last (as MiniGrid's MultiRoom).
 */
export function generateMultiRoom(p: { rooms: number; roomSize: number }, rng: Rng): GeneratedLayout {
  const walk = randomWalk(p.rooms, rng);
  const stride = p.roomSize + 1;
  const minX = Math.min(...walk.map(([x]) => x));
  const minY = Math.min(...walk.map(([, y]) => y));
  const rooms = walk.map(([x, y]) => [x - minX, y - minY] as const);
  const width = (Math.max(...rooms.map(([x]) => x)) + 1) * stride + 1;
  const height = (Math.max(...rooms.map(([, y]) => y)) + 1) * stride + 1;
  const cells = new Uint8Array(width * height).fill(Material.wall);
  const interior = (rx: number, ry: number): number[] => {
    const out: number[] = [];
    for (let y = ry * stride + 1; y <= ry * stride + p.roomSize; y++) {
      for (let x = rx * stride + 1; x <= rx * stride + p.roomSize; x++) out.push(y * width + x);
    }
    return out;
  };
  for (const [rx, ry] of rooms) for (const i of interior(rx, ry)) cells[i] = Material.empty;
  for (let r = 1; r < rooms.length; r++) {
    const [ax, ay] = rooms[r - 1] as readonly [number, number];
    const [bx, by] = rooms[r] as readonly [number, number];
    const offset = rng.int(1, p.roomSize);
    // The shared wall lies on the far side of the room with the smaller coordinate.
    const door = ax === bx
      ? (Math.max(ay, by) * stride) * width + ax * stride + offset
      : (ay * stride + offset) * width + Math.max(ax, bx) * stride;
    cells[door] = Material.doorOpen;
  }
  const [fx, fy] = rooms[0] as readonly [number, number];
  const [lx, ly] = rooms[rooms.length - 1] as readonly [number, number];
  return { width, height, cells, spawnCells: interior(fx, fy), goalCells: interior(lx, ly) };
}

/** A self-avoiding walk of `n` lattice cells; restarts when it walks into a dead end. */
function randomWalk(n: number, rng: Rng): (readonly [number, number])[] {
  for (;;) {
    const walk: (readonly [number, number])[] = [[0, 0]];
    const seen = new Set(['0,0']);
    while (walk.length < n) {
      const [x, y] = walk[walk.length - 1] as readonly [number, number];
      const free = STEPS.map(([dx, dy]) => [x + dx, y + dy] as const).filter(([a, b]) => !seen.has(`${a},${b}`));
      if (free.length === 0) break;
      const next = rng.pick(free);
      walk.push(next);
      seen.add(`${next[0]},${next[1]}`);
    }
    if (walk.length === n) return walk;
  }
}
