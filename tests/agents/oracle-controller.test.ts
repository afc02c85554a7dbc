import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTeamControllers } from '../../agents/index.js';
import { bfsDistances } from '../../worlds/navigation/grid.js';
import { createNavigationEnv, GENERATED_LAYOUTS, isPassable, Material, type NavigationConfigInput, type NavigationState } from '../../worlds/navigation/index.js';
import { runEpisode } from './run-episode.js';

/** Shortest number of steps for one agent from the start state: to the goal, or via the key when a door is locked. */
function shortestSolution(s: NavigationState): number {
  const { width, height, grid } = s;
  const start = (s.agents[0]?.position ?? [0, 0]) as readonly [number, number];
  const from = (cell: number, withKey: boolean) =>
    bfsDistances(width, height, cell, (c) => isPassable(grid[c] as number) || (withKey && grid[c] === Material.doorLocked));
  const goals = s.goals.map((g) => g.position[1] * width + g.position[0]);
  const direct = from(start[1] * width + start[0], false);
  let best = Math.min(...goals.map((g) => direct[g] as number).filter((d) => d >= 0));
  for (const [kx, ky] of s.keys) {
    const k = ky * width + kx;
    if ((direct[k] as number) < 0) continue;
    const afterKey = from(k, true);
    for (const g of goals) if ((afterKey[g] as number) >= 0) best = Math.min(best, (direct[k] as number) + (afterKey[g] as number));
  }
  return best;
}

for (const layout of GENERATED_LAYOUTS) {
  test(`oracle solves 200 seeds of ${layout} alone, in exactly the shortest number of steps`, () => {
    const env = createNavigationEnv({ layout } as NavigationConfigInput);
    for (let seed = 0; seed < 200; seed++) {
      env.reset({ seed });
      const optimum = shortestSolution(env.state());
      assert.ok(Number.isFinite(optimum), `${layout} seed ${seed}: the generated map has no solution`);
      const out = runEpisode(env, createTeamControllers('oracle', env.possibleAgents), seed);
      assert.equal(out.metrics.success, 1, `${layout} seed ${seed}: oracle failed`);
      assert.equal(out.metrics.stepsToGoal, optimum, `${layout} seed ${seed}: oracle took ${out.steps} steps, shortest is ${optimum}`);
    }
  });
}

test('oracle solves 101x101 perfect mazes', () => {
  const env = createNavigationEnv({ layout: 'maze', width: 101, height: 101 });
  for (const seed of [1, 2, 3]) {
    const out = runEpisode(env, createTeamControllers('oracle', env.possibleAgents), seed);
    assert.equal(out.metrics.success, 1, `maze 101x101 seed ${seed}`);
  }
});

for (const layout of GENERATED_LAYOUTS) {
  test(`six oracles with a shared goal all reach it on ${layout} (30 seeds)`, () => {
    const env = createNavigationEnv({ layout, agents: 6, goalMode: 'shared', teamSuccess: 'all' } as NavigationConfigInput);
    for (let seed = 0; seed < 30; seed++) {
      const out = runEpisode(env, createTeamControllers('oracle', env.possibleAgents), seed);
      assert.equal(out.metrics.success, 1, `${layout} seed ${seed}: only ${out.metrics.arrived} of 6 arrived`);
    }
  });
}

for (const layout of GENERATED_LAYOUTS) {
  test(`six oracles with a goal each all reach them on ${layout} (30 seeds)`, () => {
    const env = createNavigationEnv({ layout, agents: 6, goalMode: 'each' } as NavigationConfigInput);
    for (let seed = 0; seed < 30; seed++) {
      const out = runEpisode(env, createTeamControllers('oracle', env.possibleAgents), seed);
      assert.equal(out.metrics.success, 1, `${layout} seed ${seed}: only ${out.metrics.arrived} of 6 arrived`);
    }
  });
}

test('an oracle steps aside in a corridor for an earlier agent coming the other way', () => {
  // agent_0 (right) goes to the left G, agent_1 to the right one: they meet head-on in a one-cell corridor and
  // agent_1, later in the order, must dodge into the niche above.
  const env = createNavigationEnv({ layout: 'ascii', agents: 2, goalMode: 'each', map: ['#########', '###.#####', '#G1..0.G#', '#########'] });
  const out = runEpisode(env, createTeamControllers('oracle', env.possibleAgents), 0);
  assert.equal(out.metrics.success, 1);
  assert.ok(out.steps <= 12, `took ${out.steps} steps`);
});
