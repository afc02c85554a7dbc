import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TrainConfigFileSchema, resolveTrainConfig } from '../../cli/train-config.js';

const resolve = (raw: unknown) => resolveTrainConfig(TrainConfigFileSchema.parse(raw), {}, 'run.yaml', (n) => `/tmp/${n}`);
const hierarchy = { lowLevel: { steps: 192 }, manager: { maxOptionSteps: 12 } };

describe('canopy train config: ppo.rolloutThread', () => {
  it('is accepted and kept; refused with env workers, learnerThreads 2 and a hierarchy, each with one line', () => {
    assert.equal(resolve({ world: 'navigation', ppo: { rolloutThread: true } }).ppo.rolloutThread, true);
    assert.throws(() => resolve({ world: 'navigation', workers: 1, ppo: { rolloutThread: true } }), /run\.yaml: ppo\.rolloutThread: the rollout thread steps the envs itself; set workers: 0 \(got 1\)/);
    assert.throws(() => resolve({ world: 'navigation', ppo: { rolloutThread: true, learnerThreads: 2 } }), /rolloutThread needs learnerThreads: 1/);
    assert.throws(() => resolve({ world: 'navigation', ppo: { rolloutThread: true }, hierarchy }), /ppo\.rolloutThread: not supported with a hierarchy yet/);
    assert.throws(() => resolve({ world: 'navigation', hierarchy: { ...hierarchy, lowLevel: { steps: 192, ppo: { rolloutThread: true } } } }), /hierarchy\.lowLevel\.ppo\.rolloutThread: not supported in a hierarchy yet/);
  });
});
