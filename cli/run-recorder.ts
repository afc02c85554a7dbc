import type { Observable } from 'rxjs';
import type { WorldEvent } from '../core/events.js';
import type { ParallelEnv } from '../core/parallel-env.js';

/** What a world's metrics writer gets when a run starts. */
export interface RecorderContext {
  /** The run's world, for world-specific reads at episode end (e.g. achievement counts). */
  readonly env: ParallelEnv;
  /** The run's out folder. */
  readonly dir: string;
  readonly events$: Observable<WorldEvent>;
}

/**
 * A world's own metrics writer (a `WorldEntry.recorders` item): writes its files while the run goes and adds its
 * fields to `summary.json`. The CLI builds one per run, after the out folder exists.
 */
export interface RunRecorder {
  /** Flushes and closes its files; called once, also when the run stops early. */
  close(): void;
  /** Fields merged into `summary.json`. */
  summary(): Readonly<Record<string, unknown>>;
  /** Extra lines for the summary printed at the end of the run. */
  summaryLines?(): readonly string[];
}

export type RecorderFactory = (ctx: RecorderContext) => RunRecorder;
