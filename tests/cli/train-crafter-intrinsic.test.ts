// `intrinsic:` on Crafter in a train config: the CLI hands the modules Crafter's place reader, so count novelty and
// the topological reward train there as on navigation, logged apart from the world's reward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTrainEnv } from '../../cli/train-env.js';
import { resolveTrainConfig } from '../../cli/train-config.js';

test('a Crafter train env with count-novelty and topological intrinsic rewards pays and logs both', () => {
  const config = resolveTrainConfig({ world: 'crafter', intrinsic: [{ name: 'count-novelty', weight: 0.1 }, { name: 'topological', weight: 0.5 }] }, {}, 'test', (n) => n);
  const env = makeTrainEnv(config);
  env.reset({ seed: 2 });
  let bonusSteps = 0;
  for (let t = 0; t < 40 && env.agents.length > 0; t++) {
    const r = env.step({ player_0: 1 + (t % 4) }).rewards.player_0 as number;
    if (r > 0) bonusSteps++;
  }
  const m = env.episodeMetrics!() as Record<string, number>;
  assert.ok(m['intrinsic/count-novelty']! > 0, `count novelty logged (${m['intrinsic/count-novelty']})`);
  assert.equal(typeof m['intrinsic/topological'], 'number', 'the topological reward logged');
  assert.ok(bonusSteps > 0, 'bonuses reach the reward');
  env.close?.();
});
