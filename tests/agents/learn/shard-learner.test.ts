import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../agents/learn/backend.js';
import { Ppo, PpoConfigError, parsePpoConfig } from '../../../agents/learn/ppo.js';
import type { PpoConfigInput, PpoUpdateStats } from '../../../agents/learn/ppo.js';
import { Rng } from '../../../core/rng.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';

const asJson = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v));

/** Three updates, with a checkpoint restore after the second; the stats and the final state as JSON. */
function run(ppo: Ppo): { stats: PpoUpdateStats[]; state: string } {
  const stats = [ppo.iterate(), ppo.iterate()];
  ppo.setState(ppo.getState()); // the replica must reload restored weights
  stats.push(ppo.iterate());
  return { stats, state: asJson(ppo.getState()) };
}

describe('data-parallel PPO (learnerThreads: 2)', () => {
  it('a learner worker thread gives the same stats and weights as both halves computed in this thread (bag input, per-agent policies)', async () => {
    const backend = await initBackend('wasm', { quiet: true });
    // Two agents with a policy each (the replica holds both), short episodes, an odd minibatch size (uneven halves).
    const world = { layout: 'open-room', width: 7, height: 7, agents: 2, maxSteps: 10 } as const;
    const config: PpoConfigInput = { numEnvs: 3, numSteps: 15, hidden: [16, 16], totalSteps: 3 * 15 * 3, numMinibatches: 2, updateEpochs: 2, policy: 'per-agent', observationKeys: ['view', 'hasKey'], firstLayer: 'embedding-bag', learnerThreads: 2 };
    const runs = [false, true].map((learnerThread) => {
      const ppo = new Ppo({ makeEnv: () => createNavigationEnv(world), rng: Rng.fromSeed(5), backend, config, learnerThread });
      assert.equal(ppo.runConfig.learnerWorker, learnerThread, 'runConfig records where the second half ran');
      const out = run(ppo);
      ppo.dispose();
      return out;
    });
    assert.ok((runs[0]?.stats ?? []).some((s) => s.episodes > 0) && runs[0]?.stats.every((s) => Number.isFinite(s.policyLoss) && s.entropy > 0), 'the runs train');
    assert.equal(asJson(runs[1]?.stats), asJson(runs[0]?.stats), 'stats with a learner thread equal the single-thread shards');
    assert.equal(runs[1]?.state, runs[0]?.state, 'weights, Adam state and envs with a learner thread equal the single-thread shards');
  });

  it('dense input, a shared policy, the analytic loss gradient: same numbers in a thread or not; the halves sum to nearly the unsharded update; no tensor leaks', async () => {
    const backend = await initBackend('wasm', { quiet: true });
    const world = { layout: 'four-rooms', width: 9, height: 9, agents: 2, viewSize: 5 } as const;
    // The analytic loss gradient here (autodiff in the first test): the worker runs it too.
    const base: PpoConfigInput = { numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 2, hidden: [16], firstLayer: 'dense', agentIdInput: true, totalSteps: 10_000, lossGradient: 'analytic' };
    const make = (learnerThreads: number, learnerThread: boolean) => new Ppo({ makeEnv: () => createNavigationEnv(world), rng: Rng.fromSeed(11), backend, config: { ...base, learnerThreads }, learnerThread });
    const inline = make(2, false);
    const threaded = make(2, true);
    const whole = make(1, true);
    inline.iterate();
    threaded.iterate();
    whole.iterate();
    const start = tf.memory().numTensors;
    const replicaStart = threaded.learnerTensors;
    assert.ok(replicaStart !== null && replicaStart > 0, `the worker reports its tensors (${replicaStart})`);
    assert.equal(inline.learnerTensors, null);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(threaded.iterate(), inline.iterate(), `update ${i + 2}: stats differ between thread and no thread`);
      whole.iterate();
    }
    assert.equal(tf.memory().numTensors, start, 'sharded updates leaked tensors in the main thread');
    assert.equal(threaded.learnerTensors, replicaStart, 'the learner worker leaked tensors');
    assert.deepEqual(threaded.network().getWeights(), inline.network().getWeights());
    // Two halves round differently from one batch, but they compute the same update.
    const a = whole.network().getWeights();
    const b = threaded.network().getWeights();
    let diff = 0;
    a.forEach((w, i) => w.forEach((v, j) => (diff = Math.max(diff, Math.abs(v - ((b[i] as Float32Array)[j] as number))))));
    assert.ok(diff < 1e-3, `sharded and unsharded weights after 4 updates differ by ${diff}`);
    for (const p of [inline, threaded, whole]) p.dispose();
  });

  it('learnerThreads is 1 or 2, checked with the config', () => {
    assert.equal(parsePpoConfig({}).learnerThreads, 1);
    assert.throws(() => parsePpoConfig({ learnerThreads: 3 }), (e: unknown) => e instanceof PpoConfigError && /learnerThreads = 3: Too big: expected number to be <=2/.test(e.message));
  });
});
