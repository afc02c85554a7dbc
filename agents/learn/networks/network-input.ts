import * as tf from '@tensorflow/tfjs';
import type { ActorCritic, NetworkInput } from './actor-critic.js';

/**
 * A batch of `rows` network inputs as tensors, from flat encoder buffers: `dense` of `rows x width` floats, or
 * `idx`/`val` of `rows x width` bag entries. The arrays are copied; dispose the result (or build it in `tf.tidy`).
 */
export function networkInput(kind: 'dense' | 'embedding-bag', rows: number, width: number, dense: Float32Array | null, idx: Int32Array | null, val: Float32Array | null): NetworkInput {
  if (kind === 'dense') return { kind, x: tf.tensor2d(dense as Float32Array, [rows, width]) };
  return { kind, idx: tf.tensor2d(idx as Int32Array, [rows, width], 'int32'), val: tf.tensor2d(val as Float32Array, [rows, width]) };
}

/** Flat encoder buffers for {@link headOutput}: `dense`, or the bag's `idx` and `val` (the others null). */
export interface FlatInput {
  readonly dense: Float32Array | null;
  readonly idx: Int32Array | null;
  readonly val: Float32Array | null;
}

/**
 * One forward pass of `net` over `rows` inputs of `width` from flat buffers: per row the logits, then the value
 * (`actions + 1` numbers), as one array. No tensor outlives the call.
 */
export function headOutput(net: ActorCritic, rows: number, width: number, x: FlatInput): Float32Array {
  return tf.tidy(() => net.head(networkInput(net.spec.input, rows, width, x.dense, x.idx, x.val)).dataSync() as Float32Array);
}

/** The value column of a head output of `rows` rows of `actions + 1`. */
export function headValues(head: Float32Array, rows: number, actions: number): Float32Array {
  const values = new Float32Array(rows);
  for (let k = 0; k < rows; k++) values[k] = head[k * (actions + 1) + actions] as number;
  return values;
}
