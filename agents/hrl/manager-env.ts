import type { WorldEventInput } from '../../core/events.js';
import type { SubgoalContext } from '../../core/subgoal-vocabulary.js';
import type { AgentId, AgentInfo, EnvMetadata, ParallelEnv, PerAgent, ResetArgs, ResetResult, StepResult } from '../../core/parallel-env.js';
import { discrete, type DiscreteSpace, type Space } from '../../core/spaces.js';

/**
 * What a world and a low level give a manager: a fixed number of subgoal slots filled from what the agent knows
 * (frontiers, the goal, recipes), features describing them, when a subgoal is over, and the executor that acts
 * towards it every env step.
 */
export interface ManagerTask<Obs, Info extends AgentInfo, Subgoal> {
  /** Number of slots: the manager's action space is `Discrete(slots)`. */
  readonly slots: number;
  /** Space of {@link ManagerTask.features}: the manager's observation. */
  readonly featureSpace: Space;
  reset(agents: readonly AgentId[]): void;
  /** Every observation of every live agent passes here first, once, with the action that led to it (undefined after a reset). */
  observe(agent: AgentId, observation: Obs, info: Info, action?: number): void;
  /** The subgoal in each slot now (`null`: slot empty, masked out). */
  candidates(agent: AgentId): readonly (Subgoal | null)[];
  features(agent: AgentId): Int32Array;
  /** Whether the option pursuing `subgoal` is over after this step: reached, or no longer reachable. */
  isDone(agent: AgentId, subgoal: Subgoal, ctx: SubgoalContext<Obs, Info>): boolean;
  /** The low level: the env action towards `subgoal` now. */
  act(agent: AgentId, subgoal: Subgoal, observation: Obs, info: Info): number;
}

/** What a manager decision's info carries. */
export interface ManagerInfo extends AgentInfo {
  readonly actionMask: Uint8Array;
  /** Env steps the option lasted (`k` of the semi-MDP discount `gamma^k`). */
  readonly optionSteps: number;
  /** How it ended: reached/unreachable (`done`), `timeout` after maxOptionSteps, or `episodeEnd`. */
  readonly optionEnd: 'done' | 'timeout' | 'episodeEnd' | 'none';
}

/**
 * The manager's world (h-DQN's meta-controller view): one step is one option. The action picks a subgoal slot;
 * `step` runs the low level in the wrapped world until every agent's option is over — `isDone` (reached), after
 * `maxOptionSteps` env steps, or the agent's episode end — and the reward is the sum of the world's rewards over
 * the option (agents whose option ended first wait with their default action; their reward keeps counting).
 * `infos[a].optionSteps` is the `k` for semi-MDP discounting (`smdpGae`), `envSteps` counts world steps for
 * budgets. The existing PPO trains the manager on it; with plain PPO, set its gamma per decision (see README).
 */
export class ManagerEnv<Obs, Info extends AgentInfo, Subgoal, State = unknown> implements ParallelEnv<Int32Array, number, ManagerInfo, State> {
  private readonly actSpace: DiscreteSpace;
  /** World steps taken through this wrapper, over all episodes. */
  envSteps = 0;
  private options = 0;
  private optionSteps = 0;
  private obs: PerAgent<Obs> = {};
  private infos: PerAgent<Info> = {};
  readonly maxOptionSteps: number;

  constructor(
    readonly inner: ParallelEnv<Obs, number, Info, State>,
    readonly task: ManagerTask<Obs, Info, Subgoal>,
    opts: { maxOptionSteps?: number } = {},
  ) {
    this.actSpace = discrete(task.slots);
    this.maxOptionSteps = opts.maxOptionSteps ?? 32;
  }

  get metadata(): EnvMetadata {
    return this.inner.metadata;
  }
  get possibleAgents(): readonly AgentId[] {
    return this.inner.possibleAgents;
  }
  get agents(): readonly AgentId[] {
    return this.inner.agents;
  }
  observationSpace(agent: AgentId): Space {
    this.inner.observationSpace(agent);
    return this.task.featureSpace;
  }
  actionSpace(agent: AgentId): DiscreteSpace {
    this.inner.actionSpace(agent);
    return this.actSpace;
  }
  state(): State {
    return this.inner.state();
  }
  defaultAction(): number {
    return 0;
  }

