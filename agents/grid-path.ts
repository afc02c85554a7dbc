import { ACTION_DX, ACTION_DY } from '../worlds/navigation/materials.js';

/** The first move of a shortest path and the path's length. */
export interface PathStep {
  /** Navigation action id (1..4) of the first move; 0 when `start` already is a target. */
  readonly action: number;
  readonly length: number;
  /** Cell index of the target reached. */
  readonly target: number;
}

/**
 * Breadth-first search on a `width x height` grid from `start` to the nearest cell where `isTarget` holds,
 * stepping only onto cells where `passable` holds (a target must be passable too). Returns the first move, or
 * `null` when no target is reachable. Ties are broken by the action order up, down, left, right.
 */
export function firstStepTowards(
  width: number,
  height: number,
  start: number,
  isTarget: (cell: number) => boolean,
  passable: (cell: number) => boolean,
): PathStep | null {
  if (isTarget(start)) return { action: 0, length: 0, target: start };
  const size = width * height;
  // firstMove[c]: action of the first move on the path to c (0 = unvisited), so no path has to be walked back.
  const firstMove = new Uint8Array(size);
  const dist = new Int32Array(size);
  const queue = new Int32Array(size);
  let head = 0;
  let tail = 0;
  queue[tail++] = start;
  firstMove[start] = 255;
  while (head < tail) {
    const c = queue[head++] as number;
    const x = c % width;
    const y = (c - x) / width;
    for (let a = 1; a <= 4; a++) {
      const nx = x + (ACTION_DX[a] as number);
      const ny = y + (ACTION_DY[a] as number);
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const n = ny * width + nx;
      if (firstMove[n] !== 0 || !passable(n)) continue;
      firstMove[n] = c === start ? a : (firstMove[c] as number);
      dist[n] = (dist[c] as number) + 1;
      if (isTarget(n)) return { action: firstMove[n] as number, length: dist[n] as number, target: n };
      queue[tail++] = n;
    }
  }
  return null;
}

/** Cell index reached from `cell` by `action` (no bounds check: callers step only onto checked cells). */
export function cellAfter(cell: number, action: number, width: number): number {
  return cell + (ACTION_DY[action] as number) * width + (ACTION_DX[action] as number);
}
