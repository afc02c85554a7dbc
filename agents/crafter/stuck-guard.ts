/**
 * Breaks move loops. Two teammates whose routes cross each other's cell both step aside, then both step back,
 * in lockstep, forever (each sees the other as an obstacle on the same step): seen on MAC seeds as 40-step dances
 * at a world edge. When the last `window` positions cover at most two cells while the agent kept moving, it takes
 * a few random free steps (the run's Rng, so teammates desynchronise).
 */
import type { Rng } from '../../core/rng.js';
import { DIRS } from './local-map.js';
import type { LocalMap } from './local-map.js';
import { A } from './navigator.js';

export class StuckGuard {
  private readonly trail: number[] = [];
  private readonly moves: boolean[] = [];
  private escape = 0;

  constructor(
    private readonly map: LocalMap,
    private readonly rng: Rng,
    private readonly window = 8,
  ) {}

  /** A random free move when the agent has been pacing between two cells, else null. */
  check(lastAction: number): number | null {
    const m = this.map;
    this.trail.push(m.idx(m.x, m.y));
    this.moves.push(lastAction >= A.move && lastAction < A.move + 4);
    if (this.trail.length > this.window) this.trail.shift();
    if (this.moves.length > this.window) this.moves.shift();
    // Every action of the window a move, yet at most two cells: pacing (working at a tree or ore is not).
    const pacing = this.trail.length === this.window && this.moves.every(Boolean) && new Set(this.trail).size === 2;
    if (this.escape === 0 && pacing) this.escape = 2 + this.rng.int(0, 2);
    if (this.escape === 0) return null;
    this.escape--;
    this.trail.length = 0;
    this.moves.length = 0;
    const free = [0, 1, 2, 3].filter((d) => m.free(m.x + DIRS[d]![0], m.y + DIRS[d]![1]));
    return free.length > 0 ? A.move + free[this.rng.int(0, free.length - 1)]! : null;
  }
}
