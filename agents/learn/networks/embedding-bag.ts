import * as tf from '@tensorflow/tfjs';

type GradSave = (tensors: tf.Tensor[]) => void;

/**
 * Embedding bag: row i of the output is `Σ_j val[i,j] · W[idx[i,j]]`, i.e. `oneHot(idx, val)·W` without building
 * the one-hot matrix. For a categorical view (every cell one category) this is the first dense layer of a
 * one-hot encoding at the cost of reading only the active rows (49 of 392 for a 7x7 navigation view).
 * Padding entries carry `val = 0`.
 *
 * The gradient is hand-written because the gather's own gradient needs `UnsortedSegmentSum`, which the wasm
 * backend lacks: `dW = scatterND(idx, val ⊗ dy)` (scatterND sums duplicate indices). `idx` and `val` are inputs,
 * not parameters; their gradients are zeros.
 */
const bagCustom = tf.customGrad(((idx: tf.Tensor2D, val: tf.Tensor2D, w: tf.Tensor2D, save: GradSave) => {
  save([idx, val]);
  const vocab = w.shape[0];
  return {
    value: tf.sum(tf.mul(tf.gather(w, idx), tf.expandDims(val, 2)), 1),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [i, v] = saved as [tf.Tensor2D, tf.Tensor2D];
      const [batch, len] = i.shape;
      const hidden = dy.shape[1];
      const updates = tf.reshape(tf.mul(tf.expandDims(dy, 1), tf.expandDims(v, 2)), [batch * len, hidden]);
      const dW = tf.scatterND(tf.reshape(i, [batch * len, 1]), updates, [vocab, hidden]);
      return [tf.zerosLike(i), tf.zerosLike(v), dW];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (idx: tf.Tensor2D, val: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/**
 * The same when every value is 1 (a purely categorical input): `sparseSegmentSum` sums the rows in one kernel,
 * ~30x faster than `gather` on wasm (measured: 1.2 ms against 38 ms for 24 x 85 rows of a 1345 x 256 table).
 */
const bagUnitCustom = tf.customGrad(((idx: tf.Tensor2D, w: tf.Tensor2D, save: GradSave) => {
  save([idx]);
  const vocab = w.shape[0];
  const [batch, len] = idx.shape;
  const flat = tf.reshape(idx, [batch * len]) as tf.Tensor1D;
  const segments = tf.tensor1d(Int32Array.from({ length: batch * len }, (_, i) => Math.floor(i / len)), 'int32');
  return {
    value: tf.sparse.sparseSegmentSum(w, flat, segments) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [i] = saved as [tf.Tensor2D];
      const hidden = dy.shape[1];
      // A broadcasting multiply, not tf.tile: tile is ~25x slower on wasm (132 ms against 5.5 ms for 256 x 50 x 64).
      const updates = tf.reshape(tf.mul(tf.expandDims(dy, 1), tf.ones([1, len, 1])), [batch * len, hidden]);
      return [tf.zerosLike(i), tf.scatterND(tf.reshape(i, [batch * len, 1]), updates, [vocab, hidden])];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (idx: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/**
 * `Σ_j val[:, j] · W[idx[:, j]] + b`: `idx` int32 `[batch, bagSize]`, `val` float32 `[batch, bagSize]`, `W`
 * `[vocab, hidden]`. With `unitValues` the caller promises every `val` is 1 (no padding), and the faster
 * segment-sum kernel is used.
 */
export function embeddingBag(idx: tf.Tensor2D, val: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, unitValues = false): tf.Tensor2D {
  return tf.add(unitValues ? bagUnitCustom(idx, w) : bagCustom(idx, val, w), b);
}
