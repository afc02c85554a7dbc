import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../agents/learn/backend.js';
import { getAdamState } from '../../../agents/learn/adam-state.js';
import { adamRange, clipFactor, nextAcc, sumSquares } from '../../../agents/learn/learner/split-adam.js';
import { Rng } from '../../../core/rng.js';

describe('split Adam (flat float32 arrays)', () => {
  it('two ranges give the same floats as one; equals tfjs Adam on wasm up to float32 rounding over several clipped steps', async () => {
    await initBackend('wasm', { quiet: true });
    const rng = Rng.fromSeed(3);
    const n = 1001;
    const draw = (s: number) => Float32Array.from({ length: n }, () => (rng.float() * 2 - 1) * s);
    const w0 = draw(1);
    const variable = tf.variable(tf.tensor1d(w0), true, 'split-adam-test-w');
    const opt = tf.train.adam(3e-4, 0.9, 0.999, 1e-5);
    const whole = { w: w0.slice(), m: new Float32Array(n), v: new Float32Array(n) };
    const split = { w: w0.slice(), m: new Float32Array(n), v: new Float32Array(n) };
    const consts = { beta1: 0.9, beta2: 0.999, epsilon: 1e-5 };
    let acc1 = Math.fround(0.9);
    let acc2 = Math.fround(0.999);
    for (let step = 0; step < 5; step++) {
      const a = draw(step === 2 ? 0.001 : 0.2); // one step under the clip norm, the others over it
      const b = draw(step === 2 ? 0.001 : 0.2);
      const lr = 3e-4 * (1 - step / 7);
      (opt as unknown as { learningRate: number }).learningRate = lr;
      const scale = clipFactor(sumSquares(a, b, 0, 500) + sumSquares(a, b, 500, n), 0.5);
      assert.equal(step === 2, scale === 1, `step ${step}: clip factor ${scale}`);
      tf.tidy(() => {
        const sum = tf.add(tf.tensor1d(a), tf.tensor1d(b));
        const norm = tf.sqrt(tf.sum(tf.square(sum)));
        const s = tf.minimum(1, tf.div(0.5, tf.add(norm, 1e-6)));
        assert.ok(Math.abs((s.dataSync()[0] as number) - scale) < 1e-6, 'the clip factor matches tfjs (float32 against float64 sums)');
        opt.applyGradients({ [variable.name]: tf.mul(sum, scale) });
      });
      const p = { scale, lr, accBeta1: acc1, accBeta2: acc2 };
      adamRange(whole.w, whole.m, whole.v, a, b, 0, n, consts, p);
      adamRange(split.w, split.m, split.v, a, b, 500, n, consts, p);
      adamRange(split.w, split.m, split.v, a, b, 0, 500, consts, p);
      acc1 = nextAcc(acc1, 0.9);
      acc2 = nextAcc(acc2, 0.999);
    }
    const state = getAdamState(opt);
    assert.deepEqual(split, whole, 'two ranges equal one');
    // Differences relative to the array's largest value (m near 0 cancels, so not element-wise relative).
    const maxRel = (x: Float32Array, y: Float32Array) => x.reduce((d, xi, i) => Math.max(d, Math.abs(xi - (y[i] as number))), 0) / x.reduce((d, xi) => Math.max(d, Math.abs(xi)), 0);
    const dw = maxRel(whole.w, variable.dataSync() as Float32Array);
    const dm = maxRel(whole.m, state.m[0] as Float32Array);
    const dv = maxRel(whole.v, state.v[0] as Float32Array);
    assert.ok(dw < 1e-6 && dm < 1e-6 && dv < 1e-6, `tfjs Adam and this differ: weights ${dw}, m ${dm}, v ${dv} (of the largest value)`);
    assert.ok(whole.w.some((x, i) => x !== w0[i]), 'the weights moved');
    assert.equal(acc1, state.accBeta1);
    assert.equal(acc2, state.accBeta2);
    variable.dispose();
    opt.dispose();
  });
});
