import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrafterEnv, spawnPositions } from '../../../worlds/crafter/crafter-env.js';
import { contains, whyNotContained } from '../../../core/spaces.js';
import { Rng } from '../../../core/rng.js';
import { FLAT_SIZE } from '../../../worlds/crafter/observation.js';

function trajectory(seed: number, players: number, steps: number): string[] {
  const env = new CrafterEnv({ players });
  const rng = Rng.fromSeed(99);
  const out: string[] = [];
  const r = env.reset({ seed });
  out.push(JSON.stringify(Object.values(r.observations).map((o) => Array.from(o.flat!))));
  for (let i = 0; i < steps && env.agents.length; i++) {
    const actions = Object.fromEntries(env.agents.map((a) => [a, rng.int(0, 16)]));
    const res = env.step(actions);
    out.push(JSON.stringify([res.rewards, res.terminations, res.truncations, res.events, Object.values(res.observations).map((o) => Array.from(o.map))]));
  }
  out.push(JSON.stringify(env.state().objects));
  return out;
}

test('same seed, same actions: same observations, rewards, ends and events; another seed differs', () => {
  const a = trajectory(5, 2, 200);
  assert.deepEqual(trajectory(5, 2, 200), a);
  assert.notDeepEqual(trajectory(6, 2, 200), a);
});

test('reset without a seed continues the generator deterministically', () => {
  const run = () => {
    const env = new CrafterEnv();
    env.reset({ seed: 3 });
    const first = env.state().materials;
    env.reset();
    return [first, env.state().materials];
  };
  const [a1, a2] = run();
  const [b1, b2] = run();
  assert.deepEqual(a1, b1);
  assert.deepEqual(a2, b2);
  assert.notDeepEqual(a1, a2, 'a new episode gets a new world');
});

test('API: spaces are stable objects, observations are contained, masks have the action count, state is read-only', () => {
  const env = new CrafterEnv({ players: 3, ruleset: 'mac' });
  assert.equal(env.observationSpace('player_0'), env.observationSpace('player_1'));
  assert.equal(env.actionSpace('player_0'), env.actionSpace('player_0'));
  const r = env.reset({ seed: 2 });
  assert.deepEqual(Object.keys(r.observations), ['player_0', 'player_1', 'player_2']);
  for (const a of env.agents) {
    assert.equal(whyNotContained(env.observationSpace(a), r.observations[a], a), null);
    assert.equal(r.infos[a]!.actionMask.length, env.actionSpace(a).n);
  }
  assert.equal(r.observations.player_0!.flat!.length, FLAT_SIZE);
  const before = JSON.stringify(env.state());
  env.state();
  assert.equal(JSON.stringify(env.state()), before);
  const res = env.step({ player_0: 1, player_1: 'do', player_2: 0 });
  for (const a of Object.keys(res.observations)) assert.ok(contains(env.observationSpace(a), res.observations[a]));
  assert.throws(() => env.step({ player_9: 0 }), /unknown agent/);
  assert.throws(() => env.step({ player_0: 999 }), /outside/);
});

test('observation: 7x9 map centred on the player, flat one-hot layout, optional pixels', () => {
  const env = new CrafterEnv({ pixels: true });
  const r = env.reset({ seed: 4 });
  const o = r.observations.player_0!;
  assert.equal(o.map[3 * 9 + 4], 13, 'the player (semantic id 13) is at row 3, column 4');
  assert.equal(o.pixels!.length, 64 * 64 * 3);
  // Each of the 63 cells has exactly one block type among the first 17 channels.
  for (let c = 0; c < 63; c++) {
    let blocks = 0;
    for (let k = 0; k < 17; k++) blocks += o.flat![c * 21 + k]!;
    assert.equal(blocks, 1, `cell ${c}`);
  }
  assert.deepEqual(Array.from(o.flat!.slice(63 * 21 + 12, 63 * 21 + 16)), [0.9, 0.9, 0.9, 0.9].map(Math.fround), 'vitals / 10');
  assert.deepEqual(Array.from(o.facing), [0, 0, 0, 1], 'players start facing down');
  const noFlat = new CrafterEnv({ oneHot: false }).reset({ seed: 4 }).observations.player_0!;
  assert.equal(noFlat.flat, undefined);
});

test('players spawn in rows at the centre, a single player at the reference start (32, 32)', () => {
  assert.deepEqual(spawnPositions(1, [64, 64], 1), [[32, 32]]);
  const many = spawnPositions(100, [64, 64], 1);
  assert.equal(new Set(many.map((p) => p.join(','))).size, 100);
  const env = new CrafterEnv({ players: 100 });
  env.reset({ seed: 1 });
  for (const p of env.state().players) assert.equal(env.state().materialNames[env.state().materials[p.pos[0] * 64 + p.pos[1]]! - 1], 'grass');
});

test('reward: +1 once per step with a new achievement, plus health change / 10; metrics count team achievements', () => {
  const env = new CrafterEnv({ players: 2 });
  env.reset({ seed: 1 });
  const e = env.engine;
  // Face trees with both players.
  for (let p = 0; p < 2; p++) {
    const s = e.slot[p]!;
    e.store.setMaterial(e.store.x[s]! + e.facingX[p]!, e.store.y[s]! + e.facingY[p]!, env.rules.materialId.tree!);
  }
  const res = env.step({ player_0: 'do', player_1: 'do' });
  assert.deepEqual(res.rewards, { player_0: 1, player_1: 1 });
  assert.equal(env.episodeMetrics().achievement_collect_wood, 1);
  assert.equal(env.episodeMetrics().achievements, 1);
  assert.ok(res.events!.filter((x) => x.type === 'achievementUnlocked').length === 2);
});

test('createCrafterEnv validates plain config and names the bad field', async () => {
  const { createCrafterEnv, CrafterConfigError } = await import('../../../worlds/crafter/create-crafter-env.js');
  const env = createCrafterEnv({ agents: 2, layout: 'mac', overrides: { 'world.length': 20 } });
  assert.equal(env.possibleAgents.length, 2);
  assert.equal(env.rules.data.world.length, 20);
  assert.throws(() => createCrafterEnv({ agents: 101 }), (e: Error) => e instanceof CrafterConfigError && /agents/.test(e.message));
  assert.throws(() => createCrafterEnv({ ruleset: 'hard' }), (e: Error) => e instanceof CrafterConfigError && /ruleset/.test(e.message));
  assert.throws(() => createCrafterEnv({ overrides: { 'creatures.cow.health': -1 } }), (e: Error) => e instanceof CrafterConfigError && /creatures\.cow\.health/.test(e.message));
});
