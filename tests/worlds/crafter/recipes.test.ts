import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playerSnapshot } from '../../../worlds/crafter/scenario.js';
import { loadRules } from '../../../worlds/crafter/rules.js';
import { make, run } from './helpers.js';

test('collect: tree gives wood without a tool, unlocks collect_wood once, reward +1 then 0', () => {
  const env = make([[32, 33, 't'], [31, 32, 't']]);
  const rewards = run(env, ['do', 'move_left', 'do']);
  const snap = playerSnapshot(env);
  assert.equal(snap.inventory.wood, 2);
  assert.deepEqual(snap.achievements, ['collect_wood']);
  assert.deepEqual(rewards, [1, 0, 0]);
  assert.equal(env.state().materials[32 * 64 + 33], env.rules.materialId.grass, 'the reference turns a collected tree into grass (leaves: grass)');
});

test('collect: stone needs a wood pickaxe and leaves path', () => {
  const env = make([[32, 33, 's']]);
  run(env, ['do']);
  assert.equal(playerSnapshot(env).inventory.stone, 0, 'no stone without a pickaxe');
  const env2 = make([[32, 33, 's']], { player: { pos: [32, 32], facing: [0, 1], inventory: { wood_pickaxe: 1 } } });
  run(env2, ['do']);
  assert.equal(playerSnapshot(env2).inventory.stone, 1);
  assert.equal(env2.state().materials[32 * 64 + 33], env2.rules.materialId.path);
});

test('collect: water gives drink and the probability override makes saplings certain', () => {
  const env = make([[32, 33, 'w']], { player: { pos: [32, 32], facing: [0, 1], vitals: { drink: 5 } } });
  run(env, ['do']);
  assert.equal(playerSnapshot(env).inventory.drink, 6);
  const env2 = make([], { overrides: { 'collect.sapling.probability': 1 } });
  run(env2, ['do']);
  assert.equal(playerSnapshot(env2).inventory.sapling, 1);
});

test('place: table costs the reference 1.8.3 price (2 wood) and needs a free grass/sand/path cell', () => {
  const env = make([], { player: { pos: [32, 32], facing: [0, 1], inventory: { wood: 1 } } });
  run(env, ['place_table']);
  assert.equal(playerSnapshot(env).inventory.wood, 1, 'one wood is not enough');
  const env2 = make([], { player: { pos: [32, 32], facing: [0, 1], inventory: { wood: 3 } } });
  const r = run(env2, ['place_table']);
  assert.equal(playerSnapshot(env2).inventory.wood, 1);
  assert.equal(env2.state().materials[32 * 64 + 33], env2.rules.materialId.table);
  assert.deepEqual(playerSnapshot(env2).achievements, ['place_table']);
  assert.equal(r[0], 1);
  const env3 = make([[32, 33, 'w']], { player: { pos: [32, 32], facing: [0, 1], inventory: { wood: 3 } } });
  run(env3, ['place_table']);
  assert.equal(playerSnapshot(env3).inventory.wood, 3, 'cannot place a table on water');
});

test('place: stone goes on water; plant needs grass and becomes an object', () => {
  const env = make([[32, 33, 'w']], { player: { pos: [32, 32], facing: [0, 1], inventory: { stone: 1 } } });
  run(env, ['place_stone']);
  assert.equal(env.state().materials[32 * 64 + 33], env.rules.materialId.stone);
  const env2 = make([], { player: { pos: [32, 32], facing: [0, 1], inventory: { sapling: 1 } } });
  run(env2, ['place_plant']);
  assert.deepEqual(env2.state().objects.map((o) => [o.kind, ...o.pos]), [['plant', 32, 33]]);
  assert.equal(playerSnapshot(env2).inventory.sapling, 0);
});

test('make: needs the nearby table; iron tools need table and furnace in crafter, only a furnace in mac', () => {
  const inv = { wood: 5, coal: 2, iron: 2, stone: 2 };
  const far = make([[40, 40, 'T']], { player: { pos: [32, 32], facing: [0, 1], inventory: inv } });
  run(far, ['make_wood_pickaxe']);
  assert.equal(playerSnapshot(far).inventory.wood_pickaxe, 0);
  const near = make([[33, 33, 'T']], { player: { pos: [32, 32], facing: [0, 1], inventory: inv } });
  run(near, ['make_wood_pickaxe', 'make_stone_pickaxe', 'make_iron_pickaxe']);
  const s = playerSnapshot(near);
  assert.equal(s.inventory.wood_pickaxe, 1);
  assert.equal(s.inventory.stone_pickaxe, 1);
  assert.equal(s.inventory.iron_pickaxe, 0, 'no furnace nearby');
  assert.equal(s.inventory.wood, 3);
  const furnaceOnly = [[31, 31, 'F']] as [number, number, string][];
  const crafter = make(furnaceOnly, { player: { pos: [32, 32], facing: [0, 1], inventory: inv } });
  run(crafter, ['make_iron_pickaxe']);
  assert.equal(playerSnapshot(crafter).inventory.iron_pickaxe, 0);
  const mac = make(furnaceOnly, { player: { pos: [32, 32], facing: [0, 1], inventory: inv } }, loadRules({ ruleset: 'mac' }));
  run(mac, ['make_iron_pickaxe']);
  assert.equal(playerSnapshot(mac).inventory.iron_pickaxe, 1);
  assert.deepEqual(playerSnapshot(mac).achievements, ['make_iron_pickaxe']);
});

