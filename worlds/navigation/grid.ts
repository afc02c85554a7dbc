import { Material, isPassable } from './materials.js';

/** A generated map before agents and goals are placed. Cells are row-major: `index = y * width + x`. */
export interface GeneratedLayout {
  readonly width: number;
  readonly height: number;
  /** One {@link Material} per cell. Goals are not placed yet. */
  readonly cells: Uint8Array;
  /** Cells where agents may start (free, connected to the goals). */
  readonly spawnCells: readonly number[];
  /** Cells where goals may be placed. */
  readonly goalCells: readonly number[];
  /** Exact start cell of each agent, in agent order (hand-drawn maps). */
  readonly fixedSpawns?: readonly number[];
  /** Exact goal cells, in order (hand-drawn maps): all shared, or the i-th for agent i with `goalMode: 'each'`. */
  readonly fixedGoals?: readonly number[];
}

/** A `width x height` room: walls on the border, empty inside. */
export function walledRoom(width: number, height: number): Uint8Array {
  const cells = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    cells[x] = Material.wall;
    cells[(height - 1) * width + x] = Material.wall;
  }
  for (let y = 0; y < height; y++) {
    cells[y * width] = Material.wall;
    cells[y * width + width - 1] = Material.wall;
  }
  return cells;
}

/** Indices of the cells whose material satisfies `keep`, in index order. */
export function cellsWhere(cells: Uint8Array, keep: (material: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < cells.length; i++) if (keep(cells[i] as number)) out.push(i);
  return out;
}

/** The 4-neighbours of cell `i` that lie inside the grid. */
export function neighbours(i: number, width: number, height: number, out: number[] = []): number[] {
  out.length = 0;
  const x = i % width;
  const y = (i - x) / width;
  if (y > 0) out.push(i - width);
  if (y < height - 1) out.push(i + width);
  if (x > 0) out.push(i - 1);
  if (x < width - 1) out.push(i + 1);
  return out;
}

/**
 * Breadth-first distances from `start` over cells where `passable(i)` holds (the start always counts);
 * -1 where unreachable.
 */
export function bfsDistances(width: number, height: number, start: number, passable: (i: number) => boolean): Int32Array {
  const dist = new Int32Array(width * height).fill(-1);
  const queue = new Int32Array(width * height);
  let head = 0;
  let tail = 0;
  dist[start] = 0;
  queue[tail++] = start;
  const nb: number[] = [];
  while (head < tail) {
    const c = queue[head++] as number;
    for (const n of neighbours(c, width, height, nb)) {
      if (dist[n] === -1 && passable(n)) {
        dist[n] = (dist[c] as number) + 1;
        queue[tail++] = n;
      }
    }
  }
  return dist;
}

/** Turns every passable cell outside the largest connected passable region into wall, so all free space connects. */
export function fillAllButLargestRegion(cells: Uint8Array, width: number, height: number): void {
  const region = new Int32Array(cells.length).fill(-1);
  const queue = new Int32Array(cells.length);
  const nb: number[] = [];
  let best = -1;
  let bestSize = 0;
  let id = 0;
  for (let i = 0; i < cells.length; i++) {
    if (region[i] !== -1 || !isPassable(cells[i] as number)) continue;
    let head = 0;
    let tail = 0;
    region[i] = id;
    queue[tail++] = i;
    while (head < tail) {
      const c = queue[head++] as number;
      for (const n of neighbours(c, width, height, nb)) {
        if (region[n] === -1 && isPassable(cells[n] as number)) {
          region[n] = id;
          queue[tail++] = n;
        }
      }
    }
    if (tail > bestSize) {
      best = id;
      bestSize = tail;
    }
    id++;
  }
  for (let i = 0; i < cells.length; i++) if (region[i] !== -1 && region[i] !== best) cells[i] = Material.wall;
}
