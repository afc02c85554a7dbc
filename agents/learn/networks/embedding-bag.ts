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

/** `Σ_j val[:, j] · W[idx[:, j]] + b`: `idx` int32 `[batch, bagSize]`, `val` float32 `[batch, bagSize]`, `W` `[vocab, hidden]`. */
export function embeddingBag(idx: tf.Tensor2D, val: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.add(bagCustom(idx, val, w), b);
}
