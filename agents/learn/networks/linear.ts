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

/** `x·W + b`; `custom` picks the hand-written gradient (wasm) over autodiff (every other backend). */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, custom: boolean): tf.Tensor2D {
  return custom ? linearCustom(x, w, b) : (tf.fused.matMul({ a: x, b: w, bias: b }) as tf.Tensor2D);
}
