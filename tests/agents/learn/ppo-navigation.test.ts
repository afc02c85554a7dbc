import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../agents/learn/backend.js';
import type { BackendInfo } from '../../../agents/learn/backend.js';
import { Ppo } from '../../../agents/learn/ppo.js';
import { RandomController } from '../../../agents/random-controller.js';
import { Rng } from '../../../core/rng.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';
import { ROOM, successRate } from './support/nav-room.js';

describe('PPO on a small navigation task', () => {
  let backend: BackendInfo;
  before(async () => {
    backend = await initBackend('wasm', { quiet: true });
  });

  it('learns to reach the goal in >= 90% of new episodes (greedy policy, run as a kernel Controller)', () => {
    const ppo = new Ppo({
      makeEnv: () => createNavigationEnv(ROOM),
      rng: Rng.fromSeed(1),
      backend,
      config: {
        totalSteps: 16_384, numEnvs: 8, numSteps: 64, hidden: [32], learningRate: 2.5e-3, lrSchedule: 'constant',
        gamma: 0.95, observationKeys: ['view'],
      },
    });
    assert.equal(ppo.input, 'embedding-bag', 'a categorical view should get the embedding-bag first layer');
    const history: number[] = [];
    ppo.train((s) => {
      assert.ok(Number.isFinite(s.policyLoss) && Number.isFinite(s.valueLoss), `update ${s.update}: non-finite loss`);
      if (s.episodes > 0) history.push(s.successRate);
    });
    const learned = successRate((a) => ppo.controller(a, { greedy: true }), 100, 77);
    const random = successRate(() => new RandomController(), 100, 77);
    assert.ok(learned >= 0.9, `trained policy solved ${learned * 100}% of episodes (training success by update: ${history.map((h) => h.toFixed(2)).join(' ')})`);
    assert.ok(random < 0.7, `a random walk already solves ${random * 100}%: the task is too easy to show learning`);
    assert.ok(learned > random + 0.2, `trained ${learned} is not clearly above random ${random}`);
    ppo.dispose();
  });
});
