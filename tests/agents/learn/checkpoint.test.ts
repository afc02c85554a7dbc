import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../../agents/learn/backend.js';
import { CheckpointError, loadCheckpoint, saveCheckpoint } from '../../../agents/learn/checkpoint.js';
import { Ppo } from '../../../agents/learn/ppo.js';
import type { PpoUpdateStats } from '../../../agents/learn/ppo.js';
import { Rng } from '../../../core/rng.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';

// Short episodes (maxSteps 12) so that updates cross episode ends; two agents with one policy each, so that
// per-agent Adam states and agents leaving early are in the checkpoint too.
const makeEnv = () => createNavigationEnv({ layout: 'open-room', width: 5, height: 5, agents: 2, maxSteps: 12 });
const config = { numEnvs: 3, numSteps: 16, hidden: [16], totalSteps: 3 * 16 * 6, policy: 'per-agent', observationKeys: ['view'] } as const;

describe('PPO checkpoints', () => {
  it('round trip: weights, Adam state, RNG, counters and envs come back exactly', async () => {
    const backend = await initBackend('wasm', { quiet: true });
    const dir = mkdtempSync(join(tmpdir(), 'canopy-ckpt-'));
    try {
      const a = new Ppo({ makeEnv, rng: Rng.fromSeed(3), backend, config });
      a.iterate();
      a.iterate();
      const state = a.getState();
      saveCheckpoint(join(dir, 'ck'), state, { note: 'meta survives' });
      const back = loadCheckpoint(join(dir, 'ck'));
      assert.deepEqual(back.meta, { note: 'meta survives' });
      assert.deepEqual(back.state, state, 'the loaded state equals the saved one');
      assert.equal(state.policies.length, 2, 'one policy per agent');
      assert.ok((state.policies[0]?.adam.m.length ?? 0) > 0, 'Adam moments are saved after updates');
      const b = new Ppo({ makeEnv, rng: Rng.fromSeed(99), backend, config });
      b.iterate(); // Adam's moments exist already: setState must replace them, not leak them
      const tensors = tf.memory().numTensors;
      b.setState(back.state);
      b.getState();
      assert.equal(tf.memory().numTensors, tensors, 'saving and restoring leave the tensor count unchanged');
      assert.deepEqual(b.getState(), state, 'a trainer built from another seed takes the whole state');
      a.dispose();
      b.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an interrupted and resumed run gives the same stats and weights as an uninterrupted one', async () => {
    const backend = await initBackend('wasm', { quiet: true });
    const dir = mkdtempSync(join(tmpdir(), 'canopy-ckpt-'));
    try {
      const straight = new Ppo({ makeEnv, rng: Rng.fromSeed(5), backend, config });
      const want: PpoUpdateStats[] = [];
      straight.train((s) => want.push(s));
      const first = new Ppo({ makeEnv, rng: Rng.fromSeed(5), backend, config });
      const got: PpoUpdateStats[] = [first.iterate(), first.iterate(), first.iterate()];
      saveCheckpoint(join(dir, 'ck'), first.getState());
      first.dispose();
      const resumed = new Ppo({ makeEnv, rng: Rng.fromSeed(5), backend, config });
      resumed.setState(loadCheckpoint(join(dir, 'ck')).state);
      resumed.train((s) => got.push(s));
      assert.equal(got.length, want.length);
      assert.deepEqual(JSON.stringify(got), JSON.stringify(want), 'stats of every update equal');
      assert.deepEqual(resumed.getState(), straight.getState(), 'final weights, Adam, RNG and envs equal');
      straight.dispose();
      resumed.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a folder without a checkpoint, or a damaged one, fails with a message naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-ckpt-'));
    try {
      assert.throws(() => loadCheckpoint(dir), (e: Error) => e instanceof CheckpointError && /holds no checkpoint/.test(e.message));
      writeFileSync(join(dir, 'checkpoint.json'), '{"format":"other","version":1}');
      writeFileSync(join(dir, 'tensors.bin'), '');
      assert.throws(() => loadCheckpoint(dir), /expected canopy-ppo-checkpoint version 1/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
