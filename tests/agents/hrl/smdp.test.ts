// Semi-MDP returns on hand-checked examples: an option of k steps discounts what follows by gamma^k.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { discountedOptionReward, smdpGae, smdpReturns } from '../../../agents/hrl/smdp.js';
import { gae } from '../../../agents/learn/ppo.js';

describe('semi-MDP returns', () => {
  it('discount by gamma^k per option, cut at episode ends', () => {
    // Options of 2, 3, 1 steps with rewards 1, 0, 2; the last ends the episode; gamma 0.5:
    // G2 = 2; G1 = 0 + 0.5^3 * 2 = 0.25; G0 = 1 + 0.5^2 * 0.25 = 1.0625.
    assert.deepEqual([...smdpReturns([1, 0, 2], [2, 3, 1], [0, 0, 1], 0.5)], [1.0625, 0.25, 2]);
    // Not ended: bootstrap 8 after the last option: G2 = 2 + 0.5 * 8 = 6; G1 = 0.125 * 6 = 0.75; G0 = 1 + 0.25 * 0.75.
    assert.deepEqual([...smdpReturns([1, 0, 2], [2, 3, 1], [0, 0, 0], 0.5, 8)], [1.1875, 0.75, 6]);
    // An episode end in the middle stops the discounting there: G0 = 1 (ended), G1 = 3 + 0.5^2 * 4.
    assert.deepEqual([...smdpReturns([1, 3, 4], [1, 2, 1], [1, 0, 1], 0.5)], [1, 4, 4]);
    assert.throws(() => smdpReturns([1], [0], [0], 0.5), /lasted 0 steps/);
  });

  it('discount inside an option: sum gamma^j r_j', () => {
    assert.equal(discountedOptionReward([1, 0, 4], 0.5), 1 + 0.25 * 4);
  });

  it('smdpGae with lambda 1 and zero values gives the semi-MDP returns; with unit steps it is plain GAE', () => {
    const rewards = Float32Array.of(1, 0, 2);
    const zeros = new Float32Array(3);
    const { returns } = smdpGae(rewards, zeros, Uint8Array.of(0, 0, 1), Int32Array.of(2, 3, 1), new Float32Array(1), 3, 1, 0.5, 1);
    assert.deepEqual([...returns], [1.0625, 0.25, 2]);
    const values = Float32Array.of(0.3, -0.2, 0.5, 0.1, 0.4, 0);
    const r6 = Float32Array.of(1, 0, 0, 1, 0.5, 0);
    const dones = Uint8Array.of(0, 0, 1, 0, 0, 0);
    const last = Float32Array.of(0.2, -0.1);
    const plain = gae(r6, values, dones, last, 3, 2, 0.9, 0.8);
    const smdp = smdpGae(r6, values, dones, new Int32Array(6).fill(1), last, 3, 2, 0.9, 0.8);
    assert.deepEqual([...smdp.advantages], [...plain.advantages]);
  });
});
