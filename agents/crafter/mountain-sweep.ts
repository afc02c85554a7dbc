/**
 * Mountain sweeping for the kg-planner: diamonds lie almost anywhere inside mountains (worldgen: mountain noise just
 * above the mountain threshold, then a 0.6% draw per cell), so finding one is a matter of seeing many unseen mountain
 * cells per step. A frontier score counts what the view shows at the end of a route; this counts what it shows along
 * the way: one Dijkstra (walk 1, dig `mineCost`), and for every cell the sum of the unseen cells' mountain odds that
 * enter the 9x7 view on the route's steps (the new column or row at each step), accumulated on the shortest-path tree.
 * The route with the best rate (revealed odds per step, plus an overhead) wins, so the agent goes straight through a
 * mountain's interior, along tunnels or through stone, instead of hopping between frontier cells.
 */
import { SIDE } from './local-map.js';
import type { LocalMap } from './local-map.js';
import { forEachEnterable } from './path-planner.js';
import type { EnterCosts, Route } from './path-planner.js';

export interface SweepOptions {
  /** Materials the agent can dig through. */
  readonly mineable: ReadonlySet<number>;
  /** Per cell, the odds an unseen cell is mountain (0 for remembered ones), e.g. `unseenRockOdds`. */
  readonly odds: Float64Array;
  /** Cost of digging into a cell (a `do` and a move: 2). */
  readonly mineCost?: number;
  /** Routes longer than this are not considered (default 60). */
  readonly maxCost?: number;
  /** Steps added to every route's cost in the rate (default 4): favours longer sweeps over one-step peeks. */
  readonly overhead?: number;
  /** Routes revealing less than this many expected mountain cells are not worth it (default 1). */
  readonly minGain?: number;
  /** A cell chosen before: kept while its route still reveals `minGain` (re-estimating odds every step dithers). */
  readonly keep?: number;
}

/** Expected unseen mountain cells entering a 9x7 view centred on (x, y) after a step by (dx, dy). */
function edgeGain(odds: Float64Array, x: number, y: number, dx: number, dy: number): number {
  let g = 0;
  if (dx !== 0) {
    const cx = x + 4 * dx;
    if (cx < 0 || cx >= SIDE) return 0;
    for (let cy = Math.max(0, y - 3); cy <= Math.min(SIDE - 1, y + 3); cy++) g += odds[cx * SIDE + cy]!;
  } else {
    const cy = y + 3 * dy;
    if (cy < 0 || cy >= SIDE) return 0;
    for (let cx = Math.max(0, x - 4); cx <= Math.min(SIDE - 1, x + 4); cx++) g += odds[cx * SIDE + cy]!;
  }
  return g;
}

/**
 * The route from the agent with the most expected unseen mountain cells revealed per step (gain / (cost +
 * overhead)), or null when no route within `maxCost` reveals `minGain`.
 */
export function sweepRoute(map: LocalMap, o: SweepOptions): Route | null {
  const maxCost = o.maxCost ?? 60;
  const overhead = o.overhead ?? 4;
  const costs: EnterCosts = { mineable: o.mineable, mineCost: o.mineCost ?? 2, unknownCost: 0, hazards: false };
  const n = SIDE * SIDE;
  const dist = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n).fill(-1);
  const gain = new Float64Array(n);
  const buckets: number[][] = [];
  const start = map.idx(map.x, map.y);
  dist[start] = 0;
  buckets[0] = [start];
  let best = -1;
  let bestRate = 0;
  for (let d = 0; d <= maxCost; d++) {
    const b = buckets[d];
    if (!b) continue;
    for (let k = 0; k < b.length; k++) {
      const i = b[k]!;
      if (dist[i] !== d) continue;
      const x = (i / SIDE) | 0;
      const y = i - x * SIDE;
      if (d > 0 && gain[i]! >= (o.minGain ?? 1)) {
        const rate = gain[i]! / (d + overhead);
        if (rate > bestRate) {
          bestRate = rate;
          best = i;
        }
      }
      forEachEnterable(map, x, y, costs, (j, c, nx, ny, dx, dy) => {
        const nd = d + c;
        if (nd > maxCost) return;
        const g = gain[i]! + edgeGain(o.odds, nx, ny, dx, dy);
        // Equal cost: keep the parent whose route reveals more (ties go to the first, so runs stay deterministic).
        if (dist[j]! >= 0 && (dist[j]! < nd || (dist[j] === nd && gain[j]! >= g))) return;
        if (dist[j] !== nd) (buckets[nd] ??= []).push(j);
        dist[j] = nd;
        parent[j] = i;
        gain[j] = g;
      });
    }
  }
  if (o.keep !== undefined && o.keep >= 0 && o.keep !== start && dist[o.keep]! >= 0 && gain[o.keep]! >= (o.minGain ?? 1)) best = o.keep;
  if (best < 0) return null;
  const cells: number[] = [];
  for (let i = best; i !== start; i = parent[i]!) cells.push(i);
  cells.reverse();
  return { x: (best / SIDE) | 0, y: best % SIDE, cells };
}
