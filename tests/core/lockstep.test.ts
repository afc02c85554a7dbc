import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Observable, of } from 'rxjs';
import { ofType, Simulation, TrajectoryHasher } from '../../core/index.js';
import type { Controller, WorldEvent } from '../../core/index.js';
import { CorridorWorld, NOOP, RIGHT } from './support/corridor-world.js';
import { RandomWalker, viaPromise } from './support/controllers.js';

function walkers(seed: number, env = new CorridorWorld()) {
  return new Simulation({ env, seed, controllers: () => new RandomWalker() });
}

function hashRun(sim: Simulation<Int32Array, number>, run: (sim: Simulation<Int32Array, number>) => void): string {
  const hasher = new TrajectoryHasher();
  hasher.follow(sim);
  run(sim);
  assert.ok(hasher.records > 0, 'the hasher saw no resets or steps');
  return hasher.digest();
}

test('same seed gives the same trajectory hash, another seed another hash', () => {
  const a = hashRun(walkers(7), (s) => s.runSync({ episodes: 5 }));
  const b = hashRun(walkers(7), (s) => s.runSync({ episodes: 5 }));
  const c = hashRun(walkers(8), (s) => s.runSync({ episodes: 5 }));
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.equal(a, b, 'two runs with seed 7 diverged');
  assert.notEqual(a, c, 'seeds 7 and 8 gave the same trajectory');
});

test('runSync does no async work: it returns before any queued microtask runs', () => {
  const sim = walkers(1);
  let microtaskRan = false;
  queueMicrotask(() => {
    microtaskRan = true;
  });
  const summary = sim.runSync({ episodes: 3 });
  assert.equal(microtaskRan, false, 'a microtask ran during runSync');
  assert.equal(summary.status, 'completed');
  assert.equal(summary.episodes, 3);
  assert.equal(summary.totalSteps, sim.totalSteps);
  assert.ok(summary.steps >= 3, `3 episodes took only ${summary.steps} steps`);
});

test('summary counts match the events: steps and episodes', () => {
  const sim = walkers(3);
  const types: string[] = [];
  sim.events$.subscribe((e) => types.push(e.type));
  const summary = sim.runSync({ episodes: 4 });
  assert.equal(types.filter((t) => t === 'step').length, summary.steps);
  assert.equal(types.filter((t) => t === 'episodeEnd').length, 4);
  assert.equal(types.filter((t) => t === 'episodeStart').length, 4);
});

test('a steps limit cuts an episode that the next run continues: same trajectory as one long run', () => {
  const split = hashRun(walkers(11), (s) => {
    s.runSync({ steps: 7 });
    assert.equal(s.inEpisode, true, 'after 7 steps the first episode should still be running');
    s.runSync({ steps: 30 });
  });
  const whole = hashRun(walkers(11), (s) => s.runSync({ steps: 37 }));
  assert.equal(split, whole);
});

test('events of one episode come in order: episodeStart, agentAdded, steps, agentRemoved, episodeEnd', () => {
  const env = new CorridorWorld({ agents: 2, length: 4, wind: 0 });
  const sim = new Simulation({ env, seed: 5, controllers: () => ({ act: () => RIGHT }) });
  const events: WorldEvent[] = [];
  sim.events$.subscribe((e) => events.push(e));
  sim.runSync({ episodes: 1 });
  const types = events.map((e) => e.type);
  assert.deepEqual(types.slice(0, 3), ['episodeStart', 'agentAdded', 'agentAdded']);
  assert.equal(types.at(-1), 'episodeEnd');
  assert.equal(types[3], 'step', 'the first thing after the agents are added is a step');
  const removed = events.filter((e) => e.type === 'agentRemoved');
  assert.equal(removed.length, 2, 'both agents should leave');
  const lastStep = types.lastIndexOf('step');
  const firstRemoved = types.indexOf('agentRemoved');
  // An agent leaves after the step that ended it (step, then its corridorEndReached, then agentRemoved).
  const stepOfFirstRemoval = events[firstRemoved]?.step as number;
  const stepEvent = events.findIndex((e) => e.type === 'step' && e.step === stepOfFirstRemoval);
  assert.ok(stepEvent >= 0 && stepEvent < firstRemoved, 'agentRemoved came before its step');
  assert.ok(lastStep < types.lastIndexOf('agentRemoved'), 'the last agentRemoved should follow the last step');
  const end = events.at(-1) as WorldEvent<'episodeEnd'>;
  assert.equal(end.data.length, sim.step);
  assert.deepEqual(Object.keys(end.data.returns).sort(), ['agent_0', 'agent_1']);
  assert.equal(end.data.metrics.success, 1, 'both agents always walk right with no wind: success');
  assert.ok(events.some((e) => e.type === 'corridorEndReached'), 'the world event corridorEndReached should be forwarded');
  for (const e of events) assert.equal(e.episode, 0);
});

