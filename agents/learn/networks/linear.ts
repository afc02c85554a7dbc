import * as tf from '@tensorflow/tfjs';

type GradSave = (tensors: tf.Tensor[]) => void;

/**
 * `x·W + b` with a hand-written gradient: `dx = dy·Wᵀ`, `dW = xᵀ·dy`, `db = Σ dy`, with the transposes made
 * explicit. Autodiff computes the same products as `matMul(dy, W, false, true)` and `matMul(x, dy, true, false)`;
 * the wasm backend runs its fast XNNPACK path only when neither operand is flagged transposed, so this version is
 * ~5x faster there (see agents/learn/README.md). Values and gradients equal autodiff's within float rounding.
 */
const linearCustom = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: GradSave) => {
  save([x, w]);
  return {
    value: tf.fused.matMul({ a: x, b: w, bias: b }) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy), tf.sum(dy, 0)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/**
 * The same for a first layer, whose input is data: `dx` is never used, so it is not computed (a custom gradient
 * computes every input's gradient eagerly, where autodiff prunes unused ones). Saves a third of the first layer's
 * backward pass, the largest matMul of a wide observation such as Crafter's 1345-value vector.
 */
const linearCustomNoDx = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: GradSave) => {
  save([x]);
  return {
    value: tf.fused.matMul({ a: x, b: w, bias: b }) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs] = saved as [tf.Tensor2D];
      return [tf.zerosLike(xs), tf.matMul(tf.transpose(xs), dy), tf.sum(dy, 0)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/**
 * `x·W + b`; `custom` picks the hand-written gradient (wasm) over autodiff (every other backend). With
 * `inputGrad: false` (data input) the custom gradient skips `dx` and reports zeros for it.
 */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, custom: boolean, inputGrad = true): tf.Tensor2D {
  if (!custom) return tf.fused.matMul({ a: x, b: w, bias: b }) as tf.Tensor2D;
  return inputGrad ? linearCustom(x, w, b) : linearCustomNoDx(x, w, b);
}
