import type { Controller, DecisionContext, EpisodeContext } from '../core/controller.js';
import type { Rng } from '../core/rng.js';
import type { NavigationInfo, NavigationObservation, NavigationState } from '../worlds/navigation/navigation-env.js';
import { Material, isPassable } from '../worlds/navigation/materials.js';
import { GridSearch, cellAfter, movesInside } from './grid-path.js';

/** Steps an oracle waits behind another agent before it walks around it (if it can). */
const PATIENCE = 2;
/** Steps blocked after which it moves at random, the last resort against a livelock. */
const DESPAIR = 12;

type AgentView = NavigationState['agents'][number];

/**
 * The navigation upper bound: shortest paths on the full map from `ctx.worldState()`.
 *
 * It follows the distance field to its goal, or, while the goal is behind a locked door it cannot open, to the
 * nearest key. Other agents are temporary obstacles, resolved by priority (agent order): an agent standing
 * anywhere on the path of a blocked agent earlier in the order steps aside to the nearest free cell off that path
 * and waits there (at most {@link DESPAIR} steps) until that path no longer needs its next cell. A blocked agent waits {@link PATIENCE} steps, then walks around if it can, and after {@link DESPAIR}
 * steps walks 1-4 random steps (from `ctx.rng`).
 */
export class OracleController implements Controller<NavigationObservation, number, NavigationInfo, NavigationState> {
  private rng: Rng | null = null;
  private blocked = 0;
  /** While stepping aside: for whom, and the cell off its path being walked to. */
  private yielding: { agent: string; cell: number } | null = null;
  /** Steps waited at the side cell; gives up after {@link DESPAIR} (the other may be stuck itself). */
  private yieldWait = 0;
  /** Random steps left to take after despairing of a deadlock. */
  private wander = 0;
  private readonly search = new GridSearch();
  private readonly fields = new Map<string, { sig: string; field: Int32Array }>();

  reset(ctx: EpisodeContext): void {
    this.rng = ctx.rng;
    this.blocked = 0;
    this.yielding = null;
    this.wander = 0;
    this.fields.clear();
  }

  act(ctx: DecisionContext<NavigationObservation, NavigationInfo, NavigationState>): number {
    const s = ctx.worldState();
    const meIndex = s.agents.findIndex((a) => a.id === ctx.agent);
    const me = s.agents[meIndex];
    if (!me) throw new Error(`oracle: ${ctx.agent} is not in the world state`);
    const { width, height } = s;
    const cellOf = (a: AgentView) => a.position[1] * width + a.position[0];
    const start = cellOf(me);
    const occupied = new Map<number, number>();
    s.agents.forEach((a, i) => {
      if (a.alive && i !== meIndex) occupied.set(cellOf(a), i);
    });
    const sig = `${ctx.episode}:${s.keys.length}:${countLocked(s.grid)}`;
    const field = this.field(s, me, sig);
    const myMoves = bestMoves(field, start, width, height);
    const myFree = myMoves.filter((a) => !occupied.has(cellAfter(start, a, width)));

    if (this.wander > 0) {
      this.wander--;
      return this.randomMove(ctx, start, occupied, width);
    }
    // Finish stepping aside: walk to the chosen cell, then wait there until the other agent's path is clear of us.
    if (this.yielding) {
      const other = s.agents.find((a) => a.id === this.yielding?.agent);
      if (other?.alive) {
        const otherPath = tracePath(this.field(s, other, sig), cellOf(other), width, height);
        if (start !== this.yielding.cell) {
          const cell = this.yielding.cell;
          const step = this.search.firstStep(width, height, start, (c) => c === cell, (c) => this.passable(s, me, c) && !occupied.has(c));
          if (step && step.action !== 0) return step.action;
        } else if (myMoves.some((a) => otherPath.has(cellAfter(start, a, width))) && ++this.yieldWait <= DESPAIR) return 0;
      }
      this.yielding = null;
    }
    // Step aside for an earlier agent that is blocked and whose path runs through this cell.
    if (myFree.length === 0) {
      for (let i = 0; i < meIndex; i++) {
        const other = s.agents[i] as AgentView;
        if (!other.alive) continue;
        const oStart = cellOf(other);
        const oField = this.field(s, other, sig);
        const oMoves = bestMoves(oField, oStart, width, height);
        if (oMoves.some((a) => !occupied.has(cellAfter(oStart, a, width)) && cellAfter(oStart, a, width) !== start)) continue;
        // Anywhere on its path, not only next to it: in a corridor the agents between also have to back off.
        const path = tracePath(oField, oStart, width, height);
        if (!path.has(start)) continue;
        const aside = this.search.firstStep(width, height, start, (c) => !path.has(c), (c) => this.passable(s, me, c) && !occupied.has(c));
        if (aside && aside.action !== 0) {
          this.blocked = 0;
          this.yielding = { agent: other.id, cell: aside.target };
          this.yieldWait = 0;
          return aside.action;
        }
      }
    }
    if (myFree.length > 0) {
      this.blocked = 0;
      return myFree[0] as number;
    }
    this.blocked++;
    if (field[start] !== -1 && this.blocked > PATIENCE) {
      const around = this.search.firstStep(width, height, start, (c) => field[c] === 0, (c) => this.passable(s, me, c) && !occupied.has(c));
      if (around && around.action !== 0) return around.action;
    }
    if (this.blocked <= DESPAIR || !this.rng) return 0;
    // A random walk of a few steps, not one: two agents that each step back once just meet again.
    this.blocked = 0;
    this.wander = this.rng.int(1, 4);
    return this.randomMove(ctx, start, occupied, width);
  }

