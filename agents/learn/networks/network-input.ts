import * as tf from '@tensorflow/tfjs';
import type { NetworkInput } from './actor-critic.js';

/**
 * A batch of `rows` network inputs as tensors, from flat encoder buffers: `dense` of `rows x width` floats, or
 * `idx`/`val` of `rows x width` bag entries. The arrays are copied; dispose the result (or build it in `tf.tidy`).
 */
export function networkInput(kind: 'dense' | 'embedding-bag', rows: number, width: number, dense: Float32Array | null, idx: Int32Array | null, val: Float32Array | null): NetworkInput {
  if (kind === 'dense') return { kind, x: tf.tensor2d(dense as Float32Array, [rows, width]) };
  return { kind, idx: tf.tensor2d(idx as Int32Array, [rows, width], 'int32'), val: tf.tensor2d(val as Float32Array, [rows, width]) };
}
