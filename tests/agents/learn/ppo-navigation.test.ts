import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../agents/learn/backend.js';
import type { BackendInfo } from '../../../agents/learn/backend.js';
import { Ppo } from '../../../agents/learn/ppo.js';
import { RandomController } from '../../../agents/random-controller.js';
import type { Controller } from '../../../core/controller.js';
import { ofType } from '../../../core/operators/of-type.js';
import { Rng } from '../../../core/rng.js';
import { Simulation } from '../../../core/simulation.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';
import type { NavigationConfigInput } from '../../../worlds/navigation/index.js';

// A 5x5 open room (7x7 with walls) whose goal and start move every episode; the 9x9 view shows the whole room.
// 16 steps are twice the longest shortest path, so a random walk often runs out of time.
const ROOM: NavigationConfigInput = { layout: 'open-room', width: 7, height: 7, obstacleDensity: 0, viewSize: 9, maxSteps: 16 };

/** Share of `episodes` episodes that `controller` solves, run through the kernel's Simulation on fresh maps. */
function successRate(makeController: (agent: string) => Controller, episodes: number, seed: number): number {
  const sim = new Simulation({ env: createNavigationEnv(ROOM), seed, controllers: (agent) => makeController(agent) as never });
  let solved = 0;
  sim.events$.pipe(ofType('episodeEnd')).subscribe((e) => (solved += e.data.metrics.success ?? 0));
  const summary = sim.runSync({ episodes });
  assert.equal(summary.status, 'completed');
  return solved / episodes;
}

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
