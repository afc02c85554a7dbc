/**
 * The LLM agent's low level: executes one subgoal of the world's vocabulary (`collect_wood`, `place_table`,
 * `make_stone_pickaxe`, `explore`) with the scripted agent's tools (local map, route search, navigator), one action
 * per step, plus what a 350-step MAC episode needs whatever the plan says (drink and eat when low, pay owed shares).
 * A `fail-safe` subgoal hands the agent to the kg-planner for a number of steps.
 */
import type { Decision, DecisionContext, EpisodeContext, Transition } from '../../core/controller.js';
import type { OptionExecutor } from '../../core/option-controller.js';
import type { AgentId } from '../../core/parallel-env.js';
import type { CrafterInfo } from '../../worlds/crafter/crafter-env.js';
import { spawnPositions } from '../../worlds/crafter/crafter-env.js';
import type { SymbolicObservation } from '../../worlds/crafter/observation.js';
import type { CrafterRules } from '../../worlds/crafter/rules.js';
import { Id, LocalMap, isWalkable } from '../crafter/local-map.js';
import { A, Navigator } from '../crafter/navigator.js';
import { search } from '../crafter/path-planner.js';
import { Inv } from '../crafter/tech-tree.js';
import { FRAME } from '../crafter/kg-sync.js';
import type { KgFailSafe } from './kg-fail-safe.js';

/** A subgoal the LLM chose (`name` from the vocabulary), or the kg-planner driving for `steps` steps. */
export type LlmSubgoal =
  | {
    readonly kind: 'task';
    /** `collect_wood`, `place_table`, `make_wood_pickaxe`, `explore`. */
    readonly name: string;
    /** The goal the LLM stated, in its words. */
    readonly goal: string;
    /** collect: how many more to get. */
    readonly count: number;
    /** Team-frame cell where the knowledge graph says the target is (the local map may not know it yet). */
    readonly hint?: readonly [number, number];
  }
  | { readonly kind: 'fail-safe'; readonly steps: number; readonly reason: string };

/** Vitals slots of the observation: health, food, drink, energy. */
const FOOD = 1;
const DRINK = 2;
const ORE = new Set<number>([Id.stone, Id.coal, Id.iron, Id.diamond]);

/** Where the agent is and what it has seen, dead-reckoned from the actions the world actually applied. */
export class CrafterPerception {
  map = new LocalMap();
  nav = new Navigator(this.map, null);
  obs: SymbolicObservation | null = null;

  reset(spawn: readonly [number, number], ctx: EpisodeContext): void {
    this.map = new LocalMap();
    this.map.x = FRAME + spawn[0];
    this.map.y = FRAME + spawn[1];
    this.nav = new Navigator(this.map, ctx.rng);
    this.obs = null;
  }

  /** A new observation after `action` (null for the first of the episode). */
  update(obs: SymbolicObservation, action: number | null): void {
    const m = this.map;
    // A move steps only onto a free walkable cell: believe the view, as the kg-planner does.
    if (this.obs && action !== null) m.followMove(obs.map, action);
    if (this.obs) m.step++;
    for (let d = 0; d < 4; d++) if (obs.facing[d]) this.nav.facing = d;
    m.record(obs.map, null);
    this.nav.inv = obs.inventory;
    this.obs = obs;
  }

  /** Position in the team frame (world cells, from the public spawn layout). */
  get position(): [number, number] {
    return [this.map.x - FRAME, this.map.y - FRAME];
  }

  has(item: string): number {
    const i = (Inv as Record<string, number>)[item];
    return i === undefined || !this.obs ? 0 : this.obs.inventory[i]!;
  }

  /** Stations within a short walk (the recipes' `nearby`). */
  nearby(): string[] {
    const out: string[] = [];
    for (const [name, mat] of [['table', Id.table], ['furnace', Id.furnace]] as const) if (this.stationRoute(mat, 8) !== null) out.push(name);
    return out;
  }

  stationRoute(mat: number, maxCost: number): ReturnType<typeof search> {
    const m = this.map;
    return search(m, (x, y) => isWalkable(m.matAt(x, y)) && near(m, x, y, mat), { maxCost });
  }
}

