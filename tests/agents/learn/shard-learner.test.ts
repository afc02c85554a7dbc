import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../agents/learn/backend.js';
import { Ppo, PpoConfigError, parsePpoConfig } from '../../../agents/learn/ppo.js';
import type { PpoConfigInput, PpoState, PpoUpdateStats } from '../../../agents/learn/ppo.js';
import { Rng } from '../../../core/rng.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';

const asJson = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v));

/**
 * Three updates, with a checkpoint restore after the second, then a fourth in a fresh trainer restored from the
 * third's state (so the state must hold all of Adam: each thread's half of the moments); stats and final state as JSON.
 */
function run(ppo: Ppo, fresh: () => Ppo): { stats: PpoUpdateStats[]; state: string; adam: PpoState['policies'][number]['adam'] } {
  const stats = [ppo.iterate(), ppo.iterate()];
  ppo.setState(ppo.getState()); // the replica must reload restored weights
  stats.push(ppo.iterate());
  const mid = ppo.getState();
  const next = fresh();
  next.setState(mid);
  const resumed = next.iterate();
  assert.deepEqual(resumed, ppo.iterate(), 'a fresh trainer restored from the state continues exactly');
  assert.equal(asJson(next.getState()), asJson(ppo.getState()), 'a fresh trainer restored from the state ends in the same state');
  next.dispose();
  stats.push(resumed);
  return { stats, state: asJson(ppo.getState()), adam: mid.policies[0]?.adam as PpoState['policies'][number]['adam'] };
}

describe('data-parallel PPO (learnerThreads: 2)', () => {
  it('a learner worker thread gives the same stats and weights as both halves computed in this thread (bag input, per-agent policies)', async () => {
    const backend = await initBackend('wasm', { quiet: true });
    // Two agents with a policy each (the replica holds both), short episodes, an odd minibatch size (uneven halves).
    const world = { layout: 'open-room', width: 7, height: 7, agents: 2, maxSteps: 10 } as const;
    const config: PpoConfigInput = { numEnvs: 3, numSteps: 15, hidden: [16, 16], totalSteps: 3 * 15 * 4, numMinibatches: 2, updateEpochs: 2, policy: 'per-agent', observationKeys: ['view', 'hasKey'], firstLayer: 'embedding-bag', learnerThreads: 2 };
    const runs = [false, true].map((learnerThread) => {
      const make = () => new Ppo({ makeEnv: () => createNavigationEnv(world), rng: Rng.fromSeed(5), backend, config, learnerThread });
      const ppo = make();
      assert.equal(ppo.runConfig.learnerWorker, learnerThread, 'runConfig records where the second half ran');
      const out = { ...run(ppo, make), sizes: ppo.network().variables.map((v) => v.size) };
      ppo.dispose();
      return out;
    });
    // The split Adam's state, per variable like tfjs's: 3 updates x 2 epochs x 2 minibatches, both halves moved.
    const adam = runs[1]?.adam;
    assert.equal(adam?.iterations, 12);
    assert.deepEqual(adam?.m.map((a) => a.length), runs[1]?.sizes);
    const flatV = Float32Array.from(adam?.v.flatMap((a) => Array.from(a)) ?? []);
    assert.ok(flatV.subarray(0, flatV.length >> 1).some((x) => x > 0) && flatV.subarray(flatV.length >> 1).some((x) => x > 0), 'both halves of the second moments were updated');

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

  it('one-row minibatches (no second shard) step the same split Adam, in a thread or not', async () => {
    const backend = await initBackend('wasm', { quiet: true });
    const config: PpoConfigInput = { numEnvs: 1, numSteps: 4, numMinibatches: 4, updateEpochs: 1, hidden: [8], totalSteps: 1000, learnerThreads: 2 };
    const [inline, threaded] = [false, true].map((learnerThread) => new Ppo({ makeEnv: () => createNavigationEnv({ layout: 'open-room', width: 5, height: 5 }), rng: Rng.fromSeed(2), backend, config, learnerThread })) as [Ppo, Ppo];
    const before = inline.network().getWeights();
    for (let i = 0; i < 2; i++) assert.deepEqual(threaded.iterate(), inline.iterate());
    assert.equal(asJson(threaded.getState()), asJson(inline.getState()));
    assert.equal(inline.getState().policies[0]?.adam.iterations, 8, 'one Adam step per one-row minibatch');
    assert.notDeepEqual(inline.network().getWeights(), before, 'the weights moved');
    inline.dispose();
    threaded.dispose();
  });

  it('learnerThreads is 1 or 2, checked with the config', () => {
    assert.equal(parsePpoConfig({}).learnerThreads, 1);
    assert.throws(() => parsePpoConfig({ learnerThreads: 3 }), (e: unknown) => e instanceof PpoConfigError && /learnerThreads = 3: Too big: expected number to be <=2/.test(e.message));
  });
});
