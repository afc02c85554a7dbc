import type { SubgoalContext } from '../../core/subgoal-vocabulary.js';
import type { AgentId, AgentInfo, EnvMetadata, ParallelEnv, PerAgent, ResetArgs, ResetResult, StepResult } from '../../core/parallel-env.js';
import { Rng } from '../../core/rng.js';
import type { RngState } from '../../core/rng.js';
import { dict, type DictSpace, type Space } from '../../core/spaces.js';

/** The goal-conditioned observation: the world's Dict observation plus the encoded goal. */
export type GoalObservation<Obs> = Obs & { readonly goal: Int32Array };

/** What a world gives a goal-conditioned low level: which goals to practise, how to encode them, when they are reached. */
export interface GoalTask<Obs, Info extends AgentInfo, Goal> {
  /** Space of the encoded goal (an integer box: the encoder makes it one-hot categories). */
  readonly goalSpace: Space;
  /** A new episode: forget per-episode memory. */
  reset(agents: readonly AgentId[]): void;
  /**
   * Every observation of every live agent passes here first (to grow maps and memories), with the action that led
   * to it (the policy's or a primitive option's; undefined after a reset).
   */
  observe(agent: AgentId, observation: Obs, info: Info, action?: number): void;
  /** A goal to practise now, or null when there is none (the agent then gets no reward until one appears). */
  sample(agent: AgentId, observation: Obs, info: Info, rng: Rng): Goal | null;
  /** The goal as the policy sees it, relative to `observation`; `null` encodes "no goal". */
  encode(goal: Goal | null, agent: AgentId, observation: Obs): Int32Array;
  isReached(goal: Goal, ctx: SubgoalContext<Obs, Info>): boolean;
  /** Steps allowed for `goal` from `observation`. */
  timeout(goal: Goal, agent: AgentId, observation: Obs): number;
  /** A short name per goal kind (`collect:wood`): when given, the env's metrics count goals reached and ended per name. */
  describe?(goal: Goal): string;
  /**
   * A one-step option: the primitive action that pursues `goal` now without asking the policy (a make whose
   * inputs and station are at hand), or null when the policy acts. The env takes these steps itself (see
   * {@link GoalConditionedEnv}).
   */
  primitive?(goal: Goal, agent: AgentId, observation: Obs, info: Info): number | null;
  /** The option's termination condition beyond reached / timed out: true ends `goal` now (a more pressing need came up). */
  interrupt?(goal: Goal, agent: AgentId, observation: Obs, info: Info): boolean;
  /**
   * The actions the policy may take while pursuing `goal` (1: allowed), or null for all: the env ANDs it into the
   * world's `infos[a].actionMask`, which PPO samples under. With one-step options, the low level leaves the
   * actions that options take (make, place, sleep) to them.
   */
  policyActions?(goal: Goal | null, agent: AgentId): Uint8Array | null;
}

export interface GoalConditionedEnvOptions<Obs, Info extends AgentInfo, Goal> {
  readonly task: GoalTask<Obs, Info, Goal>;
  /** Draws the practice goals. */
  readonly rng: Rng;
  /** Paid when the goal is reached. Default 1. */
  readonly reachedBonus?: number;
  /** Charged when the goal times out. Default 0. */
  readonly timeoutPenalty?: number;
  /** Weight of the world's own reward added to the subgoal reward. Default 0 (the low level ignores the task). */
  readonly extrinsicWeight?: number;
}

/**
 * The low level's training world (a goal-conditioned wrapper in Gymnasium's style): observations gain a `goal`
 * field, the reward is the subgoal reward (reached bonus, timeout penalty, optionally a share of the world's), and
 * a new goal is drawn as soon as one is reached or times out, so one episode practises many goals. The existing
 * PPO trains pi(a | o, g) on it unchanged.
 *
 * One-step options: while a live agent's goal has a `primitive` action, `step` plays it in the wrapped world
 * before returning (other agents wait with their default action), adding those steps' rewards to the step's
 * reward — to the policy a primitive option is part of the environment's transition, as in a semi-MDP. A task's
 * `interrupt` ends a goal early; interrupted goals count as neither reached nor timed out.
 *
 * `episodeMetrics()`: the world's metrics with its `success` renamed `world/success`, and `success` = the share of
 * goals reached among those that ended (reached or timed out), so PPO's success rate is the low level's hit rate;
 * with a task that names its goals (`describe`), `goal/<name>/reached` and `goal/<name>/ended` per goal name, and
 * `goal/<name>/interrupted` for a name with interrupted goals.
 */