test('ofType narrows to the listed types', () => {
  const sim = walkers(2);
  const seen: string[] = [];
  const seeds: number[] = [];
  sim.events$.pipe(ofType('episodeStart', 'episodeEnd')).subscribe((e) => seen.push(e.type));
  sim.events$.pipe(ofType('episodeStart')).subscribe((e) => seeds.push(e.data.seed));
  // A world's own event type (declared by module augmentation) narrows too.
  const ends: number[] = [];
  sim.events$.pipe(ofType('corridorEndReached')).subscribe((e) => ends.push(e.data.position));
  sim.runSync({ episodes: 2 });
  assert.ok(ends.every((p) => p === 7), 'corridorEndReached should carry the last cell');
  assert.deepEqual(seen, ['episodeStart', 'episodeEnd', 'episodeStart', 'episodeEnd']);
  assert.equal(seeds.length, 2);
  assert.notEqual(seeds[0], seeds[1], 'each episode should draw a fresh seed from the run generator');
});

test('transitions$ carries every step with its actions and result', () => {
  const sim = walkers(4);
  const steps: number[] = [];
  let rewardSum = 0;
  sim.transitions$.subscribe((t) => {
    steps.push(t.step);
    assert.equal(typeof t.actions['agent_0'] === 'number' || !('agent_0' in t.actions), true);
    for (const r of Object.values(t.result.rewards)) rewardSum += r;
  });
  let returnsSum = 0;
  sim.events$.pipe(ofType('episodeEnd')).subscribe((e) => {
    for (const r of Object.values(e.data.returns)) returnsSum += r;
  });
  sim.runSync({ episodes: 1 });
  assert.deepEqual(steps, Array.from({ length: steps.length }, (_, i) => i + 1));
  assert.ok(Math.abs(rewardSum - returnsSum) < 1e-9, `rewards ${rewardSum} != returns ${returnsSum}`);
});

test('a throwing controller gets agentFailed and its default action; the run goes on', () => {
  const env = new CorridorWorld({ agents: 2, wind: 0 });
  const sim = new Simulation({
    env,
    seed: 9,
    controllers: (agent): Controller<Int32Array, number> =>
      agent === 'agent_1'
        ? {
            act: (ctx) => {
              if (ctx.step % 2 === 0) throw new Error('boom');
              return RIGHT;
            },
          }
        : { act: () => RIGHT },
  });
  const failed: WorldEvent<'agentFailed'>[] = [];
  const actionsAtFailure: unknown[] = [];
  sim.events$.pipe(ofType('agentFailed')).subscribe((e) => failed.push(e));
  sim.transitions$.subscribe((t) => {
    if (t.step % 2 === 1 && 'agent_1' in t.actions) actionsAtFailure.push(t.actions['agent_1']);
  });
  const summary = sim.runSync({ episodes: 2 });
  assert.equal(summary.status, 'completed');
  assert.equal(summary.episodes, 2);
  assert.ok(failed.length >= 2);
  assert.equal(failed[0]?.data.agent, 'agent_1');
  assert.equal(failed[0]?.data.error, 'boom');
  assert.ok(actionsAtFailure.length > 0);
  assert.ok(actionsAtFailure.every((a) => a === NOOP), 'a failed agent should take the default action (noop)');
});

test('runSync stops with an error when a controller answers asynchronously', () => {
  const sim = new Simulation({
    env: new CorridorWorld(),
    seed: 1,
    controllers: (agent) => ({ act: () => (agent === 'agent_2' ? Promise.resolve(RIGHT) : RIGHT) }),
  });
  const errors: WorldEvent<'error'>[] = [];
  sim.events$.pipe(ofType('error')).subscribe((e) => errors.push(e));
  const summary = sim.runSync({ episodes: 1 });
  assert.equal(summary.status, 'error');
  assert.equal(summary.error?.agent, 'agent_2');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.data.agent, 'agent_2');
  assert.equal(summary.steps, 0);
});