function near(m: LocalMap, x: number, y: number, mat: number): boolean {
  for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) if (m.matAt(x + dx, y + dy) === mat) return true;
  return false;
}

export interface SubgoalExecutorOptions {
  readonly rules: CrafterRules;
  readonly agents: readonly AgentId[];
  readonly perception: CrafterPerception;
  readonly failSafe: KgFailSafe;
  /** Steps an `explore` subgoal lasts. */
  readonly exploreSteps: number;
}

/** Progress of the subgoal being executed. */
interface Progress { readonly sub: LlmSubgoal; readonly start: Int32Array; readonly drink: number; steps: number; gaveUp: boolean }

export class SubgoalExecutor implements OptionExecutor<SymbolicObservation, number, LlmSubgoal, CrafterInfo> {
  private progress: Progress | null = null;
  private drinking = false;
  /** Shares promised by the plan: one unit per step with the world's share action. */
  readonly owed: { item: string; to: AgentId; left: number }[] = [];
  private readonly actionOf = new Map<string, number>();
  private readonly sourceOf = new Map<string, number>();

  constructor(private readonly o: SubgoalExecutorOptions) {
    o.rules.actions.forEach((a, i) => this.actionOf.set(a, i));
    const ids = Id as Record<string, number>;
    for (const [mat, c] of Object.entries(o.rules.data.collect)) for (const item of Object.keys(c.receive)) if (ids[mat] !== undefined) this.sourceOf.set(item, ids[mat]);
  }

  /** Team-frame spawn cell of an agent (the public layout every agent knows). */
  spawnOf(agent: AgentId): [number, number] {
    const w = this.o.rules.data.world;
    const i = Math.max(0, this.o.agents.indexOf(agent));
    return spawnPositions(this.o.agents.length, w.area, w.spawnSpacing)[i]!;
  }

  reset(): void {
    this.progress = null;
    this.drinking = false;
    this.owed.length = 0;
  }

  /** Whether the subgoal is reached, impossible here, or (explore, fail-safe) has run its steps. */
  isDone(sub: LlmSubgoal): boolean {
    const p = this.track(sub);
    if (sub.kind === 'fail-safe') return p.steps >= sub.steps;
    if (p.gaveUp) return true;
    const per = this.o.perception;
    const obs = per.obs;
    if (!obs) return false;
    const [verb, ...rest] = sub.name.split('_');
    const what = rest.join('_');
    if (verb === 'explore') return p.steps >= this.o.exploreSteps;
    if (verb === 'collect') {
      if (what === 'drink') return obs.vitals[DRINK]! >= Math.min(9, p.drink + sub.count);
      const i = (Inv as Record<string, number>)[what];
      return i === undefined || obs.inventory[i]! >= p.start[i]! + sub.count;
    }
    if (verb === 'make') {
      const i = (Inv as Record<string, number>)[what];
      return i === undefined || obs.inventory[i]! > p.start[i]!;
    }
    if (verb === 'place') {
      // Placing consumes its inputs: any of them going down means it worked.
      const uses = this.o.rules.data.place[what]?.uses ?? {};
      return Object.keys(uses).some((item) => {
        const i = (Inv as Record<string, number>)[item];
        return i !== undefined && obs.inventory[i]! < p.start[i]!;
      });
    }
    return true;
  }

  /** Whether the executor gave `sub` up (nothing to do towards it from here). */
  gaveUp(sub: LlmSubgoal): boolean {
    return this.progress?.sub === sub && this.progress.gaveUp;
  }

  private track(sub: LlmSubgoal): Progress {
    if (this.progress?.sub !== sub) {
      const obs = this.o.perception.obs;
      this.progress = { sub, start: obs ? obs.inventory.slice() : new Int32Array(12), drink: obs ? obs.vitals[DRINK]! : 0, steps: 0, gaveUp: false };
    }
    return this.progress;
  }

