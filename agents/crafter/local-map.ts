/**
 * The scripted Crafter agent's own memory of the world: every cell it has seen in its 9x7 local view, in its own
 * coordinates (the start cell is the origin, kept at the middle of a grid large enough for any 64x64 world).
 * It never sees absolute positions: its position is dead-reckoned from its moves and checked against the view.
 */

/** Semantic ids of the `map` observation (PyPI crafter 1.8.3 order). */
export const Id = {
  outside: 0, water: 1, grass: 2, stone: 3, path: 4, sand: 5, tree: 6, lava: 7, coal: 8, iron: 9, diamond: 10,
  table: 11, furnace: 12, player: 13, cow: 14, zombie: 15, skeleton: 16, arrow: 17, plant: 18,
} as const;

/** Not yet seen. */
export const UNKNOWN = 255;
/** Grid side: twice the largest world side, so any start position fits. */
export const SIDE = 136;
const ORIGIN = SIDE >> 1;
const VIEW_COLS = 9;
const VIEW_ROWS = 7;

/** Directions in the action order move_left, move_right, move_up, move_down. */
export const DIRS: readonly (readonly [number, number])[] = [[-1, 0], [1, 0], [0, -1], [0, 1]];

export function isWalkable(mat: number): boolean {
  return mat === Id.grass || mat === Id.sand || mat === Id.path;
}

export class LocalMap {
  /** Remembered material per cell (`x * SIDE + y`), UNKNOWN if never seen. */
  readonly mat = new Uint8Array(SIDE * SIDE).fill(UNKNOWN);
  /** Object kind seen on the cell (0 none), valid when `objStep` equals the step it was seen. */
  readonly obj = new Uint8Array(SIDE * SIDE);
  readonly objStep = new Int32Array(SIDE * SIDE).fill(-1);
  /** Ripe plant seen on the cell at `objStep`. */
  readonly ripe = new Uint8Array(SIDE * SIDE);
  /** Cells the agent dug itself (path it made, as opposed to natural tunnels where skeletons live). */
  readonly dug = new Uint8Array(SIDE * SIDE);
  /** Extra path cost per cell near hostiles seen now (set by `markHazards`), added by the path planner. */
  readonly hazard = new Uint8Array(SIDE * SIDE);
  /** Extra path cost of a natural tunnel cell (0: none). */
  tunnelCost = 0;
  private hazardCells: number[] = [];
  x = ORIGIN;
  y = ORIGIN;
  step = 0;

  idx(x: number, y: number): number {
    return x * SIDE + y;
  }

  inGrid(x: number, y: number): boolean {
    return x >= 0 && y >= 0 && x < SIDE && y < SIDE;
  }

  matAt(x: number, y: number): number {
    return this.inGrid(x, y) ? this.mat[x * SIDE + y]! : Id.outside;
  }

  /** Object kind on the cell if it was seen there on the current step, else 0. */
  objAt(x: number, y: number): number {
    if (!this.inGrid(x, y)) return 0;
    const i = x * SIDE + y;
    return this.objStep[i] === this.step ? this.obj[i]! : 0;
  }

  /** Walkable and free of objects seen now. */
  free(x: number, y: number): boolean {
    return isWalkable(this.matAt(x, y)) && this.objAt(x, y) === 0;
  }

  /**
   * Dead reckoning after `action`: a move (1..4) is believed when the new view fits the neighbour cell at least as
   * well as the old position (strictly better when `enterable` said the move should fail).
   */
  followMove(view: Uint8Array, action: number, enterable: (x: number, y: number) => boolean = (x, y) => this.free(x, y)): void {
    if (action < 1 || action > 4) return;
    const [dx, dy] = DIRS[action - 1]!;
    const predicted = enterable(this.x + dx, this.y + dy);
    const stay = this.mismatches(view, this.x, this.y);
    const moved = this.mismatches(view, this.x + dx, this.y + dy);
    if (predicted ? moved <= stay : moved < stay) {
      this.x += dx;
      this.y += dy;
    }
  }

  /**
   * Mismatches between a view and the memory if the player stood at (px, py): used to check dead reckoning.
   * Only materials count (objects move).
   */
  mismatches(view: Uint8Array, px: number, py: number): number {
    let bad = 0;
    for (let r = 0; r < VIEW_ROWS; r++) {
      for (let c = 0; c < VIEW_COLS; c++) {
        const v = view[r * VIEW_COLS + c]!;
        if (v > Id.furnace) continue;
        const m = this.matAt(px + c - 4, py + r - 3);
        if (m !== UNKNOWN && m !== v) bad++;
      }
    }
    return bad;
  }

  /**
   * Records a view taken at the current position. `ripeFlags` (optional) marks ripe plants per view cell.
   */
  record(view: Uint8Array, ripeFlags: Uint8Array | null): void {
    for (let r = 0; r < VIEW_ROWS; r++) {
      for (let c = 0; c < VIEW_COLS; c++) {
        const x = this.x + c - 4;
        const y = this.y + r - 3;
        if (!this.inGrid(x, y)) continue;
        const i = x * SIDE + y;
        const v = view[r * VIEW_COLS + c]!;
        if (v <= Id.furnace) {
          this.mat[i] = v;
          this.obj[i] = 0;
          this.objStep[i] = this.step;
          continue;
        }
        // An object hides its cell: keep what we knew, else guess the usual ground of that kind.
        const known = this.mat[i]!;
        if (v === Id.arrow) {
          if (known === UNKNOWN) this.mat[i] = Id.path;
        } else if (known === UNKNOWN || !isWalkable(known)) {
          this.mat[i] = v === Id.skeleton ? Id.path : Id.grass;
        }
        this.obj[i] = v === Id.player && r === 3 && c === 4 ? 0 : v;
        this.objStep[i] = this.step;
        this.ripe[i] = ripeFlags !== null && ripeFlags[r * VIEW_COLS + c] ? 1 : 0;
      }
    }
  }

  /** Visible objects of a kind as [x, y] pairs. */
  visible(kind: number): [number, number][] {
    const out: [number, number][] = [];
    for (let r = 0; r < VIEW_ROWS; r++) {
      for (let c = 0; c < VIEW_COLS; c++) {
        const x = this.x + c - 4;
        const y = this.y + r - 3;
        if (this.objAt(x, y) === kind) out.push([x, y]);
      }
    }
    return out;
  }

  /**
   * Marks cells next to visible zombies (`zombieCost`) and cells a visible skeleton sees along a row or column
   * (`skeletonCost`) so that routes go around them; clears the marks of the previous step.
   */
  markHazards(zombieCost: number, skeletonCost: number): void {
    for (const i of this.hazardCells) this.hazard[i] = 0;
    this.hazardCells = [];
    const mark = (x: number, y: number, c: number): void => {
      if (!this.inGrid(x, y)) return;
      const i = x * SIDE + y;
      if (this.hazard[i] === 0) this.hazardCells.push(i);
      this.hazard[i] = Math.min(255, this.hazard[i]! + c);
    };
    if (zombieCost > 0) {
      for (const [x, y] of this.visible(Id.zombie)) for (const [dx, dy] of DIRS) mark(x + dx, y + dy, zombieCost);
    }
    if (skeletonCost > 0) {
      for (const [x, y] of this.visible(Id.skeleton)) {
        for (const [dx, dy] of DIRS) {
          for (let k = 1; k <= 4; k++) {
            const m = this.matAt(x + dx * k, y + dy * k);
            if (!isWalkable(m) && m !== Id.water && m !== Id.lava) break;
            mark(x + dx * k, y + dy * k, skeletonCost);
          }
        }
      }
    }
  }
}
