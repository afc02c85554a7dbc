import type { AgentId, AgentInfo, EnvMetadata, ParallelEnv, PerAgent, ResetArgs, ResetResult, StepResult } from './parallel-env.js';
import type { Space } from './spaces.js';

/**
 * A {@link ParallelEnv} that forwards everything to `inner` (Gymnasium's `Wrapper`, SuperSuit's wrappers): a
 * subclass overrides only what it changes (rewards, metrics, a step counter) and the rest stays the world's.
 */
export class EnvWrapper<Obs, Act, Info extends AgentInfo, State> implements ParallelEnv<Obs, Act, Info, State> {
  constructor(readonly inner: ParallelEnv<Obs, Act, Info, State>) {}

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
    return this.inner.observationSpace(agent);
  }
  actionSpace(agent: AgentId): Space {
    return this.inner.actionSpace(agent);
  }
  state(): State {
    return this.inner.state();
  }
  defaultAction(agent: AgentId): Act {
    return this.inner.defaultAction(agent);
  }
  reset(args?: ResetArgs): ResetResult<Obs, Info> {
    return this.inner.reset(args);
  }
  step(actions: Readonly<PerAgent<Act>>): StepResult<Obs, Info> {
    return this.inner.step(actions);
  }
  episodeMetrics(): Readonly<Record<string, number>> {
    return this.inner.episodeMetrics?.() ?? {};
  }
  close(): void {
    this.inner.close?.();
  }
}
