import { test } from 'node:test';
import assert from 'node:assert/strict';
import { map, Observable, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ofType, Simulation, TrajectoryHasher } from '../../core/index.js';
import type { Controller, RunSummary, SimulationCommand, WorldEvent } from '../../core/index.js';
import { CorridorWorld, NOOP, RIGHT } from './support/corridor-world.js';
import { RandomWalker } from './support/controllers.js';

function virtualTime(): TestScheduler {
  return new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
}

function walkers(seed: number, scheduler: TestScheduler) {
  return new Simulation({ env: new CorridorWorld(), seed, scheduler, controllers: () => new RandomWalker() });
}

const cmd = {
  p: { type: 'pause' },
  r: { type: 'resume' },
  s: { type: 'step' },
  f: { type: 'speed', stepsPerSecond: 20 },
  l: { type: 'speed', stepsPerSecond: 4 },
  x: { type: 'reset' },
} satisfies Record<string, SimulationCommand>;

test('a realtime run with a step limit emits its summary when the last step is taken', () => {
  const ts = virtualTime();
  ts.run(({ expectObservable }) => {
    const sim = walkers(1, ts);
    // 10 steps/s: steps at 0, 100, 200, 300, 400 ms; the 5th ends the run.
    expectObservable(sim.realtime$({ stepsPerSecond: 10, steps: 5 })).toBe('400ms (a|)', {
      a: { status: 'completed', steps: 5, episodes: 0, totalSteps: 5 } satisfies RunSummary,
    });
  });
});

test('pause, step, speed and resume move the clock as commanded (virtual time)', () => {
  const ts = virtualTime();
  const times: number[] = [];
  const clocks: WorldEvent<'clock'>['data'][] = [];
  ts.run(({ cold, flush }) => {
    const sim = walkers(2, ts);
    sim.events$.pipe(ofType('step')).subscribe(() => times.push(ts.now()));
    sim.events$.pipe(ofType('clock')).subscribe((e) => clocks.push(e.data));
    const run = sim.realtime$({ stepsPerSecond: 10 }).subscribe();
    // pause at 950, step at 1500, speed 20/s at 1600 (still paused), resume at 2000, stop at 2475.
    cold('950ms p 549ms s 99ms f 399ms r', cmd).subscribe((c) => sim.command(c));
    ts.schedule(() => run.unsubscribe(), 2475);
    flush();
    assert.equal(sim.realtime, false, 'unsubscribing should end the realtime run');
  });
  const expected = [
    ...Array.from({ length: 10 }, (_, i) => i * 100), // 10 steps in the first second
    1500, // exactly one step while paused
    ...Array.from({ length: 10 }, (_, i) => 2000 + i * 50), // resumed at 20 steps/s
  ];
  assert.deepEqual(times, expected);
  assert.deepEqual(clocks, [
    { paused: false, stepsPerSecond: 10 },
    { paused: true, stepsPerSecond: 10 },
    { paused: true, stepsPerSecond: 20 },
    { paused: false, stepsPerSecond: 20 },
  ]);
});

test('slowing down while running reschedules the pending tick from the last one', () => {
  const ts = virtualTime();
  const times: number[] = [];
  ts.run(({ cold, flush }) => {
    const sim = walkers(3, ts);
    sim.events$.pipe(ofType('step')).subscribe(() => times.push(ts.now()));
    sim.realtime$({ stepsPerSecond: 10, steps: 4 }).subscribe();
    cold('150ms l', cmd).subscribe((c) => sim.command(c)); // 4 steps/s from 150 ms: next tick at 100 + 250
    flush();
  });
  assert.deepEqual(times, [0, 100, 350, 600]);
});

test('starting paused takes no step until told', () => {
  const ts = virtualTime();
  const times: number[] = [];
  ts.run(({ cold, flush }) => {
    const sim = walkers(4, ts);
    sim.events$.pipe(ofType('step')).subscribe(() => times.push(ts.now()));
    const run = sim.realtime$({ stepsPerSecond: 10, paused: true }).subscribe();
    cold('500ms s 99ms s 99ms s', cmd).subscribe((c) => sim.command(c));
    ts.schedule(() => run.unsubscribe(), 5000);
    flush();
  });
  assert.deepEqual(times, [500, 600, 700]);
});

test('same seed through the realtime clock with pauses and speed changes: same trajectory hash as lockstep', () => {
  const lockstep = new Simulation({ env: new CorridorWorld(), seed: 42, controllers: () => new RandomWalker() });
  const expected = new TrajectoryHasher();
  expected.follow(lockstep);
  lockstep.runSync({ steps: 60 });

  const ts = virtualTime();
  const actual = new TrajectoryHasher();
  let summary: RunSummary | undefined;
  ts.run(({ cold, flush }) => {
    const sim = walkers(42, ts);
    actual.follow(sim);
    sim.realtime$({ stepsPerSecond: 10, steps: 60 }).subscribe((s) => (summary = s));
    cold('333ms p 999ms s 9ms s 9ms f 500ms r 700ms l 1s p 2s r 100ms f', cmd).subscribe((c) => sim.command(c));
    flush();
  });
  assert.equal(summary?.status, 'completed');
  assert.equal(summary?.steps, 60);
  assert.equal(actual.records, expected.records);
  assert.equal(actual.digest(), expected.digest(), 'pacing changed the trajectory');
});

