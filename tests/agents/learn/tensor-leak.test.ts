import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../agents/learn/backend.js';
import type { BackendInfo } from '../../../agents/learn/backend.js';
import { Ppo } from '../../../agents/learn/ppo.js';
import { Rng } from '../../../core/rng.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';

describe('no tensor leaks', () => {
  let backend: BackendInfo;
  before(async () => {
    backend = await initBackend('wasm', { quiet: true });
  });

  it('the tensor count stays flat over 1,000 gradient updates (two agents, one policy each, truncations, bag input)', () => {
    // Two agents with a policy each: every iteration makes one gradient update per policy. maxSteps 3 truncates
    // often, so the bootstrap forward on final observations runs too; the embedding-bag input covers the custom
    // scatter gradient.
    const ppo = new Ppo({
      makeEnv: () => createNavigationEnv({ layout: 'open-room', width: 6, height: 6, obstacleDensity: 0, agents: 2, viewSize: 3, maxSteps: 3 }),
      rng: Rng.fromSeed(2),
      backend,
      config: { totalSteps: 1_000_000, numEnvs: 2, numSteps: 1, numMinibatches: 1, updateEpochs: 1, hidden: [4], policy: 'per-agent', firstLayer: 'embedding-bag', observationKeys: ['view', 'hasKey'] },
    });
    ppo.iterate(); // Adam creates its moment variables on the first update.
    const start = tf.memory().numTensors;
    let updates = 0;
    for (let i = 0; i < 500; i++) {
      ppo.iterate();
      updates += 2;
      if (i % 100 === 0) assert.equal(tf.memory().numTensors, start, `tensor count grew from ${start} to ${tf.memory().numTensors} after ${updates} updates`);
    }
    assert.equal(updates, 1000);
    assert.equal(tf.memory().numTensors, start, `tensor count grew from ${start} to ${tf.memory().numTensors} over 1,000 updates`);
    // Acting through a Controller must not leak either.
    const c = ppo.controller('agent_1', { greedy: false });
    const env = createNavigationEnv({ layout: 'open-room', width: 6, height: 6, obstacleDensity: 0, agents: 2, viewSize: 3, maxSteps: 3 });
    const { observations, infos } = env.reset({ seed: 1 });
    c.reset({ agent: 'agent_1', episode: 0, observationSpace: env.observationSpace('agent_1'), actionSpace: env.actionSpace('agent_1'), rng: Rng.fromSeed(3) });
    for (let i = 0; i < 50; i++) {
      const a = c.act({ agent: 'agent_1', observation: observations.agent_1 as never, info: infos.agent_1 as never, step: 0, episode: 0, worldState: () => env.state() });
      assert.ok(Number.isInteger(a) && a >= 0 && a < 5, `action ${a}`);
    }
    assert.equal(tf.memory().numTensors, start, 'acting leaked tensors');
    ppo.dispose();
    assert.ok(tf.memory().numTensors < start, 'dispose freed nothing');
  });

  it('the same seed gives the same training statistics (deterministic rollouts and updates on one thread)', () => {
    const run = () => {
      const ppo = new Ppo({
        makeEnv: () => createNavigationEnv({ layout: 'four-rooms', width: 9, height: 9, agents: 2, viewSize: 5 }),
        rng: Rng.fromSeed(11),
        backend,
        config: { totalSteps: 10_000, numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 2, hidden: [16], agentIdInput: true },
      });
      const stats = [ppo.iterate(), ppo.iterate()];
      const w = ppo.network().getWeights();
      ppo.dispose();
      return { stats, w };
    };
    const a = run();
    const b = run();
    assert.deepEqual(a.stats, b.stats, 'two runs with one seed diverged');
    // Linear schedule: full rate on the first update, then 1 - 1/numUpdates of it (numUpdates = 10,000 / 32 = 312).
    assert.equal(a.stats[0]?.learningRate, 2.5e-4);
    assert.ok(Math.abs((a.stats[1]?.learningRate ?? 0) - 2.5e-4 * (1 - 1 / 312)) < 1e-12, `second lr ${a.stats[1]?.learningRate}`);
    assert.ok(a.stats.every((s) => Number.isFinite(s.policyLoss) && Number.isFinite(s.entropy) && s.entropy > 0), 'losses must be finite, entropy positive');
    assert.deepEqual(a.w, b.w, 'two runs with one seed ended with different weights');
  });
});
