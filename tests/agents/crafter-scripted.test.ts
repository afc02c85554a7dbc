import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrafterEnv } from '../../worlds/crafter/index.js';
import { Rng } from '../../core/rng.js';
import { createScriptedCrafterController } from '../../agents/crafter/scripted.js';
import { runScriptedEpisode } from '../../agents/crafter/run-episode.js';

// runScriptedEpisode hands the controller a worldState() that throws, so any read of the global state fails these.
test('scripted agent climbs the tech tree from its own observations on two seeds', () => {
  const env = new CrafterEnv({ players: 1, oneHot: true });
  for (const seed of [1, 2]) {
    const r = runScriptedEpisode(env, seed, Rng.fromSeed(seed), 400, createScriptedCrafterController());
    assert.ok(r.unlocked.length >= 12, `seed ${seed}: only ${r.unlocked.length} achievements in 400 steps: ${r.unlocked.join(', ')}`);
    for (const a of ['collect_wood', 'place_table', 'make_wood_pickaxe', 'collect_stone', 'make_stone_pickaxe']) {
      assert.ok(r.unlocked.includes(a), `seed ${seed}: missing ${a}`);
    }
    // What it believes it unlocked (inferred from its observations) really was unlocked.
    for (const a of r.believed) assert.ok(r.unlocked.includes(a), `seed ${seed}: believes ${a} but did not unlock it`);
  }
});

test('scripted agent is deterministic given the episode rng', () => {
  const env = new CrafterEnv({ players: 1 });
  const a = runScriptedEpisode(env, 5, Rng.fromSeed(9), 250);
  const b = runScriptedEpisode(env, 5, Rng.fromSeed(9), 250);
  assert.deepEqual(a, b);
});

test('dead reckoning keeps the believed position on the true one', () => {
  const env = new CrafterEnv({ players: 1 });
  const id = env.possibleAgents[0]!;
  const { observations, infos } = env.reset({ seed: 4 });
  const agent = createScriptedCrafterController();
  agent.reset({ agent: id, episode: 0, observationSpace: env.observationSpace(id), actionSpace: env.actionSpace(id), rng: Rng.fromSeed(2) });
  const start = env.state().players[0]!.pos;
  let obs = observations[id]!;
  let info = infos[id]!;
  let moved = 0;
  for (let step = 0; step < 300; step++) {
    const action = agent.act({ agent: id, observation: obs, info, step, episode: 0, worldState: () => { throw new Error('no'); } });
    // The agent updated its belief from this observation: compare with the true position it was taken at.
    const pos = env.state().players[0]!.pos;
    assert.deepEqual(agent.position, [pos[0] - start[0], pos[1] - start[1]], `step ${step}`);
    if (pos[0] !== start[0] || pos[1] !== start[1]) moved++;
    const r = env.step({ [id]: action });
    if (r.terminations[id]) break;
    obs = r.observations[id]!;
    info = r.infos[id]!;
  }
  assert.ok(moved > 100);
});

test('scripted agent never reads the world state', () => {
  const env = new CrafterEnv({ players: 1 });
  const id = env.possibleAgents[0]!;
  const { observations, infos } = env.reset({ seed: 3 });
  const agent = createScriptedCrafterController();
  agent.reset({ agent: id, episode: 0, observationSpace: env.observationSpace(id), actionSpace: env.actionSpace(id), rng: Rng.fromSeed(1) });
  let obs = observations[id]!;
  let info = infos[id]!;
  let reads = 0;
  for (let step = 0; step < 200; step++) {
    const action = agent.act({ agent: id, observation: obs, info, step, episode: 0, worldState: () => { reads++; throw new Error('no'); } });
    assert.ok(Number.isInteger(action) && action >= 0 && action < env.nActions);
    const r = env.step({ [id]: action });
    obs = r.observations[id]!;
    info = r.infos[id]!;
    if (r.terminations[id]) break;
  }
  assert.equal(reads, 0);
});