  reset(args?: ResetArgs): ResetResult<Int32Array, ManagerInfo> {
    const res = this.inner.reset(args);
    this.obs = { ...res.observations };
    this.infos = { ...res.infos };
    this.options = 0;
    this.optionSteps = 0;
    this.task.reset(this.inner.agents);
    for (const a of this.inner.agents) this.task.observe(a, res.observations[a] as Obs, res.infos[a] as Info);
    const observations: PerAgent<Int32Array> = {};
    const infos: PerAgent<ManagerInfo> = {};
    for (const a of this.inner.agents) {
      observations[a] = this.task.features(a);
      infos[a] = this.info(a, 0, 'none');
    }
    return { observations, infos };
  }

  step(actions: Readonly<PerAgent<number>>): StepResult<Int32Array, ManagerInfo> {
    const agents = [...this.inner.agents];
    const subgoal = new Map<AgentId, Subgoal | null>();
    for (const a of agents) {
      const slot = actions[a] ?? 0;
      if (!Number.isInteger(slot) || slot < 0 || slot >= this.task.slots) throw new RangeError(`manager: action for "${a}" must be a slot 0..${this.task.slots - 1}, got ${slot}`);
      subgoal.set(a, this.task.candidates(a)[slot] ?? null);
    }
    const active = new Set(agents);
    const steps: PerAgent<number> = {};
    const ends: PerAgent<ManagerInfo['optionEnd']> = {};
    const rewards: PerAgent<number> = {};
    const terminations: PerAgent<boolean> = {};
    const truncations: PerAgent<boolean> = {};
    const events: WorldEventInput[] = [];
    for (const a of agents) {
      steps[a] = 0;
      rewards[a] = 0;
      terminations[a] = false;
      truncations[a] = false;
    }
    while (active.size > 0 && this.inner.agents.length > 0) {
      const live = [...this.inner.agents];
      const act: PerAgent<number> = {};
      for (const a of live) {
        const g = subgoal.get(a);
        act[a] = active.has(a) && g != null ? this.task.act(a, g, this.obs[a] as Obs, this.infos[a] as Info) : this.inner.defaultAction(a);
      }
      const res = this.inner.step(act);
      this.envSteps++;
      if (res.events) events.push(...res.events);
      for (const a of live) {
        const o = res.observations[a] as Obs;
        const info = res.infos[a] as Info;
        this.obs[a] = o;
        this.infos[a] = info;
        this.task.observe(a, o, info, act[a]);
        rewards[a] = (rewards[a] ?? 0) + (res.rewards[a] ?? 0);
        const over = res.terminations[a] === true || res.truncations[a] === true;
        terminations[a] = res.terminations[a] === true;
        truncations[a] = res.truncations[a] === true;
        if (!active.has(a)) continue;
        steps[a] = (steps[a] ?? 0) + 1;
        const g = subgoal.get(a);
        if (over) ends[a] = 'episodeEnd';
        else if (g == null || this.task.isDone(a, g, { agent: a, observation: o, info, events: res.events ?? [] })) ends[a] = 'done';
        else if ((steps[a] as number) >= this.maxOptionSteps) ends[a] = 'timeout';
        if (ends[a]) active.delete(a);
      }
    }
    const observations: PerAgent<Int32Array> = {};
    const infos: PerAgent<ManagerInfo> = {};
    for (const a of agents) {
      this.options++;
      this.optionSteps += steps[a] as number;
      observations[a] = this.task.features(a);
      infos[a] = this.info(a, steps[a] as number, ends[a] ?? 'episodeEnd');
    }
    return { observations, rewards, terminations, truncations, infos, events };
  }

  /** The wrapped env's state that outlives episodes (intrinsic visit counts), for checkpoints; null when it keeps none. */
  runState(): unknown {
    const inner = this.inner as Partial<{ runState(): unknown }>;
    return inner.runState ? inner.runState() : null;
  }

  restoreRunState(state: unknown): void {
    (this.inner as Partial<{ restoreRunState(state: unknown): void }>).restoreRunState?.(state);
  }

  /** The world's metrics plus `options` (decisions this episode) and `optionLength` (mean env steps per option). */
  episodeMetrics(): Readonly<Record<string, number>> {
    return { ...(this.inner.episodeMetrics?.() ?? {}), options: this.options, optionLength: this.options ? this.optionSteps / this.options : 0 };
  }

  private info(a: AgentId, optionSteps: number, optionEnd: ManagerInfo['optionEnd']): ManagerInfo {
    const mask = new Uint8Array(this.task.slots);
    this.task.candidates(a).forEach((c, i) => (mask[i] = c === null ? 0 : 1));
    return { actionMask: mask, optionSteps, optionEnd };
  }
}
