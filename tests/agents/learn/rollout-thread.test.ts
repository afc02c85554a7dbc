import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../agents/learn/backend.js';
import type { BackendInfo } from '../../../agents/learn/backend.js';
import { loadCheckpoint, saveCheckpoint } from '../../../agents/learn/checkpoint.js';
import { Ppo, PpoConfigError } from '../../../agents/learn/ppo.js';
import type { PpoUpdateStats } from '../../../agents/learn/ppo.js';
import { Rng } from '../../../core/rng.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';

// Two agents with one policy each and short episodes: rollouts cross episode ends, truncations and agents leaving early.
const world = { layout: 'open-room', width: 5, height: 5, agents: 2, maxSteps: 12 } as const;
const makeEnv = () => createNavigationEnv(world);
const workerEnv = { module: import.meta.resolve('../../../worlds/navigation/index.js'), factory: 'createNavigationEnv', arg: world };
const config = { numEnvs: 3, numSteps: 16, hidden: [16], totalSteps: 3 * 16 * 6, policy: 'per-agent', observationKeys: ['view'], rolloutThread: true } as const;
const json = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v));

describe('pipelined rollout (rolloutThread)', () => {
  let backend: BackendInfo;
  before(async () => {
    backend = await initBackend('wasm', { quiet: true });
  });

  it('is deterministic by seed, and a run resumed from a checkpoint (taken with a rollout in flight) equals an uninterrupted one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-pipe-'));
    try {
      const straight = new Ppo({ makeEnv, rng: Rng.fromSeed(5), backend, config, workerEnv });
      const want: PpoUpdateStats[] = [];
      straight.train((s) => want.push(s));
      assert.equal(want.length, 6);
      assert.ok(want.some((s) => s.episodes > 0), 'episodes end within the test');

      const first = new Ppo({ makeEnv, rng: Rng.fromSeed(5), backend, config, workerEnv });
      const got: PpoUpdateStats[] = [first.iterate(), first.iterate(), first.iterate()];
      const mid = first.getState();
      assert.equal(mid.policies.length, 2);
      assert.ok(mid.rolloutRng, 'the checkpoint holds the rollout stream');
      assert.notEqual(json(mid.policies[0]?.behaviour), json(mid.policies[0]?.weights), 'the rollout in flight runs with the weights before the last update');
      saveCheckpoint(join(dir, 'ck'), mid);
      const back = loadCheckpoint(join(dir, 'ck')).state;
      assert.equal(json(back), json(mid), 'the behaviour weights and the rollout stream survive the round trip');
      // The trainer that took the checkpoint goes on as if nothing happened.
      const cont = [first.iterate(), first.iterate(), first.iterate()];
      assert.equal(json([...got, ...cont]), json(want), 'taking a checkpoint does not change the run');
      first.dispose();

      const resumed = new Ppo({ makeEnv, rng: Rng.fromSeed(99), backend, config, workerEnv });
      resumed.setState(back);
      resumed.train((s) => got.push(s));
      assert.equal(json(got), json(want), 'stats of every update equal (same seed, same numbers; resumed exactly)');
      assert.equal(json(resumed.getState()), json(straight.getState()), 'final weights, Adam, behaviour weights, RNGs and envs equal');
      straight.dispose();
      resumed.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaks no tensor in either thread over many updates, and dispose stops the thread', async () => {
    const ppo = new Ppo({
      makeEnv: () => createNavigationEnv({ layout: 'open-room', width: 6, height: 6, obstacleDensity: 0, agents: 2, viewSize: 3, maxSteps: 3 }),
      rng: Rng.fromSeed(2), backend,
      workerEnv: { module: workerEnv.module, factory: 'createNavigationEnv', arg: { layout: 'open-room', width: 6, height: 6, obstacleDensity: 0, agents: 2, viewSize: 3, maxSteps: 3 } },
      config: { totalSteps: 1_000_000, numEnvs: 2, numSteps: 2, numMinibatches: 1, updateEpochs: 1, hidden: [4], policy: 'per-agent', firstLayer: 'embedding-bag', observationKeys: ['view', 'hasKey'], rolloutThread: true, pipelineRatio: 'behaviour' },
    });
    ppo.iterate();
    ppo.iterate();
    const main = tf.memory().numTensors;
    const thread = ppo.rolloutTensors;
    assert.ok(thread !== null && thread > 0, 'the thread reports its tensors');
    for (let i = 0; i < 200; i++) {
      ppo.iterate();
      if (i % 50 === 0) ppo.getState(); // checkpoints in between (they wait for the rollout in flight)
    }
    assert.equal(tf.memory().numTensors, main, `main thread: tensor count grew from ${main} to ${tf.memory().numTensors} over 200 updates`);
    assert.equal(ppo.rolloutTensors, thread, `rollout thread: tensor count grew from ${thread} to ${ppo.rolloutTensors} over 200 rollouts`);
    const worker = ppo.rolloutWorker;
    assert.ok(worker);
    const exited = once(worker, 'exit');
    ppo.dispose();
    await exited;
  });

  it('an error in the thread surfaces in the main thread with its message; bad combinations fail at construction', async () => {
    const failing = { module: import.meta.resolve('./support/failing-env.js'), factory: 'createFailingEnv', arg: { failAt: 40 } };
    const ppo = new Ppo({ makeEnv: () => createNavigationEnv({ layout: 'open-room', width: 5, height: 5, maxSteps: 8 }), rng: Rng.fromSeed(1), backend, workerEnv: failing, config: { numEnvs: 1, numSteps: 16, hidden: [8], totalSteps: 1000, observationKeys: ['view'], rolloutThread: true } });
    let error: Error | null = null;
    for (let i = 0; i < 4 && !error; i++) {
      try {
        ppo.iterate();
      } catch (err) {
        error = err as Error;
      }
    }
    assert.ok(error, 'iterate throws once the env in the thread fails');
    assert.match(error.message, /rollout thread failed: .*failing env: step 40 breaks on purpose/s);
    assert.throws(() => ppo.iterate(), /rollout thread failed/, 'and keeps saying so');
    const exited = once(ppo.rolloutWorker as NonNullable<typeof ppo.rolloutWorker>, 'exit');
    ppo.dispose();
    await exited;

    const missing = new Ppo({ makeEnv, rng: Rng.fromSeed(1), backend, workerEnv: { ...workerEnv, factory: 'noSuchFactory' }, config });
    assert.throws(() => missing.iterate(), /rollout thread failed: .*has no export "noSuchFactory"/s);
    missing.dispose();

    assert.throws(() => new Ppo({ makeEnv, rng: Rng.fromSeed(1), backend, config }), (e: Error) => e instanceof PpoConfigError && /rolloutThread needs workerEnv/.test(e.message));
    assert.throws(() => new Ppo({ makeEnv, rng: Rng.fromSeed(1), backend, config, workerEnv, workers: 1 }), /rolloutThread steps the envs in its own thread: set workers to 0/);
    assert.throws(() => new Ppo({ makeEnv, rng: Rng.fromSeed(1), backend, config: { ...config, learnerThreads: 2 }, workerEnv }), /rolloutThread = true: rolloutThread needs learnerThreads: 1/);
  });
});
