import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Action, createNavigationEnv, Material, ViewCategory, type NavigationConfigInput } from '../../../worlds/navigation/index.js';

const { noop, up, down, left, right } = Action;
const ascii = (map: string[], extra: Partial<NavigationConfigInput> = {}) =>
  createNavigationEnv({ layout: 'ascii', map, ...extra } as NavigationConfigInput);
const pos = (env: ReturnType<typeof ascii>, i: number) => env.state().agents[i]?.position;

test('two agents moving into the same cell: the lower index wins', () => {
  const env = ascii(['#####', '#0 1#', '#####', '#G  #', '#####'], { agents: 2 });
  env.reset({ seed: 0 });
  env.step({ agent_0: right, agent_1: left });
  assert.deepEqual(pos(env, 0), [2, 1]);
  assert.deepEqual(pos(env, 1), [3, 1]);
});

test('agents cannot swap through each other; a queue follows a moving agent but not a blocked one', () => {
  const env = ascii(['######', '#01  #', '######', '#G   #', '######'], { agents: 2 });
  env.reset({ seed: 0 });
  env.step({ agent_0: right, agent_1: left });
  assert.deepEqual([pos(env, 0), pos(env, 1)], [[1, 1], [2, 1]], 'swap is cancelled');
  env.step({ agent_0: right, agent_1: right });
  assert.deepEqual([pos(env, 0), pos(env, 1)], [[2, 1], [3, 1]], 'follower moves with the leader');
  env.step({ agent_0: right, agent_1: right });
  env.step({ agent_0: right, agent_1: right });
  assert.deepEqual([pos(env, 0), pos(env, 1)], [[3, 1], [4, 1]], 'leader at the wall blocks the follower');
});

test('key, locked door, goal: events, rewards, masks and metrics', () => {
  const env = ascii(['#######', '#0k#  #', '#  D G#', '#######']);
  const r = env.reset({ seed: 0 });
  assert.deepEqual([...(r.observations.agent_0?.hasKey ?? [])], [0]);
  let s = env.step({ agent_0: right });
  assert.deepEqual(s.events, [{ type: 'keyPicked', data: { agent: 'agent_0', position: [2, 1] } }]);
  assert.deepEqual([...(s.observations.agent_0?.hasKey ?? [])], [1]);
  assert.equal(env.state().grid[1 * 7 + 2], Material.empty, 'the key is gone from the map');
  s = env.step({ agent_0: down });
  assert.equal(s.infos.agent_0?.actionMask[right], 1, 'with a key the locked door is a legal move');
  s = env.step({ agent_0: right });
  assert.deepEqual(s.events, [{ type: 'doorOpened', data: { agent: 'agent_0', position: [3, 2] } }]);
  assert.equal(env.state().grid[2 * 7 + 3], Material.doorOpen);
  env.step({ agent_0: right });
  s = env.step({ agent_0: right });
  assert.deepEqual(s.events, [{ type: 'goalReached', data: { agent: 'agent_0', position: [5, 2], step: 5 } }]);
  assert.equal(s.rewards.agent_0, 1);
  assert.equal(s.terminations.agent_0, true);
  assert.deepEqual(env.agents, []);
  // 9 non-wall cells; the agent stood on 6 of them.
  assert.deepEqual(env.episodeMetrics(), { success: 1, stepsToGoal: 5, arrived: 1, coverage: 6 / 9, seen: 1, doorsOpened: 1, keysPicked: 1 });
});

test('without a key a locked door is masked and walking into it does nothing', () => {
  const env = ascii(['######', '#0D G#', '######']);
  const r = env.reset({ seed: 0 });
  assert.deepEqual([...(r.infos.agent_0?.actionMask ?? [])], [1, 0, 0, 0, 0]);
  const s = env.step({ agent_0: right });
  assert.deepEqual(pos(env, 0), [1, 1]);
  assert.deepEqual(s.events, []);
  assert.equal(s.rewards.agent_0, 0);
});

test('the egocentric view: centred, out of bounds as wall, other agents and goals drawn', () => {
  const env = ascii(['0G', '1.'], { agents: 2, viewSize: 3, goalMode: 'shared' });
  const { observations } = env.reset({ seed: 0 });
  const { wall, goal, agent, empty } = ViewCategory;
  assert.deepEqual([...(observations.agent_0?.view ?? [])], [wall, wall, wall, wall, empty, goal, wall, agent, empty]);
  assert.deepEqual([...(observations.agent_0?.position ?? [])], [0, 0]);
  assert.deepEqual([...(observations.agent_1?.view ?? [])], [wall, agent, goal, wall, empty, empty, wall, wall, wall]);
});

