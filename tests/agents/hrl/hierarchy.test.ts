// The hierarchy's pieces on real navigation worlds, with a scripted low level (step along the offset) standing in
// for a trained one: the goal-conditioned env's rewards and metrics, the manager env's options (their lengths add
// up to the world's steps, their rewards to the world's), and the same task under the kernel through core's
// OptionController with an interchangeable planner.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/rng.js';
import { Simulation } from '../../../core/simulation.js';
import { EpisodeMetricsCollector } from '../../../core/metrics.js';
import { Action, createNavigationEnv, type NavigationObservation } from '../../../worlds/navigation/index.js';
import { GoalConditionedEnv } from '../../../agents/hrl/goal-conditioned-env.js';
import { NavigationGoalTask } from '../../../agents/hrl/navigation-goal-task.js';
import { ManagerEnv } from '../../../agents/hrl/manager-env.js';
import { NavigationManagerTask } from '../../../agents/hrl/navigation-manager-task.js';
import { firstSlotChooser, hierarchicalController, TaskPlanner } from '../../../agents/hrl/task-planners.js';

/** Moves one step along the goal offset: x first, then y. */
function stepAlong(_agent: string, o: NavigationObservation & { goal: Int32Array }): number {
  const [dx, dy] = o.goal as unknown as [number, number];
  if (dx > 0) return Action.right;
  if (dx < 0) return Action.left;
  if (dy > 0) return Action.down;
  if (dy < 0) return Action.up;
  return Action.noop;
}

describe('GoalConditionedEnv', () => {
  it('adds the goal offset, pays 1 per reached waypoint, draws the next one, and reports the hit rate', () => {
    const env = new GoalConditionedEnv(createNavigationEnv({ layout: 'open-room', width: 9, height: 9, obstacleDensity: 0, maxSteps: 60 }), { task: new NavigationGoalTask(), rng: Rng.fromSeed(3) });
    assert.equal(env.observationSpace('agent_0').spaces.goal?.kind, 'box');
    let r = env.reset({ seed: 1 });
    let paid = 0;
    let steps = 0;
    while (env.agents.length > 0) {
      const o = r.observations.agent_0!;
      const before = env.goalOf('agent_0');
      assert.ok(before, 'an open room always has a waypoint in view');
      assert.deepEqual([...o.goal], [Math.max(-4, Math.min(4, before.x - o.position[0]!)), Math.max(-4, Math.min(4, before.y - o.position[1]!))]);
      const res = env.step({ agent_0: stepAlong('agent_0', o) });
      steps++;
      const p = res.observations.agent_0?.position;
      const reached = p !== undefined && p[0] === before.x && p[1] === before.y;
      assert.equal(res.rewards.agent_0, reached ? 1 : 0, `step ${steps}`);
      paid += res.rewards.agent_0 ?? 0;
      r = { observations: res.observations as typeof r.observations, infos: res.infos };
    }
    const m = env.episodeMetrics();
    assert.equal(m.goalsReached, paid);
    assert.ok(paid >= 3, `only ${paid} waypoints reached in ${steps} steps`);
    assert.equal(m.goalsTimedOut, 0, 'in an empty room a straight walk never times out');
    assert.equal(m.success, paid / (paid + (m.goalsTimedOut as number)));
    assert.ok('world/success' in m, "the world's success is kept under world/success");
  });
});

describe('ManagerEnv with the navigation task', () => {
  it('runs options to the goal; option lengths sum to the world steps, option rewards to the world reward', () => {
    for (const seed of [1, 2, 3]) {
      const task = new NavigationManagerTask({ lowLevel: stepAlong, lookahead: 1 });
      const env = new ManagerEnv(createNavigationEnv({ layout: 'multi-room', rooms: 4, roomSize: 5, maxSteps: 400 }), task, { maxOptionSteps: 16 });
      let r = env.reset({ seed });
      let optionSteps = 0;
      let reward = 0;
      let decisions = 0;
      while (env.agents.length > 0) {
        const info = r.infos.agent_0!;
        assert.equal(r.observations.agent_0!.length, task.slots);
        // The features say which slots are filled, and the mask agrees.
        assert.deepEqual([...info.actionMask], [...r.observations.agent_0!].map((f) => (f > 0 ? 1 : 0)));
        const res = env.step({ agent_0: firstSlotChooser('agent_0', r.observations.agent_0!, info) });
        decisions++;
        optionSteps += res.infos.agent_0!.optionSteps;
        reward += res.rewards.agent_0!;
        assert.ok(res.infos.agent_0!.optionSteps <= 16);
        r = { observations: res.observations as typeof r.observations, infos: res.infos };
      }
      const m = env.episodeMetrics();
      assert.equal(m.success, 1, `seed ${seed}: the goal-first, nearest-frontier manager reaches the goal`);
      assert.equal(reward, 1, 'sparse reward: 1 at the goal, summed over the last option');
      assert.equal(optionSteps, env.envSteps, 'every world step belongs to one option');
      assert.equal(m.options, decisions);
      assert.ok(decisions > 3, `seed ${seed}: ${decisions} options`);
    }
  });
});

describe('hierarchicalController', () => {
  it('runs the same task under the kernel with a TaskPlanner on core OptionController', () => {
    const task = new NavigationManagerTask({ lowLevel: stepAlong, lookahead: 1 });
    const planner = new TaskPlanner(task, firstSlotChooser);
    const sim = new Simulation({
      env: createNavigationEnv({ layout: 'maze', width: 15, height: 15, maxSteps: 600 }),
      seed: 4,
      controllers: () => hierarchicalController(task, planner, { maxOptionSteps: 16 }),
    });
    const metrics = new EpisodeMetricsCollector();
    metrics.attach(sim.events$);
    sim.runSync({ episodes: 3 });
    assert.equal(metrics.summary().successRate, 1);
    assert.ok(planner.outcomes.length > 3);
    assert.ok(planner.outcomes.some((o) => o.subgoal.kind === 'goal' && o.reason === 'episodeEnd'), 'the last option of an episode goes to the goal');
    assert.ok(planner.outcomes.every((o) => o.steps <= 16));
  });
});
