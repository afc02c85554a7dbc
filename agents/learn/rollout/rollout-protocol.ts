import type { MessagePort } from 'node:worker_threads';
import type { RngState } from '../../../core/rng.js';
import type { ConcreteBackend } from '../backend.js';
import type { ActorCriticSpec } from '../networks/actor-critic.js';
import type { EncoderOptions } from '../observation-encoder.js';
import type { RolloutBuffers, RolloutSettings, SlotRange } from './collect-rollout.js';
import type { EpisodeStats, VectorEnvState } from './vector-env.js';
import type { WorkerEnvSpec } from './worker-protocol.js';

/** A rollout thread's `workerData` (see {@link RolloutThread}). */
export interface RolloutWorkerInit {
  readonly backend: ConcreteBackend;
  readonly env: WorkerEnvSpec;
  readonly numEnvs: number;
  readonly encoder: EncoderOptions;
  readonly input: 'dense' | 'embedding-bag';
  /** Generator the envs' seed streams fork from (`rng.fork('envs')` of the run, as in the trainer's own thread). */
  readonly envRng: RngState;
  /** The rollout's sampling stream at the start. */
  readonly rolloutRng: RngState;
  readonly spec: ActorCriticSpec;
  readonly groups: readonly SlotRange[];
  readonly settings: RolloutSettings;
  /** Float32 per policy group: the behaviour weights of the next rollout, flattened in `variables` order. */
  readonly weights: readonly SharedArrayBuffer[];
  /** Int32 words, see {@link ROLLOUT_CTRL}. */
  readonly ctrl: SharedArrayBuffer;
  readonly port: MessagePort;
}

/**
 * Control words. `state`, `cmd` and `error` sit where `startWorker`'s boot code reports a module that fails to load
 * (words 0 and 2). `tensors`: the thread's `tf.memory().numTensors` after its last command (for leak tests).
 */
export const ROLLOUT_CTRL = { state: 0, cmd: 1, error: 2, tensors: 3, length: 4 } as const;
export const ROLLOUT_STATE = { idle: 0, posted: 1, done: 2 } as const;
/**
 * `collect`: load the shared behaviour weights, remember where the envs and the sampling stream are, collect one
 * rollout and post it (buffers transferred). `snapshot`: post the envs' state and the sampling stream's, as they were
 * at the start of the last rollout (`start` message true) or now. `restore`: read `{ vec, rng }` from the port and
 * continue from there.
 */
export const ROLLOUT_CMD = { collect: 1, snapshot: 2, restore: 3 } as const;

/** A collected rollout, as posted by the thread. */
export interface RolloutMessage {
  readonly buf: RolloutBuffers;
  readonly episodes: EpisodeStats[];
  readonly lastValues: Float32Array;
  readonly smdp: boolean;
}

/** The thread's position: its envs and its sampling stream. */
export interface RolloutPosition {
  readonly vec: VectorEnvState;
  readonly rng: RngState;
}