test("goalMode each: another agent's goal is shown as otherGoal and does nothing", () => {
  const env = ascii(['#######', '#0GG1 #', '#######'], { agents: 2, goalMode: 'each' });
  const { observations } = env.reset({ seed: 0 });
  const view = observations.agent_1?.view ?? new Uint8Array();
  assert.equal(view[3 * 7 + 2], ViewCategory.goal, 'own goal (the second G) left of agent_1');
  assert.equal(view[3 * 7 + 1], ViewCategory.otherGoal, "agent_0's goal two cells left");
  const s = env.step({ agent_0: noop, agent_1: left });
  assert.equal(s.terminations.agent_1, true, 'agent_1 reached its own goal');
  assert.deepEqual(env.agents, ['agent_0']);
  assert.equal(env.episodeMetrics().success, 0, 'success needs every agent at its goal');
  const s2 = env.step({ agent_0: right });
  assert.equal(s2.terminations.agent_0, true);
  assert.deepEqual(env.episodeMetrics(), { ...env.episodeMetrics(), success: 1, stepsToGoal: 2, arrived: 2 });
});

test("teamSuccess 'one' ends the episode for everyone at the first arrival; 'all' waits for the others", () => {
  const map = ['######', '#0G 1#', '######'];
  const one = ascii(map, { agents: 2, teamSuccess: 'one' });
  one.reset({ seed: 0 });
  const s = one.step({ agent_0: right, agent_1: noop });
  assert.deepEqual(s.terminations, { agent_0: true, agent_1: true });
  assert.deepEqual(s.rewards, { agent_0: 1, agent_1: 0 });
  assert.equal(one.episodeMetrics().success, 1);
  const all = ascii(map, { agents: 2, teamSuccess: 'all' });
  all.reset({ seed: 0 });
  const t = all.step({ agent_0: right, agent_1: noop });
  assert.deepEqual(t.terminations, { agent_0: true, agent_1: false });
  assert.equal(all.episodeMetrics().success, 0);
  all.step({ agent_1: left });
  all.step({ agent_1: left });
  // All four free cells were stood on: 0 start, G, and agent_1 passing from its start.
  assert.deepEqual(all.episodeMetrics(), { success: 1, stepsToGoal: 3, arrived: 2, coverage: 4 / 4, seen: 1, doorsOpened: 0, keysPicked: 0 });
});

test('truncation at maxSteps, step penalty, and stepsToGoal -1 without success', () => {
  const env = ascii(['######', '#0  G#', '######'], { maxSteps: 2, stepPenalty: 0.01 });
  env.reset({ seed: 0 });
  const a = env.step({ agent_0: up });
  assert.deepEqual([a.truncations.agent_0, a.rewards.agent_0], [false, -0.01]);
  const b = env.step({ agent_0: up });
  assert.equal(b.truncations.agent_0, true);
  assert.equal(b.terminations.agent_0, false);
  assert.deepEqual(env.episodeMetrics(), { success: 0, stepsToGoal: -1, arrived: 0, coverage: 1 / 4, seen: 1, doorsOpened: 0, keysPicked: 0 });
  assert.throws(() => env.step({}), /episode is over/);
});

test('seen counts the non-wall cells that were inside a view; coverage only the cells stood on', () => {
  // 3x3 views on a 9-cell corridor: the start sees cells 1-2, each step right one more.
  const env = ascii(['###########', '#0       G#', '###########'], { viewSize: 3 });
  env.reset({ seed: 0 });
  assert.deepEqual([env.episodeMetrics().coverage, env.episodeMetrics().seen], [1 / 9, 2 / 9]);
  env.step({ agent_0: right });
  env.step({ agent_0: right });
  assert.deepEqual([env.episodeMetrics().coverage, env.episodeMetrics().seen], [3 / 9, 4 / 9]);
  env.step({ agent_0: left });
  assert.equal(env.episodeMetrics().seen, 4 / 9, 'cells seen again count once');
  env.reset({ seed: 0 });
  assert.equal(env.episodeMetrics().seen, 2 / 9, 'a new episode starts from its first view');
});

test('observations are never written to after they are returned', () => {
  const env = createNavigationEnv({ layout: 'open-room', agents: 3 });
  const r = env.reset({ seed: 4 });
  const copy = structuredClone(r.observations);
  for (let t = 0; t < 5 && env.agents.length > 0; t++) env.step(Object.fromEntries(env.agents.map((a) => [a, right])));
  assert.deepEqual(r.observations, copy);
});

test('reset without a seed continues the generator: a new map each episode, the same sequence from the same seed', () => {
  const grids = (seed: number) => {
    const env = createNavigationEnv({ layout: 'maze', width: 11, height: 11 });
    env.reset({ seed });
    const first = env.state().grid;
    env.reset();
    return [first, env.state().grid];
  };
  const [a1, a2] = grids(9);
  const [b1, b2] = grids(9);
  assert.deepEqual(a1, b1);
  assert.deepEqual(a2, b2);
  assert.notDeepEqual(a1, a2);
  const [c1] = grids(10);
  assert.notDeepEqual(a1, c1);
});

test('state() is a copy: changing it does not change the world', () => {
  const env = ascii(['#####', '#0 G#', '#####']);
  env.reset();
  const s = env.state();
  s.grid.fill(Material.wall);
  assert.equal(env.state().grid[1 * 5 + 2], Material.empty);
});
