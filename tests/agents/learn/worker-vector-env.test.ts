import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../agents/learn/backend.js';
import { Ppo } from '../../../agents/learn/ppo.js';
import type { PpoUpdateStats } from '../../../agents/learn/ppo.js';
import { Rng } from '../../../core/rng.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';

// Two agents, one policy each, short episodes: worker replies carry episodes, truncations and agents leaving early.
const world = { layout: 'open-room', width: 7, height: 7, agents: 2, maxSteps: 10 } as const;
const config = { numEnvs: 3, numSteps: 16, hidden: [16], totalSteps: 3 * 16 * 3, policy: 'per-agent', observationKeys: ['view'] } as const;
const workerEnv = { module: import.meta.resolve('../../../worlds/navigation/index.js'), factory: 'createNavigationEnv', arg: world };

describe('env worker threads', () => {
  it('the stats, weights and env states are the same with 0, 1 and 2 workers, also across a checkpoint', async () => {
    const backend = await initBackend('wasm', { quiet: true });
    const runs: { stats: PpoUpdateStats[]; state: string }[] = [];
    for (const workers of [0, 1, 2]) {
      const ppo = new Ppo({ makeEnv: () => createNavigationEnv(world), rng: Rng.fromSeed(7), backend, config, workers, workerEnv });
      const stats = [ppo.iterate(), ppo.iterate()];
      const mid = ppo.getState();
      ppo.setState(mid); // a restore through the workers replays their episodes
      stats.push(ppo.iterate());
      runs.push({ stats, state: JSON.stringify(ppo.getState(), (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v)) });
      ppo.dispose();
    }
    assert.ok((runs[0]?.stats ?? []).some((s) => s.episodes > 0), 'episodes end within the test');
    for (const w of [1, 2]) {
      assert.equal(JSON.stringify(runs[w]?.stats), JSON.stringify(runs[0]?.stats), `stats with ${w} worker(s) equal the single-thread run`);
      assert.equal(runs[w]?.state, runs[0]?.state, `final state with ${w} worker(s) equals the single-thread run`);
    }
  });
});