test('run() waits for Promise controllers: same trajectory as the synchronous run', async () => {
  const sync = hashRun(walkers(21), (s) => s.runSync({ episodes: 3 }));
  const asyncSim = new Simulation({ env: new CorridorWorld(), seed: 21, controllers: () => viaPromise(new RandomWalker()) });
  const hasher = new TrajectoryHasher();
  hasher.follow(asyncSim);
  const summary = await asyncSim.run({ episodes: 3 });
  assert.equal(summary.status, 'completed');
  assert.equal(hasher.digest(), sync);
});

test('run() with Observable and rejecting controllers: rejection -> agentFailed + default, run completes', async () => {
  const sim = new Simulation({
    env: new CorridorWorld({ agents: 2, wind: 0 }),
    seed: 3,
    controllers: (agent): Controller<Int32Array, number> => ({
      act: () => (agent === 'agent_0' ? of(RIGHT) : Promise.reject(new Error('no answer'))),
    }),
  });
  const failed: string[] = [];
  sim.events$.pipe(ofType('agentFailed')).subscribe((e) => failed.push(`${e.data.agent}: ${e.data.error}`));
  const summary = await sim.run({ episodes: 1 });
  assert.equal(summary.status, 'completed');
  assert.equal(failed.length, summary.steps, 'agent_1 should fail on every step');
  assert.ok(failed.every((f) => f === 'agent_1: no answer'));
});

test('a hung agent in lockstep ends the run with an error event within the timeout', async () => {
  const sim = new Simulation({
    env: new CorridorWorld(),
    seed: 1,
    lockstepTimeoutMs: 50,
    controllers: (agent) => ({ act: () => (agent === 'agent_1' ? new Promise<number>(() => {}) : RIGHT) }),
  });
  const errors: WorldEvent<'error'>[] = [];
  sim.events$.pipe(ofType('error')).subscribe((e) => errors.push(e));
  const started = performance.now();
  const summary = await sim.run({ episodes: 1 });
  const took = performance.now() - started;
  assert.equal(summary.status, 'error');
  assert.equal(summary.error?.agent, 'agent_1');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.data.agent, 'agent_1');
  assert.match(errors[0]?.data.message ?? '', /50 ms/);
  assert.ok(took < 2000, `the run took ${took} ms to give up`);
});

test('an Observable that never answers is unsubscribed when the lockstep run gives up', async () => {
  let subscribed = 0;
  let active = 0;
  const hung = new Observable<number>(() => {
    subscribed++;
    active++;
    return () => {
      active--;
    };
  });
  const sim = new Simulation({
    env: new CorridorWorld({ agents: 1 }),
    seed: 1,
    lockstepTimeoutMs: 20,
    controllers: () => ({
      act: () => hung,
    }),
  });
  const summary = await sim.run({ steps: 1 });
  assert.equal(summary.status, 'error');
  assert.equal(subscribed, 1, 'the hung answer should have been subscribed once');
  assert.equal(active, 0, 'the hung answer is still subscribed after the run gave up');
});

test('reset() interrupts the episode: agents truncated, episodeEnd interrupted, a new episode starts', () => {
  const sim = walkers(6);
  const events: WorldEvent[] = [];
  sim.runSync({ steps: 2 });
  const live = sim.agents.length;
  assert.ok(live > 0, 'the test needs a live agent after 2 steps');
  sim.events$.subscribe((e) => events.push(e));
  sim.reset();
  const types = events.map((e) => e.type);
  const removed = Array<string>(live).fill('agentRemoved');
  assert.deepEqual(types, [...removed, 'episodeEnd', 'episodeStart', 'agentAdded', 'agentAdded', 'agentAdded']);
  assert.ok(events.slice(0, live).every((e) => e.type === 'agentRemoved' && e.data.reason === 'truncated'));
  const end = events[live] as WorldEvent<'episodeEnd'>;
  assert.equal(end.data.interrupted, true);
  assert.equal(end.data.length, 2);
  assert.equal(sim.episode, 1);
  assert.equal(sim.step, 0);
});

