import { test } from 'node:test';
import assert from 'node:assert/strict';
import { map, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { OptionController, ofType, Simulation } from '../../core/index.js';
import type { DecisionContext, OptionOutcome } from '../../core/index.js';
import { CorridorWorld, NOOP, RIGHT } from './support/corridor-world.js';

type Ctx = DecisionContext<Int32Array>;
const position = (ctx: Ctx) => ctx.observation[0] as number;

test('the planner is called only when the subgoal is reached', () => {
  const planSteps: number[] = [];
  const planPositions: number[] = [];
  const targets: number[] = [];
  const ended: OptionOutcome<number>[] = [];
  const env = new CorridorWorld({ agents: 1, length: 30, maxSteps: 13, wind: 0 });
  const sim = new Simulation({
    env,
    seed: 3,
    controllers: () =>
      new OptionController<Int32Array, number, number>({
        planner: {
          plan: (ctx) => {
            planSteps.push(ctx.step);
            planPositions.push(position(ctx));
            const target = position(ctx) + 3;
            targets.push(target);
            return target;
          },
          isDone: (target, ctx) => position(ctx) >= target,
          optionEnded: (o) => ended.push(o),
        },
        executor: { act: () => RIGHT },
      }),
  });
  sim.runSync({ episodes: 1 });
  // Three steps right per subgoal, no wind: re-plan every 3 steps until the 13-step truncation.
  assert.deepEqual(planSteps, [0, 3, 6, 9, 12]);
  for (let i = 1; i < planPositions.length; i++) {
    assert.equal(planPositions[i], targets[i - 1], `plan ${i} came before subgoal ${i - 1} was reached`);
  }
  assert.deepEqual(
    ended.map((o) => [o.reason, o.steps]),
    [['done', 3], ['done', 3], ['done', 3], ['done', 3], ['episodeEnd', 1]],
  );
  assert.ok(Math.abs((ended[0]?.reward ?? 0) - -0.03) < 1e-9, 'an option sums the rewards of its steps');
});

test('without isDone, an option lasts maxOptionSteps steps', () => {
  const planSteps: number[] = [];
  const executed: [number, string][] = [];
  const sim = new Simulation({
    env: new CorridorWorld({ agents: 2, length: 40, maxSteps: 10, wind: 0 }),
    seed: 4,
    controllers: (agent) =>
      new OptionController<Int32Array, number, string>({
        planner: {
          plan: (ctx) => {
            if (agent === 'agent_0') planSteps.push(ctx.step);
            return `goal@${ctx.step}`;
          },
        },
        executor: {
          act: (ctx, subgoal) => {
            if (agent === 'agent_0') executed.push([ctx.step, subgoal]);
            return RIGHT;
          },
        },
        maxOptionSteps: 4,
      }),
  });
  sim.runSync({ episodes: 1 });
  assert.deepEqual(planSteps, [0, 4, 8]);
  assert.deepEqual(
    executed.map(([, g]) => g),
    ['goal@0', 'goal@0', 'goal@0', 'goal@0', 'goal@4', 'goal@4', 'goal@4', 'goal@4', 'goal@8', 'goal@8'],
  );
  const c = sim.controller('agent_0') as OptionController<Int32Array, number, string>;
  assert.equal(c.subgoal, undefined, 'the option should end with the episode');
});

test('an async planner (Promise) in a lockstep run is asked once per option', async () => {
  let plans = 0;
  const subgoals: number[] = [];
  const sim = new Simulation({
    env: new CorridorWorld({ agents: 1, length: 30, maxSteps: 6, wind: 0 }),
    seed: 8,
    controllers: () =>
      new OptionController<Int32Array, number, number>({
        planner: {
          plan: (ctx) => {
            plans++;
            return Promise.resolve(position(ctx) + 2);
          },
          isDone: (target, ctx) => position(ctx) >= target,
        },
        executor: {
          act: (_ctx, target) => {
            subgoals.push(target);
            return RIGHT;
          },
        },
      }),
  });
  const summary = await sim.run({ episodes: 1 });
  assert.equal(summary.status, 'completed');
  assert.equal(summary.steps, 6);
  assert.equal(plans, 3);
  assert.equal(subgoals.length, 6);
  assert.equal(new Set(subgoals).size, 3);
});

test('a slow planner in realtime: default actions while it thinks, one plan call, then the executor acts at once', () => {
  const ts = new TestScheduler((a, b) => assert.deepEqual(a, b));
  let plans = 0;
  const late: number[] = [];
  const steps: [number, unknown][] = [];
  ts.run(({ flush }) => {
    const sim = new Simulation({
      env: new CorridorWorld({ agents: 1, length: 30, maxSteps: 50, wind: 0 }),
      seed: 2,
      scheduler: ts,
      controllers: () =>
        new OptionController<Int32Array, number, number>({
          planner: {
            plan: (ctx) => {
              plans++;
              return timer(250).pipe(map(() => position(ctx) + 10));
            },
            isDone: (target, ctx) => position(ctx) >= target,
          },
          executor: { act: () => RIGHT },
        }),
    });
    sim.events$.pipe(ofType('agentLate')).subscribe(() => late.push(ts.now()));
    sim.transitions$.subscribe((t) => steps.push([ts.now(), t.actions['agent_0']]));
    sim.realtime$({ stepsPerSecond: 10, steps: 4 }).subscribe();
    flush();
  });
  assert.equal(plans, 1, 'the planner should be asked once while its answer is pending');
  assert.deepEqual(late, [100, 200]);
  // Ticks at 0 and 100 time out (noop, stepped at 100 and 200); the tick at 200 waits on the plan, which lands at
  // 250; the next tick keeps the 100 ms schedule (300) and the executor answers at once.
  assert.deepEqual(steps, [
    [100, NOOP],
    [200, NOOP],
    [250, RIGHT],
    [300, RIGHT],
  ]);
});

test('a failing async planner: agentFailed and default action, then it re-plans', async () => {
  let plans = 0;
  const failures: string[] = [];
  const actions: unknown[] = [];
  const sim = new Simulation({
    env: new CorridorWorld({ agents: 1, length: 30, maxSteps: 3, wind: 0 }),
    seed: 8,
    controllers: () =>
      new OptionController<Int32Array, number, number>({
        planner: {
          plan: () => (++plans === 1 ? Promise.reject(new Error('planner down')) : Promise.resolve(99)),
        },
        executor: { act: () => RIGHT },
      }),
  });
  sim.events$.pipe(ofType('agentFailed')).subscribe((e) => failures.push(e.data.error));
  sim.transitions$.subscribe((t) => actions.push(t.actions['agent_0']));
  await sim.run({ episodes: 1 });
  assert.deepEqual(failures, ['planner down']);
  assert.deepEqual(actions, [NOOP, RIGHT, RIGHT]);
  assert.equal(plans, 2);
});

test("the world's events of each step reach the controller's observe and an option planner's observe", () => {
  // Every agent that reaches the corridor's end emits corridorEndReached; the planner ends its option on it.
  const seen: string[][] = [];
  const env = new CorridorWorld({ agents: 1, length: 4, maxSteps: 10, wind: 0 });
  let events: readonly { type: string }[] = [];
  const sim = new Simulation({
    env,
    seed: 1,
    controllers: () =>
      new OptionController<Int32Array, number, string>({
        planner: {
          plan: () => 'end',
          observe: (t) => {
            events = t.events ?? [];
            seen.push(events.map((e) => e.type));
          },
          isDone: () => events.some((e) => e.type === 'corridorEndReached'),
        },
        executor: { act: () => RIGHT },
      }),
  });
  sim.runSync({ episodes: 1 });
  assert.ok(seen.length > 0, 'the planner saw every step');
  assert.deepEqual(seen.at(-1), ['corridorEndReached'], 'the last step carried the world event');
  assert.ok(seen.slice(0, -1).every((types) => !types.includes('corridorEndReached')), 'earlier steps did not');
});
