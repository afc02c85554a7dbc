import type { MessagePort } from 'node:worker_threads';
import type { ConcreteBackend } from '../backend.js';
import type { ActorCriticSpec } from '../networks/actor-critic.js';
import type { LossCoefs } from './ppo-loss.js';
import type { AdamConsts } from './split-adam.js';

/** Buffers a learner worker shares with the main thread. Data rows are packed from row 0 (at most `maxRows`). */
export interface LearnerShared {
  /** One Float32 array per policy group: its weights, flattened in `variables` order, written by the main thread. */
  readonly weights: readonly SharedArrayBuffer[];
  /** Float32: the shard's gradients, flattened like the weights. */
  readonly grads: SharedArrayBuffer;
  /** Float32: the main thread's shard's gradients (read by the Adam command). */
  readonly firstGrads: SharedArrayBuffer;
  /** Float32, one per policy group, flattened like its weights: Adam's moments (each thread updates its range). */
  readonly m: readonly SharedArrayBuffer[];
  readonly v: readonly SharedArrayBuffer[];
  /** Float64 x {@link ADAM_PARAMS}`.length`: the Adam command's numbers (`AdamStepParams` and the worker's half's sum of squares). */
  readonly adamParams: SharedArrayBuffer;
  /** Float64 x 5: the shard's share of `[pg, v, entropy, kl, clipfrac]`. */
  readonly stats: SharedArrayBuffer;
  /** The shard's rows (see `Minibatch`); for inference only `dense` or `idx`/`val` are read. */
  readonly dense: SharedArrayBuffer | null;
  readonly idx: SharedArrayBuffer | null;
  readonly val: SharedArrayBuffer | null;
  readonly actions: SharedArrayBuffer;
  readonly oldLogp: SharedArrayBuffer;
  readonly oldValues: SharedArrayBuffer;
  readonly returns: SharedArrayBuffer;
  readonly advantages: SharedArrayBuffer;
  readonly maskBias: SharedArrayBuffer;
  /** Float32 `[maxRows, actions + 1]`: the head's output of an inference command. */
  readonly head: SharedArrayBuffer;
}

/** A learner worker's `workerData`. */
export interface LearnerWorkerInit {
  readonly backend: ConcreteBackend;
  readonly spec: ActorCriticSpec;
  readonly groups: number;
  /** Row width of the network input (dense features, or bag entries). */
  readonly width: number;
  readonly maxRows: number;
  readonly coefs: LossCoefs;
  readonly adam: AdamConsts;
  readonly shared: LearnerShared;
  /** Int32 words, see {@link CTRL}. */
  readonly ctrl: SharedArrayBuffer;
  readonly port: MessagePort;
}

/**
 * Word offsets in the control array. `weightVersion + g`: bumped by the main thread each time it writes group g's
 * weights. `tensors`: the worker's `tf.memory().numTensors` after its last command (for leak tests). During an Adam
 * command (each word 0, then 1): `workerSquares`, the worker has written its half's sum of squares; `scaleReady`, the
 * main thread has written the clip factor; `mainHalf` / `workerHalf`, that thread has written its half of the
 * weights (once both are, the worker loads all of them into its replica while the main thread loads them into its
 * network).
 */
export const CTRL = { state: 0, cmd: 1, error: 2, group: 3, rows: 4, denom: 5, tensors: 6, mainHalf: 7, workerHalf: 8, workerSquares: 9, scaleReady: 10, weightVersion: 11 } as const;

/** Slots of the Float64 `adamParams` buffer. */
export const ADAM_PARAMS = { scale: 0, lr: 1, accBeta1: 2, accBeta2: 3, workerSquares: 4, length: 5 } as const;
export const LEARNER_CMD = { gradients: 1, infer: 2, close: 3, adam: 4 } as const;

/**
 * Where the optimizer step splits a group's flattened weights: the main thread updates `[0, split)`, the learner
 * worker `[split, count)` (ZeRO-1: each owns that range's Adam moments).
 */
export function adamSplit(count: number): number {
  return Math.floor(count / 2);
}
export const LEARNER_STATE = { idle: 0, posted: 1, done: 2 } as const;
