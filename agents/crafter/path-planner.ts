import { DIRS, Id, SIDE, UNKNOWN, isWalkable } from './local-map.js';
import type { LocalMap } from './local-map.js';

/** A route over remembered cells: `cells` from the first step to the goal (empty when already there). */
export interface Route {
  readonly x: number;
  readonly y: number;
  readonly cells: readonly number[];
}

export interface SearchOptions {
  /** Materials the agent may dig through (they become path), at `mineCost` per cell. */
  readonly mineable?: ReadonlySet<number>;
  readonly mineCost?: number;
  /** Give up beyond this cost (keeps searches cheap). */
  readonly maxCost?: number;
  /** When set, cells never seen are crossed at this cost (optimistic routes towards places teammates reported). */
  readonly unknownCost?: number;
}

const MAX_BUCKET = 4096;

/** What entering a cell costs in a search: digging, unseen cells, and the map's hazard and tunnel costs. */
export interface EnterCosts {
  readonly mineable: ReadonlySet<number> | undefined;
  readonly mineCost: number;
  /** Cost of crossing a cell never seen; 0 forbids it. */
  readonly unknownCost: number;
  /** Add the map's hazard costs (near zombies, in skeleton lines of fire) and the tunnel cost. */
  readonly hazards: boolean;
}

/**
 * Cost of stepping into cell `j` (at nx, ny) of the remembered map, or -1 when it cannot be entered: a free walkable
 * cell (or one with only an arrow) costs 1, a mineable one `mineCost`, an unseen one `unknownCost` when allowed.
 */
export function enterCost(map: LocalMap, j: number, nx: number, ny: number, c: EnterCosts): number {
  const m = map.mat[j]!;
  if (isWalkable(m)) {
    const o = map.objAt(nx, ny);
    if (o !== 0 && o !== Id.arrow) return -1;
    return c.hazards ? 1 + map.hazard[j]! + (m === Id.path && map.dug[j] === 0 ? map.tunnelCost : 0) : 1;
  }
  if (m !== UNKNOWN && c.mineable?.has(m)) return c.mineCost + (c.hazards ? map.hazard[j]! : 0);
  if (m === UNKNOWN && c.unknownCost > 0) return c.unknownCost;
  return -1;
}

/** One Dijkstra relaxation into a bucket queue: cell j reached from i at cost nd, if that is new and cheaper. */
export function relax(dist: Int32Array, parent: Int32Array, buckets: number[][], i: number, j: number, nd: number, maxCost: number): void {
  if (nd > maxCost || (dist[j]! >= 0 && dist[j]! <= nd)) return;
  dist[j] = nd;
  parent[j] = i;
  (buckets[nd] ??= []).push(j);
}

/**
 * Cheapest route (Dijkstra with a bucket queue; walk 1, dig `mineCost`) from the agent to the first cell that
 * satisfies `isGoal`, through remembered walkable cells free of visible objects (never lava or unseen cells).
 */
export function search(map: LocalMap, isGoal: (x: number, y: number) => boolean, opts: SearchOptions = {}): Route | null {
  const costs: EnterCosts = { mineable: opts.mineable, mineCost: opts.mineCost ?? 3, unknownCost: opts.unknownCost ?? 0, hazards: true };
  const maxCost = Math.min(opts.maxCost ?? 600, MAX_BUCKET - 8);
  const n = SIDE * SIDE;
  const dist = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  const buckets: number[][] = [];
  const start = map.idx(map.x, map.y);
  dist[start] = 0;
  buckets[0] = [start];
  for (let d = 0; d <= maxCost; d++) {
    const b = buckets[d];
    if (!b) continue;
    for (let k = 0; k < b.length; k++) {
      const i = b[k]!;
      if (done[i] || dist[i] !== d) continue;
      done[i] = 1;
      const x = (i / SIDE) | 0;
      const y = i - x * SIDE;
      if (isGoal(x, y)) return { x, y, cells: unwind(parent, start, i) };
      forEachEnterable(map, x, y, costs, (j, c) => {
        if (!done[j]) relax(dist, parent, buckets, i, j, d + c, maxCost);
      });
    }
  }
  return null;
}

/**
 * Calls `visit(j, cost, nx, ny, dx, dy)` for each neighbour of cell (x, y) that can be entered, with its entry cost:
 * the step every search here shares.
 */
export function forEachEnterable(map: LocalMap, x: number, y: number, costs: EnterCosts, visit: (j: number, cost: number, nx: number, ny: number, dx: number, dy: number) => void): void {
  for (const [dx, dy] of DIRS) {
    const nx = x + dx;
    const ny = y + dy;
    if (!map.inGrid(nx, ny)) continue;
    const j = nx * SIDE + ny;
    const c = enterCost(map, j, nx, ny, costs);
    if (c >= 0) visit(j, c, nx, ny, dx, dy);
  }
}

function unwind(parent: Int32Array, start: number, goal: number): number[] {
  const cells: number[] = [];
  for (let i = goal; i !== start; i = parent[i]!) cells.push(i);
  return cells.reverse();
}

/**
 * Shortest sequence of moves after which the agent stands on (x, y) facing (tx, ty) with `goal(x, y, tx, ty)`.
 * Facing follows the move actions: a move turns the agent and steps only onto a free walkable cell, so facing a
 * free cell means arriving from the cell behind. Searches (cell, facing) states within `radius`.
 * Returns the direction indices to play (empty when already facing it), or null.
 */
export function faceSearch(
  map: LocalMap,
  facing: number,
  goal: (x: number, y: number, tx: number, ty: number) => boolean,
  radius = 10,
): number[] | null {
  const w = 2 * radius + 1;
  const ox = map.x - radius;
  const oy = map.y - radius;
  const nStates = w * w * 4;
  const parent = new Int32Array(nStates).fill(-2);
  const key = (x: number, y: number, f: number): number => ((x - ox) * w + (y - oy)) * 4 + f;
  const queue: number[] = [];
  const s0 = key(map.x, map.y, facing);
  parent[s0] = -1;
  queue.push(s0);
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q]!;
    const f = s & 3;
    const cell = s >> 2;
    const x = ((cell / w) | 0) + ox;
    const y = (cell % w) + oy;
    if (goal(x, y, x + DIRS[f]![0], y + DIRS[f]![1])) {
      const moves: number[] = [];
      for (let t = s; parent[t]! >= 0; t = parent[t]!) moves.push(t & 3);
      return moves.reverse();
    }
    for (let d = 0; d < 4; d++) {
      let nx = x + DIRS[d]![0];
      let ny = y + DIRS[d]![1];
      if (!map.free(nx, ny) || Math.abs(nx - map.x) > radius || Math.abs(ny - map.y) > radius) {
        nx = x;
        ny = y;
      }
      const t = key(nx, ny, d);
      if (parent[t] !== -2) continue;
      parent[t] = s;
      queue.push(t);
    }
  }
  return null;
}
