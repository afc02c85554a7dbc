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
 * Breadth-first searches on a `width x height` grid (row-major cells), reusing its buffers between calls so a
 * controller that plans every step does not allocate every step. One instance per controller.
 */
export class GridSearch {
  private stamp = new Int32Array(0);
  private epoch = 0;
  private firstMove = new Uint8Array(0);
  private dist = new Int32Array(0);
  private queue = new Int32Array(0);

  /**
   * From `start` to the nearest cell where `isTarget` holds, stepping only onto cells where `passable` holds (a
   * target must be passable too). Returns the first move, or `null` when no target is reachable. Ties are broken by
   * the action order up, down, left, right.
   */
  firstStep(width: number, height: number, start: number, isTarget: (cell: number) => boolean, passable: (cell: number) => boolean): PathStep | null {
    if (isTarget(start)) return { action: 0, length: 0, target: start };
    this.begin(width * height);
    const { stamp, firstMove, dist, queue, epoch } = this;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    stamp[start] = epoch;
    dist[start] = 0;
    while (head < tail) {
      const c = queue[head++] as number;
      const x = c % width;
      const y = (c - x) / width;
      for (let a = 1; a <= 4; a++) {
        const n = neighborCell(x, y, a, width, height);
        if (n < 0) continue;
        if (stamp[n] === epoch || !passable(n)) continue;
        stamp[n] = epoch;
        // The first move is inherited along the path, so no path has to be walked back.
        firstMove[n] = c === start ? a : (firstMove[c] as number);
        dist[n] = (dist[c] as number) + 1;
        if (isTarget(n)) return { action: firstMove[n] as number, length: dist[n] as number, target: n };
        queue[tail++] = n;
      }
    }
    return null;
  }

  /** Distance from every cell to the nearest of `sources` over `passable` cells (sources always count); -1 if none. */
  distanceField(width: number, height: number, sources: readonly number[], passable: (cell: number) => boolean): Int32Array {
    const size = width * height;
    const out = new Int32Array(size).fill(-1);
    this.begin(size);
    const queue = this.queue;
    let head = 0;
    let tail = 0;
    for (const s of sources) {
      if (out[s] !== -1) continue;
      out[s] = 0;
      queue[tail++] = s;
    }
    while (head < tail) {
      const c = queue[head++] as number;
      const x = c % width;
      const y = (c - x) / width;
      for (let a = 1; a <= 4; a++) {
        const n = neighborCell(x, y, a, width, height);
        if (n < 0) continue;
        if (out[n] !== -1 || !passable(n)) continue;
        out[n] = (out[c] as number) + 1;
        queue[tail++] = n;
      }
    }
    return out;
  }

  private begin(size: number): void {
    if (this.stamp.length < size) {
      this.stamp = new Int32Array(size);
      this.firstMove = new Uint8Array(size);
      this.dist = new Int32Array(size);
      this.queue = new Int32Array(size);
      this.epoch = 0;
    }
    this.epoch++;
  }
}

/** Cell index reached from `cell` by `action` (no bounds check: callers step only onto checked cells). */
export function cellAfter(cell: number, action: number, width: number): number {
  return cell + (ACTION_DY[action] as number) * width + (ACTION_DX[action] as number);
}

/** The moves (1..4) from `cell` that stay on a `width x height` grid. */
export function movesInside(cell: number, width: number, height: number): number[] {
  const x = cell % width;
  const y = (cell - x) / width;
  const out: number[] = [];
  for (let a = 1; a <= 4; a++) if (neighborCell(x, y, a, width, height) >= 0) out.push(a);
  return out;
}

/** The cell one move `action` (1..4) from (x, y) on a `width x height` grid, or -1 off the grid. */
function neighborCell(x: number, y: number, action: number, width: number, height: number): number {
  const nx = x + (ACTION_DX[action] as number);
  const ny = y + (ACTION_DY[action] as number);
  return nx < 0 || ny < 0 || nx >= width || ny >= height ? -1 : ny * width + nx;
}
