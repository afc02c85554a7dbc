import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ObservationEncoder } from '../../../agents/learn/observation-encoder.js';
import { VectorEnv } from '../../../agents/learn/rollout/vector-env.js';
import { Rng } from '../../../core/rng.js';
import { LineWalkEnv } from '../../core/line-walk-env.js';

describe('VectorEnv', () => {
  it('tracks agents that leave early, truncation with final observations, episode stats and auto-reset', () => {
    // Two worlds, two walkers each, on a line of 4 cells (start 0..2, the right end terminates), cut at 5 steps.
    const envs = [0, 1].map(() => new LineWalkEnv({ agents: 2, length: 4, maxSteps: 5 }));
    const enc = new ObservationEncoder(envs[0]!.observationSpace());
    const vec = new VectorEnv(envs, enc, 'dense', Rng.fromSeed(5));
    assert.equal(vec.slots, 4);
    assert.equal(vec.slotOf('walker_1', 0), 2, 'slots are agent-major: walker_1 of env 0 is slot 1 * numEnvs + 0');
    vec.reset();
    assert.deepEqual([...vec.live], [1, 1, 1, 1]);
    const start = [0, 1, 2, 3].map((s) => (vec.obs.dense as Float32Array).subarray(s * 4, s * 4 + 4).indexOf(1));
    assert.ok(start.every((p) => p >= 0 && p <= 2), `start cells one-hot in 0..2, got ${start}`);
    // walker_0 (slots 0, 1) walks right and terminates; walker_1 (slots 2, 3) stays until the step limit.
    const actions = Int32Array.from([2, 2, 0, 0]);
    const arrive = [3 - start[0]!, 3 - start[1]!];
    const returns = [0, 0, 0, 0];
    for (let t = 1; t <= 5; t++) {
      const res = vec.step(actions);
      for (const e of [0, 1]) {
        const s = e;
        if (t === arrive[e]) {
          assert.equal(res.terminated[s], 1, `walker_0 of env ${e} should terminate at step ${t}`);
          assert.equal(res.rewards[s], 1);
        } else assert.equal(res.rewards[s], 0, `walker_0 of env ${e} gets no reward at step ${t}`);
        returns[s] = returns[s]! + res.rewards[s]!;
      }
      if (t < 5) {
        assert.equal(res.episodes.length, 0, 'no episode ends before the step limit');
        for (const e of [0, 1]) assert.equal(vec.live[e], t >= arrive[e]! ? 0 : 1, `walker_0 of env ${e} live flag at step ${t}`);
        assert.deepEqual([vec.live[2], vec.live[3]], [1, 1], 'walker_1 stays live');
      } else {
        assert.deepEqual([...res.truncated], [0, 0, 1, 1], 'walker_1 is truncated at the limit');
        assert.deepEqual([...res.truncatedSlots].sort(), [2, 3]);
        for (const s of [2, 3]) {
          const final = (vec.finalObs.dense as Float32Array).subarray(s * 4, s * 4 + 4);
          assert.equal(final.indexOf(1), start[s], 'the final observation of a truncated walker is where it stood');
        }
        assert.equal(res.episodes.length, 2, 'both worlds end their episode');
        for (const ep of res.episodes) {
          assert.equal(ep.length, 5);
          assert.deepEqual(ep.returns, [1, 0], `returns of env ${ep.env}`);
        }
        assert.deepEqual([...vec.live], [1, 1, 1, 1], 'worlds reset at once and every slot is live again');
      }
    }
    assert.deepEqual(returns.slice(0, 2), [1, 1]);
  });

  it('rejects an empty list and worlds with different agent counts', () => {
    const enc = new ObservationEncoder(new LineWalkEnv().observationSpace());
    assert.throws(() => new VectorEnv([new LineWalkEnv({ agents: 2 }), new LineWalkEnv({ agents: 3 })], enc, 'dense', Rng.fromSeed(1)), /env 1 has 3 agents, env 0 has 2/);
    assert.throws(() => new VectorEnv([], enc, 'dense', Rng.fromSeed(1)), /at least one environment/);
  });
});
