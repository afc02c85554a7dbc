import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createController, createTeamControllers, CONTROLLERS, RandomController } from '../../agents/index.js';
import { Rng } from '../../core/rng.js';
import { discrete } from '../../core/spaces.js';
import { createNavigationEnv } from '../../worlds/navigation/index.js';
import { runEpisode } from './run-episode.js';

test('random takes only legal actions, and all of them, drawing from its episode rng', () => {
  const env = createNavigationEnv({ layout: 'maze', width: 15, height: 15, agents: 2, maxSteps: 300 });
  let { observations, infos } = env.reset({ seed: 2 });
  const c = new RandomController();
  c.reset({ agent: 'agent_0', episode: 0, observationSpace: env.observationSpace('agent_0'), actionSpace: env.actionSpace('agent_0'), rng: Rng.fromSeed(1) });
  const used = new Set<number>();
  for (let t = 0; env.agents.includes('agent_0'); t++) {
    const info = infos.agent_0!;
    const a = c.act({ agent: 'agent_0', observation: observations.agent_0, info, step: t, episode: 0, worldState: () => env.state() }) as number;
    assert.equal(info.actionMask[a], 1, `step ${t}: action ${a} is masked`);
    used.add(a);
    ({ observations, infos } = env.step({ agent_0: a, ...(env.agents.includes('agent_1') ? { agent_1: 0 } : {}) }));
  }
  assert.deepEqual([...used].sort(), [0, 1, 2, 3, 4]);
});

test('random without a mask samples the action space', () => {
  const c = new RandomController();
  const space = discrete(3, 10);
  c.reset({ agent: 'a', episode: 0, observationSpace: space, actionSpace: space, rng: Rng.fromSeed(4) });
  const seen = new Set<unknown>();
  for (let i = 0; i < 100; i++) seen.add(c.act({ agent: 'a', observation: 0, info: {}, step: i, episode: 0, worldState: () => null }));
  assert.deepEqual([...seen].sort(), [10, 11, 12]);
});

test('same seed, same random episode', () => {
  const env = createNavigationEnv({ layout: 'four-rooms', agents: 2 });
  const a = runEpisode(env, createTeamControllers('random', env.possibleAgents), 5);
  const b = runEpisode(env, createTeamControllers('random', env.possibleAgents), 5);
  assert.deepEqual(a, b);
});

test('the registry builds each named controller and names the allowed ones on a typo', () => {
  for (const name of CONTROLLERS) assert.equal(typeof createController(name).act, 'function');
  assert.throws(() => createController('oracel'), /unknown controller "oracel": expected one of random, oracle, explorer/);
});
