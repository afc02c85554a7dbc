import type { MessagePort } from 'node:worker_threads';
import type { RngState } from '../../../core/rng.js';
import type { EncoderOptions } from '../observation-encoder.js';

/**
 * How a worker thread builds its envs: it imports `module` and calls its export `factory(arg, envIndex)`, which
 * returns one env (a `DiscreteEnv`). `arg` must survive structured cloning (plain data), since a closure cannot
 * cross threads.
 */
export interface WorkerEnvSpec {
  /** Absolute file URL of the module (e.g. `import.meta.resolve('./my-envs.js')`). */
  readonly module: string;
  readonly factory: string;
  readonly arg: unknown;
}

/** What a worker is started with (its `workerData`). */
export interface EnvWorkerInit {
  readonly spec: WorkerEnvSpec;
  /** The envs this worker steps: `[firstEnv, firstEnv + numEnvs)` of the run's `totalEnvs`. */
  readonly firstEnv: number;
  readonly numEnvs: number;
  readonly totalEnvs: number;
  readonly encoder: EncoderOptions;
  readonly input: 'dense' | 'embedding-bag';
  /** State of the generator the envs' seed streams fork from (the same for every worker). */
  readonly rng: RngState;
  /** Shared buffers of the whole vector, in the global agent-major slot layout. */
  readonly shared: SharedBuffers;
  /** `[state, command, error]`: state 0 idle, 1 command posted, 2 done. */
  readonly ctrl: SharedArrayBuffer;
  readonly port: MessagePort;
}

export interface SharedBuffers {
  readonly actions: SharedArrayBuffer;
  readonly obs: { readonly dense: SharedArrayBuffer | null; readonly idx: SharedArrayBuffer | null; readonly val: SharedArrayBuffer | null };
  readonly finalObs: { readonly dense: SharedArrayBuffer | null; readonly idx: SharedArrayBuffer | null; readonly val: SharedArrayBuffer | null };
  readonly live: SharedArrayBuffer;
  readonly masks: SharedArrayBuffer;
  readonly rewards: SharedArrayBuffer;
  readonly terminated: SharedArrayBuffer;
  readonly truncated: SharedArrayBuffer;
  /** Int32 per slot: env steps of the slot's last decision (1 unless the env reports `optionSteps`). */
  readonly optionSteps: SharedArrayBuffer;
}

export const CMD = { reset: 1, step: 2, snapshot: 3, restore: 4, close: 5 } as const;
export const STATE = { idle: 0, posted: 1, done: 2 } as const;
