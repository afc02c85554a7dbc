import type { AgentInfo, ParallelEnv, PerAgent, StepResult } from '../../core/parallel-env.js';
import { EnvWrapper } from '../../core/env-wrapper.js';

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
export class EpisodeTap<Obs, Info extends AgentInfo, State> extends EnvWrapper<Obs, number, Info, State> {
  constructor(
    inner: ParallelEnv<Obs, number, Info, State>,
    private readonly log: EpisodeLog,
  ) {
    super(inner);
  }
  override step(actions: Readonly<PerAgent<number>>): StepResult<Obs, Info> {
    const res = this.inner.step(actions);
    this.log.envSteps++;
    if (this.inner.agents.length === 0 && this.log.recording) this.log.episodes.push({ envSteps: this.log.envSteps, metrics: this.episodeMetrics() });
    return res;
  }
}
