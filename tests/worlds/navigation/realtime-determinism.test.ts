import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestScheduler } from 'rxjs/testing';
import { Simulation, TrajectoryHasher } from '../../../core/index.js';
import type { RunSummary, SimulationCommand } from '../../../core/index.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';
import type { NavigationEnv } from '../../../worlds/navigation/index.js';
import { createController } from '../../../agents/index.js';

// The promise on a real world: pacing (pauses, single steps, speed changes) never changes the trajectory.
type NavigationSimulation = Simulation<
  ReturnType<NavigationEnv['reset']>['observations'][string],
  number,
  ReturnType<NavigationEnv['reset']>['infos'][string],
  ReturnType<NavigationEnv['state']>
>;

function simulation(seed: number, agent: string, scheduler?: TestScheduler): NavigationSimulation {
  return new Simulation({
    env: createNavigationEnv({ layout: 'key-door', agents: 3 }),
    seed,
    controllers: () => createController(agent),
    ...(scheduler ? { scheduler } : {}),
  });
}

function lockstepDigest(seed: number, agent: string, steps: number): string {
  const sim = simulation(seed, agent);
  const hasher = new TrajectoryHasher();
  hasher.follow(sim);
  sim.runSync({ steps });
  return hasher.digest();
}

const cmd = {
  p: { type: 'pause' },
  r: { type: 'resume' },
  s: { type: 'step' },
  f: { type: 'speed', stepsPerSecond: 50 },
  l: { type: 'speed', stepsPerSecond: 3 },
} satisfies Record<string, SimulationCommand>;

for (const agent of ['explorer', 'random']) {
  test(`key-door with 3 ${agent} agents: realtime with pauses and speed changes hashes as lockstep`, () => {
    const steps = 150;
    const expected = lockstepDigest(7, agent, steps);
    const ts = new TestScheduler((a, b) => assert.deepEqual(a, b));
    const actual = new TrajectoryHasher();
    let summary: RunSummary | undefined;
    ts.run(({ cold, flush }) => {
      const sim = simulation(7, agent, ts);
      actual.follow(sim);
      sim.realtime$({ stepsPerSecond: 10, steps }).subscribe((s) => (summary = s));
      cold('250ms p 2s s 10ms s 10ms f 1s r 900ms l 3s p 5s r 100ms f', cmd).subscribe((c) => sim.command(c));
      flush();
    });
    assert.equal(summary?.status, 'completed', 'the realtime run should finish its step budget');
    assert.equal(summary?.steps, steps);
    assert.equal(actual.digest(), expected, 'pacing changed the trajectory of a navigation run');
    assert.notEqual(lockstepDigest(8, agent, steps), expected, 'another seed should give another trajectory');
  });
}
