import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../agents/learn/backend.js';
import type { BackendInfo } from '../../../agents/learn/backend.js';
import { Ppo } from '../../../agents/learn/ppo.js';
import { Rng } from '../../../core/rng.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';
import { ROOM, successRate } from './support/nav-room.js';

// The task of ppo-navigation.test.ts (a random walk solves ~28%), trained with the pipelined rollout: one update of
// policy lag.

describe('PPO with the pipelined rollout on a small navigation task', () => {
  let backend: BackendInfo;
  before(async () => {
    backend = await initBackend('wasm', { quiet: true });
  });

  it('still learns: >= 90% of new episodes solved by the greedy policy (rolloutThread, proximal ratio)', () => {
    const ppo = new Ppo({
      makeEnv: () => createNavigationEnv(ROOM),
      rng: Rng.fromSeed(1),
      backend,
      workerEnv: { module: import.meta.resolve('../../../worlds/navigation/index.js'), factory: 'createNavigationEnv', arg: ROOM },
      config: {
        totalSteps: 16_384, numEnvs: 8, numSteps: 64, hidden: [32], learningRate: 2.5e-3, lrSchedule: 'constant',
        gamma: 0.95, observationKeys: ['view'], rolloutThread: true,
      },
    });
    const history: number[] = [];
    ppo.train((s) => {
      assert.ok(Number.isFinite(s.policyLoss) && Number.isFinite(s.valueLoss), `update ${s.update}: non-finite loss`);
      if (s.episodes > 0) history.push(s.successRate);
    });
    const learned = successRate((a) => ppo.controller(a, { greedy: true }), 100, 77);
    assert.ok(learned >= 0.9, `trained policy solved ${learned * 100}% of episodes (training success by update: ${history.map((h) => h.toFixed(2)).join(' ')})`);
    ppo.dispose();
  });
});
