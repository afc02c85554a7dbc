import type { NavigationObservation } from '../../worlds/navigation/navigation-env.js';
import { ViewCategory } from '../../worlds/navigation/materials.js';
import { TopologicalMap } from '../learn/intrinsic/topological-map.js';

/** Cells are numbered `y * STRIDE + x`; maps are far smaller than this side. */
const STRIDE = 4096;
const UNKNOWN = 255;

/** A cell `[x, y]`. */
export type Cell = readonly [number, number];

/**
 * What one navigation agent knows from its own observations this episode: the category of every cell it has seen
 * (its position is given, so views stitch together) and the topological map of the places it has been in
 * (squares of `placeSize` cells). Both hierarchy levels read it: the manager for frontier places and the goal, the
 * executor for a route over known cells to the next waypoint.
 */
export class NavigationMemory {
  readonly map = new TopologicalMap();
  private readonly cells = new Map<number, number>();
  private place: string | null = null;
  private hasKey = false;
  x = 0;
  y = 0;
  /** The goal cell, once seen. */
  goal: Cell | null = null;

  constructor(readonly placeSize = 3) {}

  placeKey(x: number, y: number): string {
    return `${Math.floor(x / this.placeSize)},${Math.floor(y / this.placeSize)}`;
  }

  /** Category of a known cell, or 255 when never seen. */
  category(x: number, y: number): number {
    return this.cells.get(y * STRIDE + x) ?? UNKNOWN;
  }

  passable(x: number, y: number): boolean {
    const c = this.category(x, y);
    return c !== UNKNOWN && c !== ViewCategory.wall && (c !== ViewCategory.doorLocked || this.hasKey);
  }

  /** Stitches the view in and grows the topological map. */
  observe(obs: NavigationObservation): void {
    this.x = obs.position[0] as number;
    this.y = obs.position[1] as number;
    this.hasKey = obs.hasKey[0] === 1;
    const size = Math.round(Math.sqrt(obs.view.length));
    const r = size >> 1;
    const seen = new Set<string>();
    for (let vy = 0; vy < size; vy++) {
      for (let vx = 0; vx < size; vx++) {
        const x = this.x + vx - r;
        const y = this.y + vy - r;
        if (x < 0 || y < 0) continue;
        let c = obs.view[vy * size + vx] as number;
        // Other agents move: remember the floor under them as empty.
        if (c === ViewCategory.agent) c = ViewCategory.empty;
        this.cells.set(y * STRIDE + x, c);
        if (c === ViewCategory.goal) this.goal = [x, y];
        if (c !== ViewCategory.wall && c !== ViewCategory.doorLocked) seen.add(this.placeKey(x, y));
      }
    }
    const here = this.placeKey(this.x, this.y);
    if (here !== this.place) this.map.visit(here, this.place);
    this.place = here;
    this.map.see(seen, here);
  }

  /** The agent's place now. */
  get at(): string {
    return this.place ?? this.placeKey(this.x, this.y);
  }

  /**
   * Breadth-first search over known passable cells from the agent to the nearest cell where `target` holds.
   * Returns the path (first cell = the agent's), or null when no known route exists.
   */
  route(target: (x: number, y: number) => boolean, maxLength = 10_000): Cell[] | null {
    const start = this.y * STRIDE + this.x;
    const prev = new Map<number, number>([[start, -1]]);
    const queue = [start];
    for (let q = 0; q < queue.length; q++) {
      const c = queue[q] as number;
      const x = c % STRIDE;
      const y = (c - x) / STRIDE;
      if (target(x, y) && c !== start) {
        const path: Cell[] = [];
        for (let p = c; p !== -1; p = prev.get(p) as number) path.push([p % STRIDE, Math.floor(p / STRIDE)]);
        return path.reverse();
      }
      if (queue.length > maxLength) break;
      for (const [dx, dy] of STEPS) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0) continue;
        const n = ny * STRIDE + nx;
        if (!prev.has(n) && this.passable(nx, ny)) {
          prev.set(n, c);
          queue.push(n);
        }
      }
    }
    return target(this.x, this.y) ? [[this.x, this.y]] : null;
  }

  /** Known cells within `maxDist` steps over known passable cells, with their distance (the agent's own excluded). */
  within(maxDist: number): { cell: Cell; dist: number }[] {
    const out: { cell: Cell; dist: number }[] = [];
    const start = this.y * STRIDE + this.x;
    const dist = new Map<number, number>([[start, 0]]);
    const queue = [start];
    for (let q = 0; q < queue.length; q++) {
      const c = queue[q] as number;
      const d = dist.get(c) as number;
      const x = c % STRIDE;
      const y = (c - x) / STRIDE;
      if (d > 0) out.push({ cell: [x, y], dist: d });
      if (d === maxDist) continue;
      for (const [dx, dy] of STEPS) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0) continue;
        const n = ny * STRIDE + nx;
        if (!dist.has(n) && this.passable(nx, ny)) {
          dist.set(n, d + 1);
          queue.push(n);
        }
      }
    }
    return out;
  }

  /** A route into place `key` (`"px,py"`). */
  routeToPlace(key: string): Cell[] | null {
    return this.route((x, y) => this.placeKey(x, y) === key);
  }

  /** A route to the goal, once seen. */
  routeToGoal(): Cell[] | null {
    const g = this.goal;
    return g ? this.route((x, y) => x === g[0] && y === g[1]) : null;
  }
}

const STEPS: readonly Cell[] = [[0, -1], [0, 1], [-1, 0], [1, 0]];
