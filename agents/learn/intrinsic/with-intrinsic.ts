import type { AgentId, AgentInfo, ParallelEnv, PerAgent, ResetArgs, ResetResult, StepResult } from '../../../core/parallel-env.js';
import { EnvWrapper } from '../../../core/env-wrapper.js';
import type { IntrinsicReward, WeightedIntrinsic } from './intrinsic-reward.js';

/** A module, or a module with its weight (1 when bare). */
export type IntrinsicEntry<Obs, Info extends AgentInfo> = IntrinsicReward<Obs, Info> | WeightedIntrinsic<Obs, Info>;

/**
 * Intrinsic rewards as an environment wrapper (Gymnasium's `TransformReward`, SuperSuit's reward wrappers): each
 * agent's reward becomes `extrinsic + sum_i weight_i * module_i`, and `episodeMetrics()` adds the episode sums
 * `extrinsic` and `intrinsic/<name>` (weighted, averaged over the agents that ever acted) to the world's metrics, so
 * an unchanged trainer (PPO logs `episodeMetrics()` at each episode end) reports them apart.
 *
 * One wrapper watches one env; build one per env copy (`makeEnv: () => withIntrinsic(createEnv(), modules())`).
 * Everything else is forwarded: spaces, agents, `state()`, `defaultAction`, events.
 *
 * @example
 * const env = withIntrinsic(createNavigationEnv({ layout: 'maze' }), [{ module: new CountNovelty({ reader }), weight: 0.1 }]);
 */
export function withIntrinsic<Obs, Act, Info extends AgentInfo, State>(env: ParallelEnv<Obs, Act, Info, State>, modules: readonly IntrinsicEntry<Obs, Info>[]): IntrinsicEnv<Obs, Act, Info, State> {
  return new IntrinsicEnv(env, modules);
}

/** See {@link withIntrinsic}. */
export class IntrinsicEnv<Obs, Act, Info extends AgentInfo, State> extends EnvWrapper<Obs, Act, Info, State> {
  readonly modules: readonly WeightedIntrinsic<Obs, Info>[];
  private episode = -1;
  private stepInEpisode = 0;
  private extrinsic = 0;
  private readonly sums: Float64Array;
  private readonly acted = new Set<AgentId>();
  private startState: unknown = null;

  constructor(inner: ParallelEnv<Obs, Act, Info, State>, modules: readonly IntrinsicEntry<Obs, Info>[]) {
    super(inner);
    this.modules = modules.map((m) => ('module' in m ? m : { module: m, weight: 1 }));
    const names = new Set<string>();
    for (const { module, weight } of this.modules) {
      if (names.has(module.name)) throw new Error(`intrinsic modules need unique names: "${module.name}" appears twice (give one a name option)`);
      if (!Number.isFinite(weight)) throw new RangeError(`intrinsic module "${module.name}": weight must be a finite number, got ${weight}`);
      names.add(module.name);
    }
    this.sums = new Float64Array(this.modules.length);
  }

  override reset(args?: ResetArgs): ResetResult<Obs, Info> {
    this.startState = { episode: this.episode, modules: this.modules.map(({ module }) => (module.snapshot ? module.snapshot() : null)) };
    const res = this.inner.reset(args);
    this.episode++;
    this.stepInEpisode = 0;
    this.extrinsic = 0;
    this.sums.fill(0);
    this.acted.clear();
    const agents = this.inner.agents;
    for (const { module } of this.modules) module.reset({ episode: this.episode, agents, observations: res.observations, infos: res.infos });
    return res;
  }

  override step(actions: Readonly<PerAgent<Act>>): StepResult<Obs, Info> {
    const agents = [...this.inner.agents];
    const res = this.inner.step(actions);
    this.stepInEpisode++;
    const rewards: PerAgent<number> = { ...res.rewards };
    for (const a of agents) {
      this.acted.add(a);
      this.extrinsic += res.rewards[a] ?? 0;
    }
    const step = {
      episode: this.episode,
      step: this.stepInEpisode,
      agents,
      actions: actions as Readonly<PerAgent<number>>,
      observations: res.observations,
      infos: res.infos,
      rewards: res.rewards,
      events: res.events ?? [],
    };
    this.modules.forEach(({ module, weight }, i) => {
      const bonus = module.reward(step);
      for (const a of agents) {
        const r = weight * (bonus[a] ?? 0);
        if (!Number.isFinite(r)) throw new RangeError(`intrinsic module "${module.name}" paid ${String(bonus[a])} to ${a}: rewards must be finite`);
        rewards[a] = (rewards[a] ?? 0) + r;
        this.sums[i] = (this.sums[i] as number) + r;
      }
    });
    return { ...res, rewards };
  }

  /**
   * What outlives an episode, for checkpoints (`RunStateEnv`), as it was when the current episode began: the
   * episode counter and each module's `snapshot()` (run-scope visit counts). A trainer restores it, then replays
   * the episode, which rebuilds this episode's visits and payouts exactly.
   */
  runState(): unknown {
    return this.startState;
  }

  restoreRunState(state: unknown): void {
    const s = state as { episode: number; modules: unknown[] };
    if (!Array.isArray(s?.modules) || s.modules.length !== this.modules.length) throw new RangeError(`intrinsic run state holds ${String(s?.modules?.length)} modules, this env has ${this.modules.length}`);
    this.episode = s.episode;
    this.modules.forEach(({ module }, i) => {
      const m = s.modules[i];
      if (m !== null && m !== undefined) {
        if (!module.restore) throw new TypeError(`intrinsic module "${module.name}" cannot restore its state`);
        module.restore(m);
      }
    });
  }

  /**
   * The world's metrics plus `extrinsic` and `intrinsic/<name>`: this episode's sums of the world's reward and of
   * each module's weighted payout, per agent (divided by the number of agents that acted).
   */
  override episodeMetrics(): Readonly<Record<string, number>> {
    const n = Math.max(1, this.acted.size);
    const out: Record<string, number> = { ...(this.inner.episodeMetrics?.() ?? {}), extrinsic: this.extrinsic / n };
    this.modules.forEach(({ module }, i) => (out[`intrinsic/${module.name}`] = (this.sums[i] as number) / n));
    return out;
  }
}