/** An Observable answer after `ms` of (virtual) time that counts its live subscriptions in `live`. */
function answerAfter(ms: number, action: number, live: { count: number }) {
  return new Observable<number>((subscriber) => {
    live.count++;
    const inner = timer(ms)
      .pipe(map(() => action))
      .subscribe(subscriber);
    return () => {
      live.count--;
      inner.unsubscribe();
    };
  });
}

test('a slow async agent in realtime takes its default action with agentLate; the world goes on; no subscription leaks', () => {
  const ts = virtualTime();
  const live = { count: 0 };
  const late: WorldEvent<'agentLate'>[] = [];
  const actions: Record<string, unknown>[] = [];
  const times: number[] = [];
  ts.run(({ flush }) => {
    const sim = new Simulation({
      env: new CorridorWorld({ agents: 2, length: 50, maxSteps: 100, wind: 0 }),
      seed: 5,
      scheduler: ts,
      controllers: (agent): Controller<Int32Array, number> => ({
        act: () => answerAfter(agent === 'agent_1' ? 150 : 30, RIGHT, live),
      }),
    });
    sim.events$.pipe(ofType('agentLate')).subscribe((e) => late.push(e));
    sim.transitions$.subscribe((t) => {
      actions.push(t.actions);
      times.push(ts.now());
    });
    sim.realtime$({ stepsPerSecond: 10, steps: 4 }).subscribe();
    flush();
  });
  // Each tick waits one period (the default deadline) for agent_1, then steps without it.
  assert.deepEqual(times, [100, 200, 300, 400]);
  assert.equal(late.length, 4);
  assert.ok(late.every((e) => e.data.agent === 'agent_1' && e.data.deadlineMs === 100 && e.data.action === NOOP));
  assert.ok(actions.every((a) => a['agent_0'] === RIGHT && a['agent_1'] === NOOP), JSON.stringify(actions));
  assert.equal(live.count, 0, 'late answers were left subscribed');
});

test('controller.deadlineMs overrides the default deadline', () => {
  const ts = virtualTime();
  const live = { count: 0 };
  let late = 0;
  const actions: Record<string, unknown>[] = [];
  const times: number[] = [];
  ts.run(({ flush }) => {
    const sim = new Simulation({
      env: new CorridorWorld({ agents: 1, length: 50, maxSteps: 100, wind: 0 }),
      seed: 5,
      scheduler: ts,
      controllers: () => ({ deadlineMs: 200, act: () => answerAfter(150, RIGHT, live) }),
    });
    sim.events$.pipe(ofType('agentLate')).subscribe(() => late++);
    sim.transitions$.subscribe((t) => {
      actions.push(t.actions);
      times.push(ts.now());
    });
    sim.realtime$({ stepsPerSecond: 10, steps: 3 }).subscribe();
    flush();
  });
  assert.equal(late, 0);
  assert.deepEqual(times, [150, 300, 450], 'the clock should wait for the answer, then tick again at once');
  assert.ok(actions.every((a) => a['agent_0'] === RIGHT));
  assert.equal(live.count, 0);
});

test('reset while an answer is awaited drops it, interrupts the episode and starts the next', () => {
  const ts = virtualTime();
  const live = { count: 0 };
  const types: string[] = [];
  let summary: RunSummary | undefined;
  ts.run(({ cold, flush }) => {
    const sim = new Simulation({
      env: new CorridorWorld({ agents: 1, length: 50, maxSteps: 100, wind: 0 }),
      seed: 5,
      scheduler: ts,
      controllers: () => ({ act: () => answerAfter(80, RIGHT, live) }),
    });
    sim.events$.subscribe((e) => types.push(e.type));
    sim.realtime$({ stepsPerSecond: 10, episodes: 2 }).subscribe((s) => (summary = s));
    // The first answer lands at 80 (step at 80); the second is awaited from 100 when the resets come.
    cold('150ms x 99ms x', cmd).subscribe((c) => sim.command(c));
    flush();
  });
  assert.deepEqual(types, [
    'clock',
    'episodeStart',
    'agentAdded',
    'step',
    'agentRemoved',
    'episodeEnd',
    'episodeStart',
    'agentAdded',
    'agentRemoved',
    'episodeEnd',
  ]);
  assert.equal(summary?.status, 'completed');
  assert.equal(summary?.episodes, 2);
  assert.equal(live.count, 0, 'the dropped answer is still subscribed');
});

