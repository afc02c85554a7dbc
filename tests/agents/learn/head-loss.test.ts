import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../agents/learn/backend.js';
import { lossGradients } from '../../../agents/learn/learner/ppo-loss.js';
import type { Minibatch } from '../../../agents/learn/learner/ppo-loss.js';
import { ActorCritic } from '../../../agents/learn/networks/actor-critic.js';
import { Rng } from '../../../core/rng.js';

/** A minibatch where every branch of the loss is taken: masked actions, ratios inside and outside the clip range, value updates clipped and not. */
function minibatch(rng: Rng, net: ActorCritic, rows: number, width: number): Minibatch {
  const A = net.spec.actions;
  const dense = Float32Array.from({ length: rows * width }, () => rng.float() * 2 - 1);
  const maskBias = new Float32Array(rows * A);
  const actions = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let a = 0; a < A; a++) if (a !== 0 && rng.float() < 0.3) maskBias[r * A + a] = -1e9;
    do actions[r] = rng.int(0, A - 1);
    while (maskBias[r * A + (actions[r] as number)] !== 0);
  }
  // Old log-probabilities near uniform, spread so that ratios fall on both sides of [0.8, 1.2].
  const oldLogp = Float32Array.from({ length: rows }, () => -Math.log(A) + (rng.float() - 0.5));
  const oldValues = Float32Array.from({ length: rows }, () => rng.float() - 0.5);
  const returns = Float32Array.from({ length: rows }, () => rng.float() * 2 - 1);
  const advantages = Float32Array.from({ length: rows }, () => rng.float() * 2 - 1);
  return { rows, dense, idx: null, val: null, actions, oldLogp, oldValues, returns, advantages, maskBias };
}

describe("PPO's loss gradient computed in JS at the head (lossGradient: 'analytic')", () => {
  before(async () => {
    await initBackend('wasm', { quiet: true });
  });

  it('gives the gradients and stats of the autodiff loss within 1e-5, for a whole minibatch and for a shard of one', () => {
    const rng = Rng.fromSeed(9);
    const net = new ActorCritic({ input: 'dense', inputSize: 10, bagSize: 10, hidden: [12, 12], activation: 'tanh', actions: 6, customGradients: true }, rng.fork('net'));
    // Values far from the returns and logits away from uniform, so clipping happens.
    net.setWeights(net.getWeights().map((w) => w.map((x) => x * 8)));
    const mb = minibatch(rng, net, 24, 10);
    for (const clipValueLoss of [true, false]) {
      for (const denom of [24, 48]) {
        const base = { clipCoef: 0.2, clipValueLoss, entCoef: 0.01, vfCoef: 0.5 };
        tf.tidy(() => {
          const auto = lossGradients(net, mb, 10, denom, { ...base, lossGradient: 'autodiff' });
          const js = lossGradients(net, mb, 10, denom, { ...base, lossGradient: 'analytic' });
          const sa = Array.from(auto.stats.dataSync());
          const sj = Array.from(js.stats.dataSync());
          auto.stats.dispose();
          js.stats.dispose();
          assert.ok(sa[4] as number > 0.1 && (sa[4] as number) < 0.9, `some ratios are clipped and some not (clip fraction ${sa[4]})`);
          sa.forEach((v, i) => assert.ok(Math.abs(v - (sj[i] as number)) < 1e-5, `stat ${i}: autodiff ${v}, analytic ${sj[i]} (clipValueLoss ${clipValueLoss}, denom ${denom})`));
          auto.grads.forEach((g, i) => {
            const d = tf.max(tf.abs(tf.sub(g, js.grads[i] as tf.Tensor))).dataSync()[0] as number;
            const scale = tf.max(tf.abs(g)).dataSync()[0] as number;
            assert.ok(scale > 1e-4, `variable ${i} has a gradient to compare`);
            assert.ok(d < 1e-5, `gradient of variable ${i} differs by ${d} (scale ${scale}, clipValueLoss ${clipValueLoss}, denom ${denom})`);
          });
        });
      }
    }
    net.dispose();
  });
});
