import type { Rng } from '../../core/rng.js';
import { DIRS, Id, SIDE, UNKNOWN, isWalkable } from './local-map.js';
import type { LocalMap } from './local-map.js';
import { faceSearch, search } from './path-planner.js';
import type { Route } from './path-planner.js';
import { Inv } from './tech-tree.js';

/** Action indices of the crafter rules (17 base actions). */
export const A = {
  noop: 0, move: 1, do: 5, sleep: 6, place_stone: 7, place_table: 8, place_furnace: 9, place_plant: 10,
  make_wood_pickaxe: 11, make_stone_pickaxe: 12, make_iron_pickaxe: 13, make_wood_sword: 14, make_stone_sword: 15,
  make_iron_sword: 16,
} as const;

/**
 * Turns targets into single actions for the scripted agent: walk (digging through what its pickaxes allow) next to a
 * target and face it, line up to place something on a cell, explore the nearest frontier. Facing follows the last
 * move (a move into a blocked cell only turns), which `faceSearch` plans around.
 */
export class Navigator {
  /** Facing as a DIRS index (left, right, up, down), from the observation. */
  facing = 3;
  /** The current inventory (decides what can be dug). */
  inv: Int32Array = new Int32Array(12);
  /** Cells the agent dug itself (path it made, as opposed to natural tunnels). */
  readonly mined: Uint8Array;
  private exploreTarget = -1;
  /** Preferred exploration direction (kept until no frontier lies that way). */
  heading: [number, number] = [1, 0];

  constructor(
    readonly map: LocalMap,
    private readonly rng: Rng | null,
) {
    this.mined = map.dug;
  }

  facingCell(): [number, number] {
    return [this.map.x + DIRS[this.facing]![0], this.map.y + DIRS[this.facing]![1]];
  }

  mineable(inv: Int32Array): Set<number> {
    const s = new Set<number>();
    if (inv[Inv.wood_pickaxe]) {
      s.add(Id.stone);
      s.add(Id.coal);
    }
    if (inv[Inv.stone_pickaxe]) s.add(Id.iron);
    if (inv[Inv.iron_pickaxe]) s.add(Id.diamond);
    return s;
  }

  /** Face an adjacent cell matching `target` and `do`; otherwise walk (digging if possible) next to the nearest. */
  collectAdjacent(target: (x: number, y: number) => boolean, maxCost = 300): number | null {
    const m = this.map;
    if (target(...this.facingCell())) return A.do;
    for (let d = 0; d < 4; d++) if (target(m.x + DIRS[d]![0], m.y + DIRS[d]![1])) return this.faceAndDo(d);
    const route = search(m, (x, y) => {
      for (const [dx, dy] of DIRS) if (target(x + dx, y + dy)) return true;
      return false;
    }, { mineable: this.mineable(this.inv), maxCost });
    if (!route) return null;
    return this.follow(route);
  }

  /** Turn towards an adjacent blocked cell (a move into it only turns) and `do`. */
  faceAndDo(d: number): number {
    if (this.facing === d) return A.do;
    const m = this.map;
    const [dx, dy] = DIRS[d]!;
    if (m.free(m.x + dx, m.y + dy)) return this.moveDir(d);
    return A.move + d;
  }

  /** Place (or `do`) onto a facing cell accepted by `cellOk`, standing on a cell accepted by `standOk`. */
  placeFacing(action: number, cellOk: (x: number, y: number) => boolean, standOk: (x: number, y: number) => boolean = () => true): number | null {
    const moves = faceSearch(this.map, this.facing, (x, y, tx, ty) => cellOk(tx, ty) && standOk(x, y), 8);
    if (moves === null) return null;
    if (moves.length === 0) return action;
    return this.moveDir(moves[0]!);
  }

  follow(route: Route): number {
    const m = this.map;
    if (route.cells.length === 0) return A.noop;
    const i = route.cells[0]!;
    const x = (i / SIDE) | 0;
    const y = i - x * SIDE;
    const d = DIRS.findIndex(([dx, dy]) => m.x + dx === x && m.y + dy === y);
    if (d < 0) return A.noop;
    if (!isWalkable(m.matAt(x, y))) {
      if (this.facing === d) {
        this.mined[i] = 1;
        return A.do;
      }
      return A.move + d;
    }
    return this.moveDir(d);
  }

  /** A move, never onto lava. */
  moveDir(d: number): number {
    const m = this.map;
    const [dx, dy] = DIRS[d]!;
    if (m.matAt(m.x + dx, m.y + dy) === Id.lava) return A.noop;
    return A.move + d;
  }

  /** Walk to the nearest frontier (a passable cell next to unseen ones), keeping a random heading for variety. */
  explore(inv: Int32Array, prefer?: (x: number, y: number) => boolean): number {
    const m = this.map;
    const mineable = this.mineable(inv);
    const passable = (x: number, y: number): boolean => {
      const mat = m.matAt(x, y);
      return isWalkable(mat) || mineable.has(mat);
    };
    const frontier = (x: number, y: number): boolean => {
      if (!passable(x, y)) return false;
      for (const [dx, dy] of DIRS) if (m.matAt(x + dx, y + dy) === UNKNOWN) return true;
      return false;
    };
    if (this.exploreTarget >= 0) {
      const tx = (this.exploreTarget / SIDE) | 0;
      const ty = this.exploreTarget - tx * SIDE;
      if ((tx === m.x && ty === m.y) || !frontier(tx, ty)) this.exploreTarget = -1;
    }
    let route: Route | null = null;
    if (this.exploreTarget >= 0) {
      const t = this.exploreTarget;
      route = search(m, (x, y) => m.idx(x, y) === t, { mineable, maxCost: 400 });
    }
    if (!route && prefer) route = search(m, (x, y) => frontier(x, y) && prefer(x, y) && (x !== m.x || y !== m.y), { mineable, maxCost: 400 });
    if (!route) {
      const [hx, hy] = this.heading;
      route = search(m, (x, y) => frontier(x, y) && (x - m.x) * hx + (y - m.y) * hy > 2, { mineable, maxCost: 400 });
      if (!route) {
        if (this.rng) this.heading = [...DIRS[this.rng.int(0, 3)]!] as [number, number];
        route = search(m, (x, y) => frontier(x, y) && (x !== m.x || y !== m.y), { mineable, maxCost: 400 });
      }
    }
    if (route && route.cells.length > 0) {
      this.exploreTarget = m.idx(route.x, route.y);
      return this.follow(route);
    }
    // Nothing left to explore in reach: a random step.
    const d = this.rng ? this.rng.int(0, 3) : 0;
    return this.moveDir(d);
  }}