test('an aborted realtime run ends with status stopped', () => {
  const ts = virtualTime();
  let summary: RunSummary | undefined;
  ts.run(({ flush }) => {
    const sim = walkers(1, ts);
    const abort = new AbortController();
    sim.realtime$({ stepsPerSecond: 10, signal: abort.signal }).subscribe((s) => (summary = s));
    ts.schedule(() => abort.abort(), 250);
    flush();
  });
  assert.deepEqual(summary, { status: 'stopped', steps: 3, episodes: 0, totalSteps: 3 });
});

test('a world that throws ends the realtime run with an error event and an error notification', () => {
  const ts = virtualTime();
  const env = new CorridorWorld();
  const step = env.step.bind(env);
  let calls = 0;
  env.step = (actions) => {
    if (++calls === 3) throw new Error('world broke');
    return step(actions);
  };
  let failure: unknown;
  const errors: string[] = [];
  ts.run(({ flush }) => {
    const sim = new Simulation({ env, seed: 1, scheduler: ts, controllers: () => new RandomWalker() });
    sim.events$.pipe(ofType('error')).subscribe((e) => errors.push(e.data.message));
    sim.realtime$({ stepsPerSecond: 10 }).subscribe({ error: (e: unknown) => (failure = e) });
    flush();
    assert.equal(sim.realtime, false);
  });
  assert.ok(failure instanceof Error && failure.message === 'world broke');
  assert.deepEqual(errors, ['world broke']);
});

test('commands are validated, and need a realtime run', () => {
  const sim = new Simulation({ env: new CorridorWorld(), seed: 1, controllers: () => new RandomWalker() });
  assert.throws(() => sim.command({ type: 'speed', stepsPerSecond: -3 }), (e: unknown) => e instanceof TypeError && /command\.stepsPerSecond/.test(e.message));
  assert.throws(() => sim.command({ type: 'jump' }), TypeError);
  assert.throws(() => sim.command('pause'), TypeError);
  assert.throws(() => sim.command({ type: 'pause' }), /no realtime run/);
});

test('commands sent from an event subscriber apply after the current step', () => {
  const ts = virtualTime();
  const times: number[] = [];
  ts.run(({ flush }) => {
    const sim = walkers(8, ts);
    sim.events$.pipe(ofType('step')).subscribe((e) => {
      times.push(ts.now());
      if (e.totalSteps === 3) sim.command({ type: 'pause' });
    });
    const run = sim.realtime$({ stepsPerSecond: 10 }).subscribe();
    ts.schedule(() => run.unsubscribe(), 2000);
    flush();
  });
  assert.deepEqual(times, [0, 100, 200]);
});

test('real time: Promise answers are used, a hung agent is late on every step, and the run ends', async () => {
  const sim = new Simulation({
    env: new CorridorWorld({ agents: 2, length: 50, maxSteps: 100, wind: 0 }),
    seed: 1,
    controllers: (agent): Controller<Int32Array, number> => ({
      act: () => (agent === 'agent_0' ? Promise.resolve(RIGHT) : new Promise<number>(() => {})),
    }),
  });
  let late = 0;
  const actions: Record<string, unknown>[] = [];
  sim.events$.pipe(ofType('agentLate')).subscribe(() => late++);
  sim.transitions$.subscribe((t) => actions.push(t.actions));
  const summary = await sim.runRealtime({ stepsPerSecond: 200, steps: 4 });
  assert.equal(summary.status, 'completed');
  assert.equal(summary.steps, 4);
  assert.equal(late, 4);
  assert.ok(actions.every((a) => a['agent_0'] === RIGHT && a['agent_1'] === NOOP));
});

test('a reset command continues the run generator: episode seeds are those lockstep draws', () => {
  const lockstep = new Simulation({ env: new CorridorWorld(), seed: 77, controllers: () => new RandomWalker() });
  const expected: number[] = [];
  lockstep.events$.pipe(ofType('episodeStart')).subscribe((e) => expected.push(e.data.seed));
  lockstep.runSync({ episodes: 3 });

  const ts = virtualTime();
  const seeds: number[] = [];
  const ends: boolean[] = [];
  ts.run(({ cold, flush }) => {
    const sim = walkers(77, ts);
    sim.events$.pipe(ofType('episodeStart')).subscribe((e) => seeds.push(e.data.seed));
    sim.events$.pipe(ofType('episodeEnd')).subscribe((e) => ends.push(e.data.interrupted === true));
    sim.realtime$({ stepsPerSecond: 10, episodes: 3 }).subscribe();
    cold('250ms x 99ms x', cmd).subscribe((c) => sim.command(c));
    flush();
  });
  assert.deepEqual(seeds, expected);
  assert.deepEqual(ends.slice(0, 2), [true, true], 'the first two episodes were cut by reset');
});