  observe(_t: Transition<SymbolicObservation, CrafterInfo>, sub: LlmSubgoal): void {
    this.track(sub).steps++;
  }

  act(ctx: DecisionContext<SymbolicObservation, CrafterInfo>, sub: LlmSubgoal): Decision<number> {
    const p = this.track(sub);
    if (sub.kind === 'fail-safe') return this.o.failSafe.act(ctx);
    const share = this.shareAction();
    if (share !== null) return share;
    const survive = this.survive();
    if (survive !== null) return survive;
    const action = this.step(sub);
    if (action === null) {
      p.gaveUp = true; // nothing to do towards it from here (no station known, nowhere to place): re-plan
      return A.noop;
    }
    return action;
  }

  private shareAction(): number | null {
    const per = this.o.perception;
    while (this.owed.length > 0) {
      const owe = this.owed[0]!;
      const slot = this.o.rules.data.share.items.indexOf(owe.item);
      const t = this.o.agents.indexOf(owe.to);
      if (slot >= 0 && t >= 0 && per.has(owe.item) > 0 && owe.left > 0) {
        if (--owe.left <= 0) this.owed.shift();
        return this.o.rules.actions.length + slot * this.o.agents.length + t;
      }
      this.owed.shift();
    }
    return null;
  }

  private survive(): number | null {
    const per = this.o.perception;
    const obs = per.obs!;
    const m = per.map;
    if (obs.vitals[DRINK]! <= 3) this.drinking = true;
    else if (obs.vitals[DRINK]! >= 8) this.drinking = false;
    if (this.drinking) {
      const a = per.nav.collectAdjacent((x, y) => m.matAt(x, y) === Id.water, 25);
      if (a !== null) return a;
    }
    if (obs.vitals[FOOD]! <= 3) return per.nav.collectAdjacent((x, y) => m.objAt(x, y) === Id.cow, 10);
    return null;
  }

  private step(sub: Extract<LlmSubgoal, { kind: 'task' }>): number | null {
    const per = this.o.perception;
    const m = per.map;
    const nav = per.nav;
    const inv = per.obs!.inventory;
    const [verb, ...rest] = sub.name.split('_');
    const what = rest.join('_');
    if (verb === 'explore') return nav.explore(inv);
    if (verb === 'collect') {
      const mat = what === 'drink' ? Id.water : (this.sourceOf.get(what) ?? Id.tree);
      const target = (x: number, y: number) => m.matAt(x, y) === mat;
      const a = nav.collectAdjacent(target, 120);
      if (a !== null) return a;
      const mineable = nav.mineable(inv);
      if (sub.hint) {
        const [hx, hy] = [FRAME + sub.hint[0], FRAME + sub.hint[1]];
        const r = search(m, (x, y) => Math.abs(x - hx) + Math.abs(y - hy) <= 1, { mineable, unknownCost: 2, maxCost: 500 });
        if (r && r.cells.length > 0) return nav.follow(r);
      }
      return nav.explore(inv, ORE.has(mat) ? (x, y) => near(m, x, y, Id.stone) : undefined);
    }
    if (verb === 'place') {
      const action = this.actionOf.get(sub.name);
      if (action === undefined) return null;
      const ok = (this.o.rules.data.place[what]?.where ?? ['grass', 'sand', 'path']).map((w) => (Id as Record<string, number>)[w]);
      return nav.placeFacing(action, (x, y) => ok.includes(m.matAt(x, y)) && m.objAt(x, y) === 0) ?? nav.explore(inv);
    }
    if (verb === 'make') {
      const action = this.actionOf.get(sub.name);
      if (action === undefined) return null;
      const mats = (this.o.rules.data.make[what]?.nearby ?? []).map((w) => (Id as Record<string, number>)[w]!);
      if (mats.every((mat) => near(m, m.x, m.y, mat))) return action;
      const r = search(m, (x, y) => isWalkable(m.matAt(x, y)) && mats.every((mat) => near(m, x, y, mat)), { maxCost: 60 });
      if (r && r.cells.length > 0) return nav.follow(r);
      return null;
    }
    return null;
  }
}