  private randomMove(ctx: DecisionContext<NavigationObservation, NavigationInfo, NavigationState>, start: number, occupied: ReadonlyMap<number, number>, width: number): number {
    const legal = [1, 2, 3, 4].filter((a) => ctx.info.actionMask[a] === 1 && !occupied.has(cellAfter(start, a, width)));
    return legal.length > 0 && this.rng ? this.rng.pick(legal) : 0;
  }

  private passable(s: NavigationState, agent: AgentView, c: number): boolean {
    const m = s.grid[c] as number;
    return isPassable(m) || (agent.hasKey && m === Material.doorLocked);
  }

  /** Distance to `agent`'s goal, or to the nearest key while the goal is out of its reach; cached until the map changes. */
  private field(s: NavigationState, agent: AgentView, sig: string): Int32Array {
    const key = `${agent.id}:${agent.hasKey}`;
    const cached = this.fields.get(key);
    if (cached && cached.sig === sig) return cached.field;
    const w = s.width;
    const start = agent.position[1] * w + agent.position[0];
    const goals = s.goals.filter((g) => g.owner === null || g.owner === agent.id).map((g) => g.position[1] * w + g.position[0]);
    let field = this.search.distanceField(w, s.height, goals, (c) => this.passable(s, agent, c));
    if (field[start] === -1 && !agent.hasKey && s.keys.length > 0) {
      field = this.search.distanceField(w, s.height, s.keys.map(([x, y]) => y * w + x), (c) => this.passable(s, agent, c));
    }
    this.fields.set(key, { sig, field });
    return field;
  }
}

/** Moves from `cell` that go one step down the distance field. */
function bestMoves(field: Int32Array, cell: number, width: number, height: number): number[] {
  const d = field[cell] as number;
  if (d <= 0) return [];
  return movesInside(cell, width, height).filter((a) => field[cellAfter(cell, a, width)] === d - 1);
}

/** The cells of one shortest path down the distance field from `cell` (inclusive). */
function tracePath(field: Int32Array, cell: number, width: number, height: number): Set<number> {
  const path = new Set([cell]);
  let c = cell;
  for (;;) {
    const next = bestMoves(field, c, width, height)[0];
    if (next === undefined) return path;
    c = cellAfter(c, next, width);
    path.add(c);
  }
}

function countLocked(grid: Uint8Array): number {
  let n = 0;
  for (const m of grid) if (m === Material.doorLocked) n++;
  return n;
}
