import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gae } from '../../../agents/learn/ppo.js';

describe('generalised advantage estimation', () => {
  it('matches a hand-computed example with an episode end in the middle, two slots side by side', () => {
    // Rows are steps, columns slots: slot 0 ends an episode at t=1; slot 1 at t=2.
    const T = 3;
    const N = 2;
    const rewards = Float32Array.from([1, 0, 0, 0, 2, 1]);
    const values = Float32Array.from([0.5, 0, 1, 0, 2, 0]);
    const dones = Uint8Array.from([0, 0, 1, 0, 0, 1]);
    const last = Float32Array.from([3, 5]);
    const { advantages, returns } = gae(rewards, values, dones, last, T, N, 0.9, 0.5);
    // Slot 0: t2 delta = 2 + 0.9*3 - 2 = 2.7; t1 (done) delta = 0 - 1 = -1, adv -1; t0 delta = 1 + 0.9*1 - 0.5 = 1.4,
    // adv = 1.4 + 0.9*0.5*(-1) = 0.95.  Slot 1: t2 (done) adv = 1; t1 adv = 0 + 0.45*1 = 0.45; t0 adv = 0.45*0.45.
    const expected = [0.95, 0.2025, -1, 0.45, 2.7, 1];
    expected.forEach((e, i) => assert.ok(Math.abs((advantages[i] as number) - e) < 1e-6, `advantage ${i}: expected ${e}, got ${advantages[i]}`));
    expected.forEach((e, i) => assert.ok(Math.abs((returns[i] as number) - (e + (values[i] as number))) < 1e-6, `return ${i} should be advantage + value`));
  });

  it('with lambda 1 and no ends, returns are the discounted sums bootstrapped from the last value', () => {
    const { returns } = gae(Float32Array.from([1, 1, 1]), Float32Array.from([0.3, -2, 7]), new Uint8Array(3), Float32Array.from([10]), 3, 1, 0.5, 1);
    assert.ok(Math.abs((returns[0] as number) - (1 + 0.5 + 0.25 + 0.125 * 10)) < 1e-6, `got ${returns[0]}`);
    assert.ok(Math.abs((returns[2] as number) - (1 + 0.5 * 10)) < 1e-6, `got ${returns[2]}`);
  });
});
