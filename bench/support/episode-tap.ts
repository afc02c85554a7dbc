import type { AgentId, AgentInfo, EnvMetadata, ParallelEnv, PerAgent, ResetArgs, ResetResult, StepResult } from '../../core/parallel-env.js';
import type { Space } from '../../core/spaces.js';

/** One finished episode: the run's env-step counter when it ended, and the world's metrics. */
export interface TappedEpisode {
  readonly envSteps: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/** Counts every world step of a run (shared by all its env copies) and collects finished episodes while `recording`. */
export class EpisodeLog {
  envSteps = 0;
  recording = true;
  readonly episodes: TappedEpisode[] = [];
}

/**
 * A forwarding wrapper on the innermost world: counts its steps into `log` and records `episodeMetrics()` when an
 * episode ends, whatever sits above it (intrinsic rewards, the manager's options), so every method is measured
 * on the same axis of world steps.
 */
export class EpisodeTap<Obs, Info extends AgentInfo, State> implements ParallelEnv<Obs, number, Info, State> {
  constructor(
    readonly inner: ParallelEnv<Obs, number, Info, State>,
    private readonly log: EpisodeLog,
  ) {}
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
  defaultAction(agent: AgentId): number {
    return this.inner.defaultAction(agent);
  }
  reset(args?: ResetArgs): ResetResult<Obs, Info> {
    return this.inner.reset(args);
  }
  step(actions: Readonly<PerAgent<number>>): StepResult<Obs, Info> {
    const res = this.inner.step(actions);
    this.log.envSteps++;
    if (this.inner.agents.length === 0 && this.log.recording) this.log.episodes.push({ envSteps: this.log.envSteps, metrics: this.episodeMetrics() });
    return res;
  }
  episodeMetrics(): Readonly<Record<string, number>> {
    return this.inner.episodeMetrics?.() ?? {};
  }
}
