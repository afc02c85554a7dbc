import type { SubgoalContext } from '../../../core/subgoal-vocabulary.js';
import type { AgentId, AgentInfo, PerAgent } from '../../../core/parallel-env.js';
import type { IntrinsicEpisodeStart, IntrinsicReward, IntrinsicStep } from './intrinsic-reward.js';

export interface SubgoalRewardOptions<Subgoal, Obs, Info extends AgentInfo> {
  readonly name?: string;
  /** The subgoal `agent` pursues now (set by a manager or a goal sampler), or null for none. */
  readonly subgoalOf: (agent: AgentId) => Subgoal | null;
  /** When a subgoal is reached: usually a world's `SubgoalVocabulary.isReached`. */
  readonly isReached: (subgoal: Subgoal, ctx: SubgoalContext<Obs, Info>) => boolean;
  /** Paid on the step the subgoal is reached. Default 1. */
  readonly reachedBonus?: number;
  /** Steps after which a subgoal that is not reached costs `timeoutPenalty` (once). Default: never. */
  readonly timeout?: number;
  /** Subtracted once when the subgoal times out. Default 0. */
  readonly timeoutPenalty?: number;
  /**
   * Optional potential phi(o, g) (e.g. minus the distance to the goal): adds `gamma * phi(o') - phi(o)` each step,
   * potential-based shaping (Ng et al. 1999) that leaves the optimal policy unchanged.
   */
  readonly potential?: (subgoal: Subgoal, observation: Obs, info: Info, agent: AgentId) => number;
  /** Discount of the shaping term; use the learner's gamma. Default 0.99. */
  readonly gamma?: number;
}

/**
 * The low level's reward for a subgoal (h-DQN's binary intrinsic reward, HAC's timeout penalty, optional
 * potential-based shaping): `reachedBonus` on the step `isReached` holds, `-timeoutPenalty` once after `timeout`
 * steps on the same subgoal, plus shaping. A new subgoal (another object from `subgoalOf`) restarts the clock.
 */
export class SubgoalReward<Subgoal, Obs = unknown, Info extends AgentInfo = AgentInfo> implements IntrinsicReward<Obs, Info> {
  readonly name: string;
  private readonly opts: SubgoalRewardOptions<Subgoal, Obs, Info>;
  private readonly current = new Map<AgentId, { subgoal: Subgoal; steps: number; phi: number | null; over: boolean }>();

  constructor(opts: SubgoalRewardOptions<Subgoal, Obs, Info>) {
    this.name = opts.name ?? 'subgoal';
    this.opts = opts;
  }

  reset(start: IntrinsicEpisodeStart<Obs, Info>): void {
    this.current.clear();
    for (const a of start.agents) this.track(a, start.observations[a] as Obs, start.infos[a] as Info);
  }

  reward(step: IntrinsicStep<Obs, Info>): Readonly<PerAgent<number>> {
    const o = this.opts;
    const out: PerAgent<number> = {};
    for (const a of step.agents) {
      const obs = step.observations[a] as Obs;
      const info = step.infos[a] as Info;
      const before = this.current.get(a);
      const subgoal = o.subgoalOf(a);
      out[a] = 0;
      if (subgoal === null) continue;
      // The subgoal the agent acted on: a new one seen here was set before this step, with no potential yet.
      const cur = before && before.subgoal === subgoal ? before : { subgoal, steps: 0, phi: null, over: false };
      this.current.set(a, cur);
      if (cur.over) continue;
      cur.steps++;
      let r = 0;
      if (o.potential) {
        const phi = o.potential(subgoal, obs, info, a);
        if (cur.phi !== null) r += (o.gamma ?? 0.99) * phi - cur.phi;
        cur.phi = phi;
      }
      if (o.isReached(subgoal, { agent: a, observation: obs, info, events: step.events })) {
        r += o.reachedBonus ?? 1;
        cur.over = true;
      } else if (o.timeout !== undefined && cur.steps >= o.timeout) {
        r -= o.timeoutPenalty ?? 0;
        cur.over = true;
      }
      out[a] = r;
    }
    return out;
  }

  /** Steps `agent` has spent on its current subgoal. */
  steps(agent: AgentId): number {
    return this.current.get(agent)?.steps ?? 0;
  }

  private track(a: AgentId, obs: Obs, info: Info): void {
    const subgoal = this.opts.subgoalOf(a);
    if (subgoal === null) return;
    this.current.set(a, { subgoal, steps: 0, phi: this.opts.potential ? this.opts.potential(subgoal, obs, info, a) : null, over: false });
  }
}
