import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../../core/simulation.js';
import { CrafterEnv } from '../../worlds/crafter/crafter-env.js';
import type { CrafterState } from '../../worlds/crafter/crafter-env.js';
import { crafterViewAdapter } from '../../worlds/crafter/crafter-view.js';
import { RandomController } from '../../agents/random-controller.js';
import { serveSimulation } from '../../viewer/server/serve-simulation.js';
import { createNavigationEnv } from '../../worlds/navigation/index.js';
import type { NavigationState } from '../../worlds/navigation/navigation-env.js';
import { navigationViewAdapter } from '../../worlds/navigation/navigation-view.js';
import { stateHash, TestViewer } from './support.js';

function crafterSim(players: number, seed: number) {
  const env = new CrafterEnv({ players, ruleset: 'mac', oneHot: false });
  const sim = new Simulation({ env, seed, controllers: () => new RandomController() as never });
  return { env, sim, adapter: crafterViewAdapter(env) };
}

test('a snapshot plus frames rebuild the world state exactly (same hash as state()), for two viewers, one slow', async () => {
  const { env, sim, adapter } = crafterSim(6, 7);
  // cpuShare 1: on a loaded machine the frame budget would thin the frames this test counts (viewer-room.test.ts tests it).
  const served = await serveSimulation<CrafterState>({ sim, adapter, seed: 7, maxFps: 50, cpuShare: 1, log: () => {} });
  const fast = new TestViewer(served.server.viewUrl, { token: served.server.token });
  const slow = new TestViewer(served.server.viewUrl, {}, { ackDelayMs: 120 });
  try {
    await fast.until(() => fast.picture !== null && slow.picture !== null, 5000, 'snapshots');
    const summary = await sim.runRealtime({ stepsPerSecond: 400, steps: 300 });
    assert.equal(summary.steps, 300, 'the realtime run took its 300 steps');
    served.room.tick(true);
    const want = stateHash(env.state());
    for (const [name, v] of [['fast', fast], ['slow', slow]] as const) {
      await v.until(() => v.picture!.worldStep === env.state().step && v.picture!.clock.totalSteps === 300, 8000, `${name} viewer at the last step`);
      const rebuilt = adapter.state(v.picture!.worldView(), v.picture!.legend);
      assert.equal(stateHash(rebuilt), want, `${name} viewer's rebuilt state differs from env.state()`);
    }
    assert.ok(fast.frames > 5, `the fast viewer got frames (${fast.frames})`);
    assert.ok(slow.frames < fast.frames, `the slow viewer skipped frames (slow ${slow.frames}, fast ${fast.frames})`);
    assert.ok(slow.picture!.skipped > 0, 'the slow viewer was told it skipped frames');
    const agent = fast.picture!.agents[0]!;
    assert.ok(agent.lastActions.length > 0, 'agents carry their last actions');
    assert.equal(fast.hello?.control, true, 'the token gives control');
    assert.equal(slow.hello?.control, false, 'no token: read-only');
  } finally {
    fast.close();
    slow.close();
    await served.close();
    sim.close();
  }
});

test('a navigation world served before its first reset: the snapshot carries the real map size and rebuilds the state', async () => {
  const env = createNavigationEnv({ layout: 'four-rooms', agents: 2 });
  const sim = new Simulation({ env, seed: 3, controllers: () => new RandomController() as never });
  const adapter = navigationViewAdapter(env);
  const served = await serveSimulation<NavigationState>({ sim, adapter, seed: 3, maxFps: 50, log: () => {} });
  const viewer = new TestViewer(served.server.viewUrl);
  try {
    await sim.runRealtime({ stepsPerSecond: 200, steps: 20 });
    served.room.tick(true);
    const want = stateHash(env.state());
    await viewer.until(() => viewer.picture !== null && viewer.picture.clock.totalSteps === 20 && viewer.picture.worldStep === env.state().step, 5000, 'the viewer at step 20');
    const legend = viewer.picture!.legend;
    assert.equal(legend.width, env.state().width, 'the legend has the map width after reset');
    assert.ok(legend.width > 0 && legend.height > 0, `the legend's map is not empty (${legend.width} x ${legend.height})`);
    assert.equal(viewer.picture!.cells.length, legend.width * legend.height, 'as many cells as the legend says');
    assert.equal(stateHash(adapter.state(viewer.picture!.worldView(), legend)), want, 'the rebuilt navigation state hashes as state()');
  } finally {
    viewer.close();
    await served.close();
    sim.close();
  }
});