test('the run is exclusive: runSync inside a run throws', () => {
  const sim = walkers(1);
  let inner: unknown;
  sim.events$.pipe(ofType('step')).subscribe(() => {
    if (inner === undefined) {
      try {
        sim.runSync({ steps: 1 });
        inner = 'no error';
      } catch (error) {
        inner = error;
      }
    }
  });
  sim.runSync({ steps: 2 });
  assert.ok(inner instanceof Error && /already running/.test(inner.message));
});

test('options are validated with a message naming the field', () => {
  assert.throws(() => new Simulation({ env: new CorridorWorld(), seed: 1.5, controllers: () => ({ act: () => 0 }) }), /options\.seed/);
  assert.throws(
    () => new Simulation({ env: new CorridorWorld(), seed: 1, lockstepTimeoutMs: -1, controllers: () => ({ act: () => 0 }) }),
    /options\.lockstepTimeoutMs/,
  );
});

test('runSync accepts Observables that emit on subscribe (e.g. of(action)) as synchronous answers', () => {
  const hashOf = (sim: Simulation<Int32Array, number>) => hashRun(sim, (s) => assert.equal(s.runSync({ episodes: 2 }).status, 'completed'));
  const plain = hashOf(walkers(13));
  const observed = hashOf(
    new Simulation({
      env: new CorridorWorld(),
      seed: 13,
      controllers: () => {
        const inner = new RandomWalker();
        return { reset: (ctx) => inner.reset(ctx), act: () => of(inner.act()) };
      },
    }),
  );
  assert.equal(observed, plain);
});

test('run() yields to the event loop while stepping synchronously, so a signal can stop it', async () => {
  const sim = new Simulation({ env: new CorridorWorld({ maxSteps: 1_000_000, length: 1_000_000 }), seed: 1, controllers: () => ({ act: () => NOOP }) });
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 30);
  const summary = await sim.run({ steps: 50_000_000, signal: abort.signal, yieldEveryMs: 5 });
  assert.equal(summary.status, 'stopped');
  assert.ok(summary.steps > 0 && summary.steps < 50_000_000, `stopped after ${summary.steps} steps`);
});

test('reset() during a lockstep run throws instead of corrupting the step', () => {
  const sim = walkers(1);
  let caught: unknown;
  sim.events$.pipe(ofType('step')).subscribe(() => {
    try {
      sim.reset();
    } catch (error) {
      caught ??= error;
    }
  });
  assert.equal(sim.runSync({ steps: 3 }).status, 'completed');
  assert.ok(caught instanceof Error && /cannot reset during runSync/.test(caught.message));
  assert.equal(sim.episode, 0);
});

test('run({ pace }) waits for the promise pace returns before the next step, and is free when it returns nothing', async () => {
  const sim = walkers(3);
  const hold = { release: (): void => {}, promise: Promise.resolve() };
  let calls = 0;
  let heldAt = -1;
  const pace = () => {
    calls++;
    if (sim.totalSteps !== 20 || heldAt >= 0) return undefined;
    heldAt = sim.totalSteps;
    hold.promise = new Promise<void>((ok) => (hold.release = ok));
    return hold.promise;
  };
  const running = sim.run({ steps: 50, pace });
  for (let i = 0; i < 20; i++) await new Promise<void>((ok) => setImmediate(ok));
  assert.equal(heldAt, 20, 'pace was asked before step 21');
  assert.equal(sim.totalSteps, 20, 'the run stepped past a pending pace promise');
  hold.release();
  const summary = await running;
  assert.equal(summary.totalSteps, 50);
  assert.equal(calls, 50, 'pace is asked once before every step');
  // The same trajectory as a run without pace: back-pressure changes when, never what.
  const plain = walkers(3);
  const a = new TrajectoryHasher();
  a.follow(plain);
  await plain.run({ steps: 50 });
  const b = new TrajectoryHasher();
  const again = walkers(3);
  b.follow(again);
  let n = 0;
  await again.run({ steps: 50, pace: () => (n++ % 7 === 0 ? new Promise<void>((ok) => setImmediate(ok)) : undefined) });
  assert.equal(b.digest(), a.digest());
});