export class GoalConditionedEnv<Obs extends object, Info extends AgentInfo, Goal, State = unknown> implements ParallelEnv<GoalObservation<Obs>, number, Info, State> {
  private readonly space: DictSpace;
  private readonly goals = new Map<AgentId, { goal: Goal | null; steps: number; limit: number }>();
  private reached = 0;
  private timedOut = 0;
  private interrupted = 0;
  private readonly perGoal = new Map<string, { reached: number; ended: number; interrupted: number }>();
  private rng: Rng;
  private startRng: RngState | null = null;

  constructor(
    readonly inner: ParallelEnv<Obs, number, Info, State>,
    private readonly opts: GoalConditionedEnvOptions<Obs, Info, Goal>,
  ) {
    this.rng = opts.rng;
    const first = inner.possibleAgents[0] as AgentId;
    const s = inner.observationSpace(first);
    if (s.kind !== 'dict') throw new TypeError('GoalConditionedEnv needs a world with Dict observations');
    if ('goal' in s.spaces) throw new TypeError('the world already observes a "goal" key');
    this.space = dict({ ...s.spaces, goal: opts.task.goalSpace });
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
  observationSpace(agent: AgentId): DictSpace {
    this.inner.observationSpace(agent);
    return this.space;
  }
  actionSpace(agent: AgentId): Space {
    return this.inner.actionSpace(agent);
  }
  state(): State {
    return this.inner.state();
  }
  defaultAction(agent: AgentId): number {
    return this.inner.defaultAction(agent);
  }

  /** The goal `agent` pursues now. */
  goalOf(agent: AgentId): Goal | null {
    return this.goals.get(agent)?.goal ?? null;
  }

  reset(args?: ResetArgs): ResetResult<GoalObservation<Obs>, Info> {
    this.startRng = this.rng.getState();
    const res = this.inner.reset(args);
    this.goals.clear();
    this.reached = 0;
    this.timedOut = 0;
    this.interrupted = 0;
    this.perGoal.clear();
    this.opts.task.reset(this.inner.agents);
    const observations: PerAgent<GoalObservation<Obs>> = {};
    for (const a of this.inner.agents) {
      const o = res.observations[a] as Obs;
      const info = res.infos[a] as Info;
      this.opts.task.observe(a, o, info);
      this.draw(a, o, info);
      observations[a] = this.withGoal(a, o);
    }
    const infos: PerAgent<Info> = {};
    for (const a of this.inner.agents) infos[a] = this.maskInfo(a, res.infos[a] as Info);
    return { observations, infos };
  }

  step(actions: Readonly<PerAgent<number>>): StepResult<GoalObservation<Obs>, Info> {
    const agents = [...this.inner.agents];
    let res = this.inner.step(actions);
    const rewards: PerAgent<number> = {};
    const merged = { ...res, observations: { ...res.observations }, rewards: { ...res.rewards }, terminations: { ...res.terminations }, truncations: { ...res.truncations }, infos: { ...res.infos }, events: [...(res.events ?? [])] };
    for (const a of agents) rewards[a] = this.advance(a, res, actions[a]);
    // Primitive options run inside this step; a bound keeps a task whose primitive never ends its goal from looping.
    for (let i = 0; i < 100_000 && this.opts.task.primitive; i++) {
      const live = this.inner.agents;
      const act: PerAgent<number> = {};
      let any = false;
      for (const a of live) {
        const p = this.primitiveFor(a, merged.observations[a] as Obs, merged.infos[a] as Info);
        act[a] = p ?? this.inner.defaultAction(a);
        any ||= p !== null;
      }
      if (!any) break;
      res = this.inner.step(act);
      Object.assign(merged.observations, res.observations);
      Object.assign(merged.terminations, res.terminations);
      Object.assign(merged.truncations, res.truncations);
      Object.assign(merged.infos, res.infos);
      merged.events.push(...(res.events ?? []));
      for (const a of live) {
        merged.rewards[a] = (merged.rewards[a] ?? 0) + (res.rewards[a] ?? 0);
        rewards[a] = (rewards[a] ?? 0) + this.advance(a, res, act[a]);
      }
    }
    const observations: PerAgent<GoalObservation<Obs>> = {};
    for (const a of agents) {
      observations[a] = this.withGoal(a, merged.observations[a] as Obs);
      if (merged.infos[a]) merged.infos[a] = this.maskInfo(a, merged.infos[a] as Info);
    }
    return { ...merged, observations, rewards };
  }

  /** `info` with the task's policy actions ANDed into its action mask (the same object when the task restricts none). */
  private maskInfo(a: AgentId, info: Info): Info {
    const allowed = this.opts.task.policyActions?.(this.goals.get(a)?.goal ?? null, a) ?? null;
    const mask = (info as { actionMask?: Uint8Array }).actionMask;
    if (allowed === null || mask === undefined) return info;
    const out = new Uint8Array(mask.length);
    for (let i = 0; i < mask.length; i++) out[i] = (mask[i] as number) & (i < allowed.length ? (allowed[i] as number) : 0);
    return { ...info, actionMask: out };
  }

  /** One world step's bookkeeping for agent `a` after `action`: observe, end its goal (reached, timed out, interrupted), draw the next; returns its reward. */
  private advance(a: AgentId, res: StepResult<Obs, Info>, action: number | undefined): number {
    const { task } = this.opts;
    const o = res.observations[a] as Obs;
    const info = res.infos[a] as Info;
    task.observe(a, o, info, action);
    let r = (this.opts.extrinsicWeight ?? 0) * (res.rewards[a] ?? 0);
    const g = this.goals.get(a);
    if (g && g.goal !== null) {
      g.steps++;
      if (task.isReached(g.goal, { agent: a, observation: o, info, events: res.events ?? [] })) {
        r += this.opts.reachedBonus ?? 1;
        this.reached++;
        this.count(g.goal, 'reached');
        g.goal = null;
      } else if (g.steps >= g.limit) {
        r -= this.opts.timeoutPenalty ?? 0;
        this.timedOut++;
        this.count(g.goal, 'timedOut');
        g.goal = null;
      } else if (task.interrupt?.(g.goal, a, o, info)) {
        this.interrupted++;
        this.count(g.goal, 'interrupted');
        g.goal = null;
      }
    }
    if (!g || g.goal === null) this.draw(a, o, info);
    return r;
  }

  private primitiveFor(a: AgentId, o: Obs, info: Info): number | null {
    const goal = this.goals.get(a)?.goal ?? null;
    return goal === null ? null : (this.opts.task.primitive?.(goal, a, o, info) ?? null);
  }

  /**
   * What outlives an episode, for checkpoints (a trainer's `RunStateEnv`), as it was when the current episode
   * began: the goal generator (it draws across episodes) and the wrapped env's own run state. Replaying the
   * episode after restoring it draws the same goals.
   */
  runState(): unknown {
    const inner = this.inner as Partial<{ runState(): unknown }>;
    return this.startRng === null ? null : { rng: this.startRng, inner: inner.runState ? inner.runState() : null };
  }

  restoreRunState(state: unknown): void {
    const s = state as { rng: RngState; inner: unknown };
    this.rng = Rng.fromState(s.rng);
    const inner = this.inner as Partial<{ restoreRunState(state: unknown): void }>;
    if (s.inner !== null && s.inner !== undefined) inner.restoreRunState?.(s.inner);
  }

  episodeMetrics(): Readonly<Record<string, number>> {
    const { success, ...world } = this.inner.episodeMetrics?.() ?? {};
    const ended = this.reached + this.timedOut;
    const perGoal: Record<string, number> = {};
    for (const [name, c] of this.perGoal) {
      perGoal[`goal/${name}/reached`] = c.reached;
      perGoal[`goal/${name}/ended`] = c.ended;
      if (c.interrupted > 0) perGoal[`goal/${name}/interrupted`] = c.interrupted;
    }
    return { ...world, ...(success !== undefined ? { 'world/success': success } : {}), success: ended ? this.reached / ended : 0, goalsReached: this.reached, goalsTimedOut: this.timedOut, goalsInterrupted: this.interrupted, ...perGoal };
  }

  private count(goal: Goal, how: 'reached' | 'timedOut' | 'interrupted'): void {
    const describe = this.opts.task.describe;
    if (!describe) return;
    const name = describe.call(this.opts.task, goal);
    const c = this.perGoal.get(name) ?? { reached: 0, ended: 0, interrupted: 0 };
    if (how === 'interrupted') c.interrupted++;
    else c.ended++;
    if (how === 'reached') c.reached++;
    this.perGoal.set(name, c);
  }

  private draw(a: AgentId, o: Obs, info: Info): void {
    const goal = this.opts.task.sample(a, o, info, this.rng);
    this.goals.set(a, { goal, steps: 0, limit: goal === null ? 0 : this.opts.task.timeout(goal, a, o) });
  }

  private withGoal(a: AgentId, o: Obs): GoalObservation<Obs> {
    return { ...o, goal: this.opts.task.encode(this.goals.get(a)?.goal ?? null, a, o) };
  }
}