test('moves: walkable cells only; lava kills; facing changes even when blocked', () => {
  const env = make([[31, 32, 's'], [33, 32, 'l']]);
  run(env, ['move_left']);
  assert.deepEqual(playerSnapshot(env).pos, [32, 32]);
  assert.deepEqual(playerSnapshot(env).facing, [-1, 0]);
  const res = env.step({ player_0: 'move_right' });
  assert.equal(playerSnapshot(env).inventory.health, 0);
  assert.equal(res.terminations.player_0, true);
  assert.ok(Math.abs(res.rewards.player_0! - -0.9) < 1e-9, 'reward is the health change / 10');
});

test('combat: cow dies after 3 hits without a sword and gives food 6; eat_cow unlocked', () => {
  const env = make([], { objects: [{ kind: 'cow', pos: [32, 33] }], player: { pos: [32, 32], facing: [0, 1], vitals: { food: 2 } } });
  // Cows move at random; fix it in place by surrounding it with stone.
  const env2 = make([[31, 33, 's'], [33, 33, 's'], [32, 34, 's']], { objects: [{ kind: 'cow', pos: [32, 33] }], player: { pos: [32, 32], facing: [0, 1], vitals: { food: 2 } } });
  run(env2, ['do', 'do', 'do']);
  const s = playerSnapshot(env2);
  assert.equal(s.inventory.food, 8);
  assert.ok(s.achievements.includes('eat_cow'));
  assert.equal(env2.state().objects.length, 0, 'the dead cow removes itself on its update');
  assert.ok(env.state().objects.length === 1);
});

test('sleep: sleeping until energy is full, then wake_up', () => {
  const env = make([], { player: { pos: [32, 32], facing: [0, 1], vitals: { energy: 8 } } });
  run(env, ['sleep']);
  assert.equal(playerSnapshot(env).sleeping, true);
  let steps = 0;
  while (playerSnapshot(env).sleeping && steps < 200) {
    run(env, ['noop']);
    steps++;
  }
  const s = playerSnapshot(env);
  assert.equal(s.sleeping, false);
  assert.equal(s.inventory.energy, 9);
  assert.ok(s.achievements.includes('wake_up'));
});

test('zombie next to the player attacks for 2, then waits its cooldown of 5', () => {
  const walls: [number, number, string][] = [[31, 33, 's'], [33, 33, 's'], [32, 34, 's']];
  const env = make(walls, { objects: [{ kind: 'zombie', pos: [32, 33] }], player: { pos: [32, 32], facing: [0, 1] } });
  // Block the player's own moves so the zombie stays adjacent.
  const health: number[] = [];
  for (let i = 0; i < 7; i++) {
    run(env, ['noop']);
    health.push(playerSnapshot(env).inventory.health!);
  }
  assert.equal(health[0], 7);
  assert.equal(health[5], 7, 'cooldown 5 steps');
  assert.equal(health[6], 5);
});

test('world events: collect, place, make and achievementUnlocked, in order', () => {
  const env = make([[32, 33, 't']], { player: { pos: [32, 32], facing: [0, 1], inventory: { wood: 2 } } });
  const r1 = env.step({ player_0: 'do' });
  assert.deepEqual(r1.events!.map((e) => e.type), ['achievementUnlocked', 'collect']);
  const r2 = env.step({ player_0: 'place_table' });
  assert.deepEqual(r2.events!.map((e) => e.type), ['achievementUnlocked', 'place']);
  const r3 = env.step({ player_0: 'make_wood_pickaxe' });
  assert.deepEqual(r3.events!.map((e) => e.type), ['achievementUnlocked', 'make']);
  const ev = r1.events![1]!;
  assert.ok(ev.type === 'collect' && ev.data.material === 'tree' && ev.data.items.wood === 1);
});

test('pixels: 64x64x3, darker at night than by day, grey while asleep', async () => {
  const { renderPixels } = await import('../../../worlds/crafter/pixels.js');
  const env = make([]);
  const e = env.engine;
  const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
  e.daylight = 1;
  const day = renderPixels(e, 0);
  e.daylight = 0;
  const night = renderPixels(e, 0);
  assert.equal(day.length, 64 * 64 * 3);
  assert.ok(sum(night) < sum(day));
  e.sleeping[0] = 1;
  const asleep = renderPixels(e, 0);
  const i = (10 * 64 + 10) * 3;
  assert.ok(asleep[i] === asleep[i + 1] && asleep[i + 1] === asleep[i + 2], 'map pixels are grey');
});
