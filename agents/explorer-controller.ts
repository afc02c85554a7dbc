import type { Controller, DecisionContext, EpisodeContext } from '../core/controller.js';
import type { Rng } from '../core/rng.js';
import type { NavigationInfo, NavigationObservation } from '../worlds/navigation/navigation-env.js';
import { ViewCategory } from '../worlds/navigation/materials.js';
import { GridSearch, cellAfter } from './grid-path.js';

/** Map value of a cell never seen. */
const UNKNOWN = 255;
const PATIENCE = 2;
const DESPAIR = 8;

/**
 * What explorers have seen: one {@link ViewCategory} per cell (or `UNKNOWN`), `side x side`. Give the same
 * instance to several explorers to let teammates share what they see; it clears itself when a new episode starts.
 */
export class ExplorerMap {
  cells: Uint8Array = new Uint8Array(0);
  side = 0;
  private episode = -1;
  /** How many known cells hold each category, so a search for something never seen is skipped. */
  private readonly counts = new Int32Array(256);

  /** Starts a fresh map for `episode` unless this map already did (the first teammate to reset clears it). */
  begin(episode: number, side: number): void {
    if (episode === this.episode && side === this.side) return;
    this.episode = episode;
    this.side = side;
    this.cells = new Uint8Array(side * side).fill(UNKNOWN);
    this.counts.fill(0);
    this.counts[UNKNOWN] = side * side;
  }

  /** Records that cell `c` shows `category`. */
  set(c: number, category: number): void {
    const old = this.cells[c] as number;
    if (old === category) return;
    this.counts[old] = (this.counts[old] as number) - 1;
    this.counts[category] = (this.counts[category] as number) + 1;
    this.cells[c] = category;
  }

  /** Number of known cells showing `category`. */
  count(category: number): number {
    return this.counts[category] as number;
  }
}

export interface ExplorerOptions {
  /** A map shared with teammates (default: a private one). */
  readonly map?: ExplorerMap;
}

/**
 * Frontier exploration from the agent's own egocentric views and position only (no world state):
 * it records every cell it sees, walks the shortest known path to the goal once seen, fetches a seen key when it
 * has none, otherwise goes to the nearest frontier (a known free cell next to an unseen one) and keeps that frontier
 * until it is seen. With nothing left it waits in sight of a locked door it cannot open (a teammate may open it),
 * or moves at random. Agents in view block it: it waits 1-3 steps (drawn from `ctx.rng`, so teammates do not
 * re-plan in lockstep), then walks around them (re-choosing the nearest frontier), then moves at random.
 */
export class ExplorerController implements Controller<NavigationObservation, number, NavigationInfo> {
  private readonly map: ExplorerMap;
  private rng: Rng | null = null;
  private blocked = 0;
  private patience = PATIENCE;
  /** The frontier cell being walked to, -1 for none. */
  private frontier = -1;
  private readonly search = new GridSearch();

  constructor(opts: ExplorerOptions = {}) {
    this.map = opts.map ?? new ExplorerMap();
  }

  reset(ctx: EpisodeContext): void {
    const space = ctx.observationSpace;
    const pos = space.kind === 'dict' ? space.spaces['position'] : undefined;
    if (!pos || pos.kind !== 'box') throw new Error(`explorer: ${ctx.agent}'s observation space has no box "position" (is it a navigation world?)`);
    this.map.begin(ctx.episode, pos.high + 1);
    this.rng = ctx.rng;
    this.blocked = 0;
    this.frontier = -1;
  }

