import type { Controller, DecisionContext, EpisodeContext } from '../core/controller.js';
import type { Rng } from '../core/rng.js';
import type { NavigationInfo, NavigationObservation, NavigationState } from '../worlds/navigation/navigation-env.js';
import { Material, isPassable } from '../worlds/navigation/materials.js';
import { cellAfter, firstStepTowards } from './grid-path.js';

/** Steps an oracle waits behind another agent before it tries a random legal move to break a deadlock. */
const PATIENCE = 2;

/**
 * The navigation upper bound: plans shortest paths (BFS) on the full map from `ctx.worldState()`.
 * Goes to its goal when it can reach it; otherwise fetches the nearest key first (key-door), then the goal.
 * Other live agents are obstacles; when they cut every path it follows the path through them and waits, and after
 * {@link PATIENCE} blocked steps takes a random legal move (from `ctx.rng`) so two agents in a corridor cannot
 * deadlock for ever.
 */
export class OracleController implements Controller<NavigationObservation, number, NavigationInfo, NavigationState> {
  private rng: Rng | null = null;
  private blocked = 0;

  reset(ctx: EpisodeContext): void {
    this.rng = ctx.rng;
    this.blocked = 0;
  }

  act(ctx: DecisionContext<NavigationObservation, NavigationInfo, NavigationState>): number {
    const s = ctx.worldState();
    const me = s.agents.find((a) => a.id === ctx.agent);
    if (!me) throw new Error(`oracle: ${ctx.agent} is not in the world state`);
    const { width, height, grid } = s;
    const start = me.position[1] * width + me.position[0];
    const occupied = new Set<number>();
    for (const a of s.agents) if (a.alive && a.id !== me.id) occupied.add(a.position[1] * width + a.position[0]);
    const goals = new Set(s.goals.filter((g) => g.owner === null || g.owner === me.id).map((g) => g.position[1] * width + g.position[0]));
    const keys = new Set(s.keys.map(([x, y]) => y * width + x));
    const passable = (c: number) => isPassable(grid[c] as number) || (me.hasKey && grid[c] === Material.doorLocked);
    const free = (c: number) => passable(c) && !occupied.has(c);
    const toGoal = (c: number) => goals.has(c);
    const toKey = (c: number) => keys.has(c);
    // Prefer a path around the others; else the path through them (and wait for them to move).
    const plan =
      firstStepTowards(width, height, start, toGoal, free) ??
      (me.hasKey ? null : firstStepTowards(width, height, start, toKey, free)) ??
      firstStepTowards(width, height, start, toGoal, passable) ??
      (me.hasKey ? null : firstStepTowards(width, height, start, toKey, passable));
    if (plan && plan.action !== 0 && !occupied.has(cellAfter(start, plan.action, width))) {
      this.blocked = 0;
      return plan.action;
    }
    if (++this.blocked <= PATIENCE || !this.rng) return 0;
    const legal = [1, 2, 3, 4].filter((a) => ctx.info.actionMask[a] === 1 && !occupied.has(cellAfter(start, a, width)));
    return legal.length > 0 ? this.rng.pick(legal) : 0;
  }
}
