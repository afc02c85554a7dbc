/**
 * Where diamonds may be: Crafter's world generation puts them only inside mountains (mountain noise above a threshold,
 * then a rare uniform draw), and mountains are smooth blobs. So an unseen cell is diamond ground about as often as
 * the remembered cells around it are rock (stone, ores, lava, tunnels). This module turns the local map into a
 * per-cell "expected mountain cells a 9x7 view from here would reveal", with summed-area tables (O(cells) per call),
 * which the frontier explorer adds to a frontier's gain when the agent seeks a diamond.
 */
import { Id, SIDE, UNKNOWN } from './local-map.js';
import type { LocalMap } from './local-map.js';

const ROCK = new Set<number>([Id.stone, Id.coal, Id.iron, Id.diamond, Id.lava, Id.path, Id.table, Id.furnace]);

export interface MountainOddsOptions {
  /** The world's cells in map coordinates [x0, y0, x1, y1] (inclusive): unseen cells outside count for nothing. */
  readonly bounds: readonly [number, number, number, number];
  /** Half side of the square of remembered cells that votes on an unseen cell (default 5). */
  readonly radius?: number;
  /** Mountain odds of an unseen cell with no remembered cell around (default 0.3). */
  readonly prior?: number;
  /** Weight of the prior in remembered cells (default 3). */
  readonly priorWeight?: number;
  /** Odds are raised to this power: > 1 favours the inside of mountains, where diamonds are (default 2). */
  readonly power?: number;
}

/** Summed-area table of `f` over the SIDE x SIDE grid: `t[(x + 1) * (SIDE + 1) + (y + 1)]` = sum over [0..x] x [0..y]. */
export function table(f: (i: number) => number): Float64Array {
  const W = SIDE + 1;
  const t = new Float64Array(W * W);
  for (let x = 0; x < SIDE; x++) {
    let col = 0;
    for (let y = 0; y < SIDE; y++) {
      col += f(x * SIDE + y);
      t[(x + 1) * W + (y + 1)] = t[x * W + (y + 1)]! + col;
    }
  }
  return t;
}

/** Sum of a table over the box [x0..x1] x [y0..y1], clipped to the grid. */
export function box(t: Float64Array, x0: number, y0: number, x1: number, y1: number): number {
  const W = SIDE + 1;
  x0 = Math.max(0, x0);
  y0 = Math.max(0, y0);
  x1 = Math.min(SIDE - 1, x1);
  y1 = Math.min(SIDE - 1, y1);
  if (x1 < x0 || y1 < y0) return 0;
  return t[(x1 + 1) * W + (y1 + 1)]! - t[x0 * W + (y1 + 1)]! - t[(x1 + 1) * W + y0]! + t[x0 * W + y0]!;
}

/**
 * Per unseen in-bounds cell, the odds that it is mountain (the rock share of remembered cells within `radius`, with a
 * prior, raised to `power`); 0 for remembered cells and cells outside the bounds.
 */
export function unseenRockOdds(map: LocalMap, o: MountainOddsOptions): Float64Array {
  const r = o.radius ?? 5;
  const prior = o.prior ?? 0.3;
  const w = o.priorWeight ?? 3;
  const pow = o.power ?? 2;
  const [bx0, by0, bx1, by1] = o.bounds;
  const mat = map.mat;
  const rock = table((i) => (ROCK.has(mat[i]!) ? 1 : 0));
  const known = table((i) => (mat[i] !== UNKNOWN ? 1 : 0));
  const out = new Float64Array(SIDE * SIDE);
  for (let x = bx0; x <= bx1; x++) {
    for (let y = by0; y <= by1; y++) {
      const i = x * SIDE + y;
      if (mat[i] !== UNKNOWN) continue;
      const k = box(known, x - r, y - r, x + r, y + r);
      out[i] = ((box(rock, x - r, y - r, x + r, y + r) + w * prior) / (k + w)) ** pow;
    }
  }
  return out;
}

/**
 * For every cell, the expected number of unseen mountain cells a 9x7 view centred there would reveal (odds of each
 * unseen in-bounds cell from the rock share of remembered cells within `radius`, with a prior).
 */
export function mountainOdds(map: LocalMap, o: MountainOddsOptions): Float64Array {
  const p = unseenRockOdds(map, o);
  const odds = table((i) => p[i]!);
  const [bx0, by0, bx1, by1] = o.bounds;
  const out = new Float64Array(SIDE * SIDE);
  for (let x = bx0; x <= bx1; x++) for (let y = by0; y <= by1; y++) out[x * SIDE + y] = box(odds, x - 4, y - 3, x + 4, y + 3);
  return out;
}