  act(ctx: DecisionContext<NavigationObservation, NavigationInfo>): number {
    const { side, cells } = this.map;
    if (side === 0) throw new Error(`explorer of ${ctx.agent}: reset(ctx) must be called before act()`);
    const { view, position, hasKey } = ctx.observation;
    const holdsKey = hasKey[0] === 1;
    const occupied = this.record(view, position[0] as number, position[1] as number);
    const start = (position[1] as number) * side + (position[0] as number);
    const passable = (c: number) => {
      const m = cells[c] as number;
      return m === ViewCategory.empty || m === ViewCategory.doorOpen || m === ViewCategory.key || m === ViewCategory.goal ||
        m === ViewCategory.otherGoal || (holdsKey && m === ViewCategory.doorLocked);
    };
    const free = (c: number) => passable(c) && !occupied.has(c);
    const isGoal = (c: number) => cells[c] === ViewCategory.goal;
    const isKey = (c: number) => !holdsKey && cells[c] === ViewCategory.key;
    const isFrontier = (c: number) => {
      const x = c % side;
      const y = (c - x) / side;
      return (x > 0 && cells[c - 1] === UNKNOWN) || (x < side - 1 && cells[c + 1] === UNKNOWN) ||
        (y > 0 && cells[c - side] === UNKNOWN) || (y < side - 1 && cells[c + side] === UNKNOWN);
    };
    // Where to wait for a teammate to open a locked door: in sight of it, but off the cells next to it, which the
    // key holder needs.
    const watch = Math.min(2, Math.round(Math.sqrt(view.length)) >> 1);
    const watchesDoor = (c: number) => {
      const x = c % side;
      const y = (c - x) / side;
      for (let dy = -watch; dy <= watch; dy++) {
        for (let dx = -watch; dx <= watch; dx++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) !== watch) continue;
          const nx = x + dx;
          const ny = y + dy;
          if (nx >= 0 && ny >= 0 && nx < side && ny < side && cells[ny * side + nx] === ViewCategory.doorLocked) return true;
        }
      }
      return false;
    };
    // Only search for what the map holds, so the usual search (nearest frontier) stops early. A frontier once
    // chosen is kept until it is seen or cut off: re-choosing every step lets two agents mirror each other for ever.
    const path = (target: (c: number) => boolean, through: (c: number) => boolean) => this.search.firstStep(side, side, start, target, through);
    let target: ((c: number) => boolean) | null = null;
    if (this.map.count(ViewCategory.goal) > 0 && path(isGoal, passable)) target = isGoal;
    else if (!holdsKey && this.map.count(ViewCategory.key) > 0 && path(isKey, passable)) target = isKey;
    else {
      const kept = this.frontier;
      if (kept < 0 || kept === start || !passable(kept) || !isFrontier(kept)) this.frontier = path(isFrontier, passable)?.target ?? -1;
      const chosen = this.frontier;
      if (chosen >= 0) target = (c: number) => c === chosen;
    }
    if (target) {
      const plan = path(target, passable);
      if (plan && plan.action !== 0) {
        if (!occupied.has(cellAfter(start, plan.action, side))) {
          this.blocked = 0;
          return plan.action;
        }
        // Blocked: wait for the other to move on, then walk around it, then move at random.
        // The wait is drawn at random so that two explorers blocking each other do not re-plan in lockstep.
        if (this.blocked === 0) this.patience = this.rng ? this.rng.int(1, PATIENCE + 1) : PATIENCE;
        if (++this.blocked <= this.patience) return 0;
        // Around it: to the same goal or key, or to whichever frontier is now nearest (and keep that one).
        const exploring = target !== isGoal && target !== isKey;
        const around = path(exploring ? isFrontier : target, free);
        if (around && around.action !== 0 && this.blocked <= DESPAIR) {
          if (exploring) this.frontier = around.target;
          this.blocked = 0;
          return around.action;
        }
        return this.wait(ctx, start, occupied, true);
      }
    }
    const door = holdsKey || this.map.count(ViewCategory.doorLocked) === 0 ? null : path(watchesDoor, passable);
    if (door && door.action !== 0 && !occupied.has(cellAfter(start, door.action, side))) return door.action;
    // Waiting with nothing to do: make room when others are close (they may need this cell), else stand still.
    const crowded = [...occupied].some((c) => Math.abs((c % side) - (start % side)) + Math.abs(Math.floor(c / side) - Math.floor(start / side)) <= 2);
    if (door && !crowded) return 0;
    return this.rng && (!crowded || this.rng.chance(0.5)) ? this.wait(ctx, start, occupied, true) : 0;
  }

  /** Writes the view into the map; returns the cells where other agents stand now. */
  private record(view: Uint8Array, ax: number, ay: number): Set<number> {
    const { side, cells } = this.map;
    const size = Math.round(Math.sqrt(view.length));
    const r = size >> 1;
    const occupied = new Set<number>();
    for (let vy = 0; vy < size; vy++) {
      const y = ay + vy - r;
      if (y < 0 || y >= side) continue;
      for (let vx = 0; vx < size; vx++) {
        const x = ax + vx - r;
        if (x < 0 || x >= side) continue;
        const c = y * side + x;
        const seen = view[vy * size + vx] as number;
        if (seen === ViewCategory.agent) {
          occupied.add(c);
          // The agent hides what it stands on; it stands on something passable.
          if (cells[c] === UNKNOWN) this.map.set(c, ViewCategory.empty);
        } else this.map.set(c, seen);
      }
    }
    return occupied;
  }

  private wait(ctx: DecisionContext<NavigationObservation, NavigationInfo>, start: number, occupied: Set<number>, now = false): number {
    if ((!now && ++this.blocked <= PATIENCE) || !this.rng) return 0;
    const side = this.map.side;
    const legal = [1, 2, 3, 4].filter((a) => ctx.info.actionMask[a] === 1 && !occupied.has(cellAfter(start, a, side)));
    return legal.length > 0 ? this.rng.pick(legal) : 0;
  }
}
