import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTeamControllers, ExplorerController } from '../../agents/index.js';
import { createNavigationEnv, GENERATED_LAYOUTS, Material, type NavigationConfigInput } from '../../worlds/navigation/index.js';
import { Rng } from '../../core/rng.js';
import { runEpisode } from './run-episode.js';

/** The bound we hold the explorer to: steps at most 4 x the map's non-wall cells. */
const freeCells = (grid: Uint8Array) => grid.reduce((n, m) => n + (m === Material.wall ? 0 : 1), 0);

for (const layout of GENERATED_LAYOUTS) {
  test(`explorer finds the goal alone on 200 seeds of ${layout} within 4 x free cells steps`, () => {
    const env = createNavigationEnv({ layout } as NavigationConfigInput);
    for (let seed = 0; seed < 200; seed++) {
      const out = runEpisode(env, createTeamControllers('explorer', env.possibleAgents), seed);
      const bound = 4 * freeCells(env.state().grid);
      assert.equal(out.metrics.success, 1, `${layout} seed ${seed}: explorer failed`);
      assert.ok(out.steps <= bound, `${layout} seed ${seed}: ${out.steps} steps > bound ${bound}`);
    }
  });
}

test('explorer finds the goal in 101x101 perfect mazes within 4 x free cells steps', () => {
  const env = createNavigationEnv({ layout: 'maze', width: 101, height: 101 });
  for (const seed of [1, 2]) {
    const out = runEpisode(env, createTeamControllers('explorer', env.possibleAgents), seed);
    assert.equal(out.metrics.success, 1, `seed ${seed}`);
    assert.ok(out.steps <= 4 * freeCells(env.state().grid), `seed ${seed}: ${out.steps} steps`);
  }
});

test('explorer uses only its observation: it never calls worldState', () => {
  const env = createNavigationEnv({ layout: 'key-door' });
  let { observations, infos } = env.reset({ seed: 3 });
  const c = new ExplorerController();
  c.reset({ agent: 'agent_0', episode: 0, observationSpace: env.observationSpace('agent_0'), actionSpace: env.actionSpace('agent_0'), rng: Rng.fromSeed(0) });
  for (let t = 0; env.agents.length > 0; t++) {
    const a = c.act({ agent: 'agent_0', observation: observations.agent_0!, info: infos.agent_0!, step: t, episode: 0, worldState: () => assert.fail('explorer read the world state') });
    ({ observations, infos } = env.step({ agent_0: a }));
  }
  assert.equal(env.episodeMetrics().success, 1);
  assert.equal(env.episodeMetrics().keysPicked, 1);
  assert.equal(env.episodeMetrics().doorsOpened, 1);
});

for (const layout of GENERATED_LAYOUTS) {
  test(`three explorers with a shared goal all reach it on ${layout} (30 seeds, within maxSteps)`, () => {
    const env = createNavigationEnv({ layout, agents: 3 } as NavigationConfigInput);
    for (let seed = 0; seed < 30; seed++) {
      const out = runEpisode(env, createTeamControllers('explorer', env.possibleAgents), seed);
      assert.equal(out.metrics.success, 1, `${layout} seed ${seed}: only ${out.metrics.arrived} of 3 arrived`);
    }
  });
}

test('explorers that share their seen map cover a four-rooms map faster than explorers alone', () => {
  const config: NavigationConfigInput = { layout: 'four-rooms', agents: 4 };
  const env = createNavigationEnv(config);
  let alone = 0;
  let shared = 0;
  for (let seed = 0; seed < 20; seed++) {
    alone += runEpisode(env, createTeamControllers('explorer', env.possibleAgents), seed).steps;
    shared += runEpisode(env, createTeamControllers('explorer', env.possibleAgents, { shareMap: true }), seed).steps;
  }
  assert.ok(shared < alone, `shared ${shared} steps vs alone ${alone}`);
});
