/**
 * Where to look for a diamond at the scale of the whole map. The frontier choice scores a frontier by what a 9x7 view
 * from it would show, so a single agent clears the pocket it is in (grass included) before it walks to a mountain
 * 20 cells away: per-seed maps of `bench/coop-trace.ts` show whole episodes spent in one quadrant while the big
 * mountains lie unseen in another. This module scores every cell by the unseen diamond ground in a wide window
 * around it (default 21x21): each unseen cell counts its odds of being mountain, voted by the remembered cells within
 * 5 (rock share) with a prior that grows with the distance from the world's centre (world generation keeps the
 * spawn area free of mountains, and diamonds need mountain noise above the spawn penalty). The explorer adds
 * `gain x mass` to a frontier's gain, so frontiers facing large unseen mountain-likely areas pull from afar.
 */
import { Id, SIDE, UNKNOWN } from './local-map.js';
import type { LocalMap } from './local-map.js';
import { box, table } from './mountain-odds.js';

const ROCK = new Set<number>([Id.stone, Id.coal, Id.iron, Id.diamond, Id.lava, Id.path, Id.table, Id.furnace]);

/** Settings of the search mass (planner option `searchMass`). */
export interface SearchMassTuning {
  /** Frontier gain per expected unseen mountain cell in the window. */
  readonly gain: number;
  /** Half side of the window (default 10: 21x21 cells). */
  readonly radius?: number;
  /** Mountain odds of an unseen cell far from the centre with no remembered cell around (default 0.35). */
  readonly prior?: number;
  /** Distance from the world's centre within which the prior is 0 (default 10) and beyond which it is full (default 24). */
  readonly inner?: number;
  readonly outer?: number;
  /** Only once this tool is in hand (default `iron_pickaxe`; `none`: whenever ore or a diamond is sought). */
  readonly after?: 'none' | 'wood_pickaxe' | 'stone_pickaxe' | 'iron_pickaxe';
}

export interface SearchMassOptions extends Omit<SearchMassTuning, 'gain' | 'after'> {
  /** The world's cells in map coordinates [x0, y0, x1, y1] (inclusive): unseen cells outside count for nothing. */
  readonly bounds: readonly [number, number, number, number];
  /** The world's centre in map coordinates (the spawn area). */
  readonly centre: readonly [number, number];
}

/** Mountain odds of one unseen cell from its distance to the centre, before any remembered cell votes. */
export function radialPrior(dist: number, o: Pick<SearchMassTuning, 'prior' | 'inner' | 'outer'> = {}): number {
  const inner = o.inner ?? 10;
  const outer = Math.max(inner + 1, o.outer ?? 24);
  return (o.prior ?? 0.35) * Math.max(0, Math.min(1, (dist - inner) / (outer - inner)));
}

/**
 * Per cell: expected unseen mountain cells within the window around it (each unseen in-bounds cell weighs its odds:
 * rock share of remembered cells within 5, with the radial prior worth 3 cells). Remembered cells weigh nothing.
 */
export function searchMass(map: LocalMap, o: SearchMassOptions): Float64Array {
  const [bx0, by0, bx1, by1] = o.bounds;
  const [cx, cy] = o.centre;
  const mat = map.mat;
  const rock = table((i) => (ROCK.has(mat[i]!) ? 1 : 0));
  const known = table((i) => (mat[i] !== UNKNOWN ? 1 : 0));
  const odds = new Float64Array(SIDE * SIDE);
  const w = 3;
  for (let x = bx0; x <= bx1; x++) {
    for (let y = by0; y <= by1; y++) {
      const i = x * SIDE + y;
      if (mat[i] !== UNKNOWN) continue;
      const prior = radialPrior(Math.hypot(x - cx, y - cy), o);
      odds[i] = (box(rock, x - 5, y - 5, x + 5, y + 5) + w * prior) / (box(known, x - 5, y - 5, x + 5, y + 5) + w);
    }
  }
  const sum = table((i) => odds[i]!);
  const r = o.radius ?? 10;
  const out = new Float64Array(SIDE * SIDE);
  for (let x = bx0; x <= bx1; x++) for (let y = by0; y <= by1; y++) out[x * SIDE + y] = box(sum, x - r, y - r, x + r, y + r);
  return out;
}
