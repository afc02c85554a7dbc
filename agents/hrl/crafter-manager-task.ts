import type { AgentId, AgentInfo } from '../../core/parallel-env.js';
import type { Rng } from '../../core/rng.js';
import { box, type BoxSpace } from '../../core/spaces.js';
import type { SubgoalContext } from '../../core/subgoal-vocabulary.js';
import type { CrafterInfo } from '../../worlds/crafter/crafter-env.js';
import type { CrafterSubgoal } from '../../worlds/crafter/crafter-subgoals.js';
import type { SymbolicObservation } from '../../worlds/crafter/observation.js';
import type { CrafterGoalTask } from './crafter-goal-task.js';
import type { GoalObservation } from './goal-conditioned-env.js';
import type { ManagerTask } from './manager-env.js';
import type { SlotChooser } from './task-planners.js';

/** The learned low level as the executor calls it: pi(a | o, g) on a goal-conditioned Crafter observation. */
export type CrafterGoalPolicy = (agent: AgentId, observation: GoalObservation<SymbolicObservation>, info: CrafterInfo) => number;

/**
 * The Crafter manager's task: one slot per goal of the goal task (`goals.goals`: the vocabulary's collect / place /
 * make subgoals, then its survival subgoals when the goal task has survival rules), legal when feasible now (the
 * others are masked out); the executor is the goal task's one-step option when it has one (a ready make), else the
 * learned low level given the subgoal as its goal, and an option is over when the world's events say the subgoal
 * was reached. Features: the
 * local map, inventory and vitals (clipped to 0..9) and the feasibility of each slot, one integer box whose values
 * the encoder makes categories; optionally (`CrafterManagerOptions`) the daylight and the kg manager's own pick.
 */
export interface CrafterManagerOptions {
  /** One more feature: the observation's light, 0 (night) to 9 (day). Default false. */
  readonly daylight?: boolean;
  /**
   * Advice: the slot the kg manager would pick now (`CrafterGoalTask.choose`: survival, ready crafts, stock, the
   * regression) reads 2 instead of 1 in the feasibility features, which the manager may follow or not. Default false.
   */
  readonly advice?: boolean;
  /**
   * Options end on the goal task's survival interrupts too (`CrafterGoalTask.interrupt`: a zombie at hand ends any
   * option, thirst, hunger and tiredness end tech-tree ones), as they do under the kg manager, so the manager decides
   * again. Default false: an option ends only when its subgoal is reached or at `maxOptionSteps`.
   */
  readonly interrupts?: boolean;
}

export class CrafterManagerTask implements ManagerTask<SymbolicObservation, CrafterInfo, CrafterSubgoal> {
  readonly slots: number;
  readonly featureSpace: BoxSpace;
  private readonly last = new Map<AgentId, SymbolicObservation>();
  private readonly cache = new Map<AgentId, (CrafterSubgoal | null)[]>();
  /** The kg manager's slot for each agent's last observation (-1: none), asked for at most once per observation. */
  private readonly advised = new Map<AgentId, number>();
  private readonly high: number;

  constructor(
    readonly goals: CrafterGoalTask,
    private readonly lowLevel: CrafterGoalPolicy,
    mapValues: number,
    readonly options: CrafterManagerOptions = {},
  ) {
    this.slots = goals.goals.length;
    this.high = Math.max(9, mapValues - 1, 1);
    const rules = goals.planner.rules;
    const [cols, rows] = rules.data.world.localView;
    this.featureSpace = box([cols * rows + goals.planner.inventoryNames.length + 4 + this.slots + (options.daylight ? 1 : 0)], 0, this.high, 'int32');
  }

  reset(): void {
    this.last.clear();
    this.cache.clear();
    this.advised.clear();
    this.goals.reset();
  }

