import type { AgentId, AgentInfo, PerAgent } from '../../../core/parallel-env.js';
import type { IntrinsicEpisodeStart, IntrinsicReward, IntrinsicStep } from './intrinsic-reward.js';

/**
 * An intrinsic module that stops paying an agent for the rest of its episode once `until` holds for it (the goal
 * came into view: exploration has done its job, and a bonus for new places would now pull the agent away from
 * the goal). The step on which `until` first holds is still paid. The wrapped module keeps watching every step, so
 * its own state stays what it would have been.
 *
 * @example
 * const topo = new UntilReward(new TopologicalReward({ reader }), (obs) => goalInView(obs));
 */
export class UntilReward<Obs = unknown, Info extends AgentInfo = AgentInfo> implements IntrinsicReward<Obs, Info> {
  readonly name: string;
  private readonly stopped = new Set<AgentId>();

  constructor(
    readonly inner: IntrinsicReward<Obs, Info>,
    private readonly until: (observation: Obs, info: Info, agent: AgentId) => boolean,
  ) {
    this.name = inner.name;
  }

  reset(start: IntrinsicEpisodeStart<Obs, Info>): void {
    this.stopped.clear();
    this.inner.reset(start);
    for (const a of start.agents) if (this.until(start.observations[a] as Obs, start.infos[a] as Info, a)) this.stopped.add(a);
  }

  reward(step: IntrinsicStep<Obs, Info>): Readonly<PerAgent<number>> {
    const paid = this.inner.reward(step);
    const out: PerAgent<number> = {};
    for (const a of step.agents) {
      out[a] = this.stopped.has(a) ? 0 : (paid[a] ?? 0);
      if (this.until(step.observations[a] as Obs, step.infos[a] as Info, a)) this.stopped.add(a);
    }
    return out;
  }

  snapshot(): unknown {
    return { inner: this.inner.snapshot ? this.inner.snapshot() : null, stopped: [...this.stopped] };
  }

  restore(state: unknown): void {
    const s = state as { inner: unknown; stopped: AgentId[] };
    this.stopped.clear();
    for (const a of s.stopped) this.stopped.add(a);
    if (s.inner !== null) this.inner.restore?.(s.inner);
  }
}
