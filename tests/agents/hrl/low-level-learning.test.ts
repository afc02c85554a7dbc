// A small learning check of the low level: PPO on the goal-conditioned env learns to reach waypoints from the
// offset alone, well above what the untrained policy achieves (correctness, not speed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../agents/learn/backend.js';
import { Ppo } from '../../../agents/learn/ppo.js';
import { Rng } from '../../../core/rng.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';
import { GoalConditionedEnv } from '../../../agents/hrl/goal-conditioned-env.js';
import { NavigationGoalTask } from '../../../agents/hrl/navigation-goal-task.js';

test('PPO trains pi(a | view, goal) to reach waypoints in an open room', async () => {
  const backend = await initBackend('wasm', { quiet: true });
  const rng = Rng.fromSeed(2);
  const ppo = new Ppo({
    makeEnv: (i) => new GoalConditionedEnv(createNavigationEnv({ layout: 'open-room', width: 7, height: 7, obstacleDensity: 0, maxSteps: 64, seed: i }), { task: new NavigationGoalTask({ maxDistance: 3 }), rng: rng.fork(`goals-${i}`) }),
    rng,
    backend,
    config: { totalSteps: 8192, numEnvs: 8, numSteps: 64, hidden: [32], observationKeys: ['goal'], learningRate: 3e-3, lrSchedule: 'constant', gamma: 0.9 },
  });
  const rates: number[] = [];
  ppo.train((s) => rates.push(s.successRate));
  ppo.dispose();
  const first = rates[0] as number;
  const last = rates.slice(-3).reduce((a, b) => a + b, 0) / 3;
  assert.ok(last >= 0.9, `waypoint hit rate ${last.toFixed(2)} after training (first update ${first.toFixed(2)})`);
  assert.ok(last > first + 0.2, `no learning: ${first.toFixed(2)} -> ${last.toFixed(2)}`);
});