  /** Every observation, with the action that led to it (the goal task's night shelter and planting follow them). */
  observe(agent: AgentId, observation: SymbolicObservation, info?: AgentInfo, action?: number): void {
    this.last.set(agent, observation);
    this.cache.delete(agent);
    this.advised.delete(agent);
    this.goals.observe(agent, observation, info as CrafterInfo, action);
  }

  /** The observation this agent saw last. */
  lastObservation(agent: AgentId): SymbolicObservation | undefined {
    return this.last.get(agent);
  }

  candidates(agent: AgentId): readonly (CrafterSubgoal | null)[] {
    let c = this.cache.get(agent);
    if (c) return c;
    const obs = this.last.get(agent);
    const planner = this.goals.planner;
    c = this.goals.goals.map((t) => (obs && planner.isFeasible(t, obs) ? t : null));
    this.cache.set(agent, c);
    return c;
  }

  /** The slot the kg manager would pick now (`CrafterGoalTask.choose` on the last observation), -1 when it picks none. */
  advisedSlot(agent: AgentId): number {
    let slot = this.advised.get(agent);
    if (slot !== undefined) return slot;
    const obs = this.last.get(agent);
    const pick = obs ? this.goals.choose(agent, obs) : null;
    slot = pick === null ? -1 : this.goals.slotOf(pick);
    this.advised.set(agent, slot);
    return slot;
  }

  features(agent: AgentId): Int32Array {
    const obs = this.last.get(agent);
    const out = new Int32Array(this.featureSpace.shape[0] as number);
    if (!obs) return out;
    const clip = (v: number) => Math.max(0, Math.min(9, v));
    out.set(obs.map, 0);
    let k = obs.map.length;
    for (const v of obs.inventory) out[k++] = clip(v);
    for (const v of obs.vitals) out[k++] = clip(v);
    const pick = this.options.advice ? this.advisedSlot(agent) : -1;
    this.candidates(agent).forEach((c, i) => (out[k++] = c === null ? 0 : i === pick ? 2 : 1));
    if (this.options.daylight) out[k++] = clip(Math.round(9 * (obs.light[0] ?? 1)));
    return out;
  }

  isDone(agent: AgentId, subgoal: CrafterSubgoal, ctx: SubgoalContext<SymbolicObservation, CrafterInfo>): boolean {
    return this.goals.isReached(subgoal, ctx) || (this.options.interrupts === true && this.goals.interrupt(subgoal, agent, ctx.observation));
  }

  act(agent: AgentId, subgoal: CrafterSubgoal, observation: SymbolicObservation, info: CrafterInfo): number {
    const primitive = this.goals.primitive(subgoal, agent, observation, info);
    if (primitive !== null) return primitive;
    // The low level samples among the actions it was trained with (options took the others).
    const own = this.goals.policyActions();
    const masked = own === null ? info : { ...info, actionMask: info.actionMask.map((m, i) => m & (own[i] ?? 0)) };
    return this.lowLevel(agent, { ...observation, goal: this.goals.encode(subgoal) }, masked);
  }
}

/**
 * The kg-planner's choice as a slot chooser: the goal task's own choice when it has survival rules (survival, ready
 * crafts, then the regression, as `CrafterGoalTask.sample` without its random share), else the slot of the recipe
 * regression's next subgoal toward the diamond
 * (`CrafterRecipePlanner.next`, the knowledge graph's `missingFor`), else a random legal slot (target held, or its
 * next step not feasible now). Run under `ManagerEnv` or a `TaskPlanner`, it drives the learned low level.
 */
export function recipeSlotChooser(task: CrafterManagerTask, rng: Rng): SlotChooser {
  return (agent, _features, info) => {
    const obs = task.lastObservation(agent);
    const next = obs ? task.goals.choose(agent, obs) : null;
    if (next !== null) return task.goals.slotOf(next);
    const legal: number[] = [];
    info.actionMask.forEach((m, i) => m && legal.push(i));
    return legal.length > 0 ? rng.pick(legal) : 0;
  };
}
