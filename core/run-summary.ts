import type { AgentId } from './parallel-env.js';

/** How long a run goes: until `steps` more steps or `episodes` more finished episodes, whichever comes first. */
export interface RunLimits {
  readonly steps?: number;
  readonly episodes?: number;
}

/** What a run did. */
export interface RunSummary {
  /** `completed`: a limit was reached; `stopped`: aborted or unsubscribed; `error`: see `error`. */
  readonly status: 'completed' | 'stopped' | 'error';
  /** Steps taken during this run. */
  readonly steps: number;
  /** Episodes that ended during this run. */
  readonly episodes: number;
  /** Steps taken by the simulation since it was built. */
  readonly totalSteps: number;
  readonly error?: { readonly message: string; readonly agent?: AgentId };
}

/** Counts a run's progress against its limits. Without any limit a run lasts one episode. */
export class RunCounter {
  steps = 0;
  episodes = 0;
  private readonly maxSteps: number;
  private readonly maxEpisodes: number;

  constructor(limits: RunLimits = {}, unbounded = false) {
    for (const key of ['steps', 'episodes'] as const) {
      const v = limits[key];
      if (v !== undefined && !(Number.isInteger(v) && v >= 0) && v !== Infinity) {
        throw new RangeError(`run limit ${key} must be a non-negative integer or Infinity, got ${v}`);
      }
    }
    const none = limits.steps === undefined && limits.episodes === undefined;
    this.maxSteps = limits.steps ?? Infinity;
    this.maxEpisodes = limits.episodes ?? (none && !unbounded ? 1 : Infinity);
  }

  get done(): boolean {
    return this.steps >= this.maxSteps || this.episodes >= this.maxEpisodes;
  }

  summary(status: RunSummary['status'], totalSteps: number, error?: RunSummary['error']): RunSummary {
    const base = { status, steps: this.steps, episodes: this.episodes, totalSteps };
    return Object.freeze(error ? { ...base, error } : base);
  }
}
