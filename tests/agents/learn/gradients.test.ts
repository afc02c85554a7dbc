import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../agents/learn/backend.js';
import { linear } from '../../../agents/learn/networks/linear.js';
import { embeddingBag } from '../../../agents/learn/networks/embedding-bag.js';
import { ActorCritic } from '../../../agents/learn/networks/actor-critic.js';
import { Rng } from '../../../core/rng.js';

/** Largest absolute difference between two tensors of the same shape. */
function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepEqual(a.shape, b.shape, 'gradients have different shapes');
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

function randomTensor(rng: Rng, shape: number[]): tf.Tensor {
  const n = shape.reduce((x, y) => x * y, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.float() * 2 - 1), shape);
}

describe('hand-written gradients match automatic ones (wasm)', () => {
  before(async () => {
    await initBackend('wasm', { quiet: true });
  });

  it('dense layer: dx, dW and db equal autodiff within 1e-5', () => {
    const rng = Rng.fromSeed(3);
    tf.tidy(() => {
      const x = randomTensor(rng, [6, 9]) as tf.Tensor2D;
      const w = randomTensor(rng, [9, 4]) as tf.Tensor2D;
      const b = randomTensor(rng, [4]) as tf.Tensor1D;
      const r = randomTensor(rng, [6, 4]);
      const loss = (custom: boolean) => (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(tf.tanh(linear(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D, custom)), r));
      const fast = tf.grads(loss(true))([x, w, b]);
      const auto = tf.grads(loss(false))([x, w, b]);
      ['dx', 'dW', 'db'].forEach((name, i) => {
        const d = maxDiff(fast[i] as tf.Tensor, auto[i] as tf.Tensor);
        assert.ok(d < 1e-5, `${name} differs from autodiff by ${d}`);
      });
      assert.ok(maxDiff(linear(x, w, b, true), linear(x, w, b, false)) < 1e-6, 'forward values differ');
    });
  });

  it('embedding bag equals a one-hot matMul, value and dW, with repeated indices', () => {
    const rng = Rng.fromSeed(4);
    const vocab = 11;
    const idxArr = Int32Array.from([0, 3, 3, 10, 2, 2, 5, 7, 1]);
    const valArr = Float32Array.from([1, 0.5, 1, 1, 1, 0, 2, 1, 1]);
    tf.tidy(() => {
      const idx = tf.tensor2d(idxArr, [3, 3], 'int32');
      const val = tf.tensor2d(valArr, [3, 3]);
      const dense = new Float32Array(3 * vocab);
      idxArr.forEach((j, k) => {
        const at = Math.floor(k / 3) * vocab + j;
        dense[at] = (dense[at] as number) + (valArr[k] as number);
      });
      const x = tf.tensor2d(dense, [3, vocab]);
      const w = randomTensor(rng, [vocab, 5]) as tf.Tensor2D;
      const b = randomTensor(rng, [5]) as tf.Tensor1D;
      const r = randomTensor(rng, [3, 5]);
      assert.ok(maxDiff(embeddingBag(idx, val, w, b), linear(x, w, b, false)) < 1e-5, 'bag forward differs from the one-hot matMul');
      const [dwBag, dbBag] = tf.grads((ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(embeddingBag(idx, val, ww as tf.Tensor2D, bb as tf.Tensor1D), r)))([w, b]);
      const [dwDense, dbDense] = tf.grads((ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(linear(x, ww as tf.Tensor2D, bb as tf.Tensor1D, false), r)))([w, b]);
      assert.ok(maxDiff(dwBag as tf.Tensor, dwDense as tf.Tensor) < 1e-5, 'bag dW differs from the one-hot matMul dW');
      assert.ok(maxDiff(dbBag as tf.Tensor, dbDense as tf.Tensor) < 1e-5, 'bag db differs');
    });
  });

  it('the unit-value bag (segment sum) equals the one-hot matMul too, value and dW', () => {
    const rng = Rng.fromSeed(8);
    // Indices stop at 8 of 0..10: the last rows of W get no entries (the segment sum's output is padded).
    const vocab = 11;
    const idxArr = Int32Array.from([0, 4, 4, 8, 1, 2, 3, 3]);
    tf.tidy(() => {
      const idx = tf.tensor2d(idxArr, [2, 4], 'int32');
      const ones = tf.ones([2, 4]) as tf.Tensor2D;
      const dense = new Float32Array(2 * vocab);
      idxArr.forEach((j, k) => {
        const at = Math.floor(k / 4) * vocab + j;
        dense[at] = (dense[at] as number) + 1;
      });
      const x = tf.tensor2d(dense, [2, vocab]);
      const w = randomTensor(rng, [vocab, 3]) as tf.Tensor2D;
      const b = randomTensor(rng, [3]) as tf.Tensor1D;
      const r = randomTensor(rng, [2, 3]);
      assert.ok(maxDiff(embeddingBag(idx, ones, w, b, true), linear(x, w, b, false)) < 1e-5, 'unit bag forward differs');
      const [dwBag] = tf.grads((ww: tf.Tensor) => tf.sum(tf.mul(embeddingBag(idx, ones, ww as tf.Tensor2D, b, true), r)))([w]);
      const [dwDense] = tf.grads((ww: tf.Tensor) => tf.sum(tf.mul(linear(x, ww as tf.Tensor2D, b, false), r)))([w]);
      assert.ok(maxDiff(dwBag as tf.Tensor, dwDense as tf.Tensor) < 1e-5, 'unit bag dW differs');
    });
  });

  it('a whole actor-critic: every variable gradient equal with custom gradients on and off', () => {
    const spec = { input: 'dense' as const, inputSize: 20, bagSize: 20, hidden: [16, 8], activation: 'tanh' as const, actions: 5 };
    const fast = new ActorCritic({ ...spec, customGradients: true }, Rng.fromSeed(9));
    const auto = new ActorCritic({ ...spec, customGradients: false }, Rng.fromSeed(9));
    const rng = Rng.fromSeed(10);
    tf.tidy(() => {
      const x = randomTensor(rng, [7, 20]) as tf.Tensor2D;
      const r = randomTensor(rng, [7, 5]);
      const rv = randomTensor(rng, [7]);
      const loss = (net: ActorCritic) => () => {
        const { logits, value } = net.forward({ kind: 'dense', x });
        return tf.add(tf.sum(tf.mul(tf.logSoftmax(logits), r)), tf.sum(tf.mul(tf.square(value), rv))) as tf.Scalar;
      };
      const gf = tf.variableGrads(loss(fast), fast.variables);
      const ga = tf.variableGrads(loss(auto), auto.variables);
      assert.ok(Math.abs((gf.value.dataSync()[0] as number) - (ga.value.dataSync()[0] as number)) < 1e-5, 'losses differ');
      fast.variables.forEach((v, i) => {
        const d = maxDiff(gf.grads[v.name] as tf.Tensor, ga.grads[(auto.variables[i] as tf.Variable).name] as tf.Tensor);
        assert.ok(d < 1e-5, `gradient of variable ${i} differs by ${d}`);
      });
    });
    fast.dispose();
    auto.dispose();
  });

  it('the same seed draws the same initial weights', () => {
    const spec = { input: 'dense' as const, inputSize: 6, bagSize: 6, hidden: [4], activation: 'relu' as const, actions: 3, customGradients: true };
    const a = new ActorCritic(spec, Rng.fromSeed(5));
    const b = new ActorCritic(spec, Rng.fromSeed(5));
    const c = new ActorCritic(spec, Rng.fromSeed(6));
    assert.deepEqual(a.getWeights(), b.getWeights(), 'same seed gave different weights');
    assert.notDeepEqual(a.getWeights()[0], c.getWeights()[0], 'different seeds gave the same first layer');
    for (const n of [a, b, c]) n.dispose();
  });
});
