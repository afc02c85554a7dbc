import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playerSnapshot } from '../../../worlds/crafter/scenario.js';
import { CrafterEnv } from '../../../worlds/crafter/crafter-env.js';
import { Kind } from '../../../worlds/crafter/world-store.js';
import { make, run } from './helpers.js';

function arrow(env: CrafterEnv, x: number, y: number, dx: number, dy: number): void {
  const st = env.engine.store;
  const a = st.add(Kind.arrow, x, y, 0);
  st.dx[a] = dx;
  st.dy[a] = dy;
}

test('arrows fly straight, hurt what they hit by 2, and turn a table they hit into path', () => {
  const env = make([[36, 32, 'T']]);
  arrow(env, 33, 32, 1, 0);
  run(env, ['noop', 'noop']);
  assert.deepEqual(env.state().objects.map((o) => o.pos), [[35, 32]], 'one cell per step');
  run(env, ['noop']);
  assert.equal(env.state().materials[36 * 64 + 32], env.rules.materialId.path, 'the table became path');
  assert.equal(env.state().objects.length, 0, 'the arrow is gone');
  const env2 = make([]);
  arrow(env2, 32, 29, 0, 1);
  const rewards = run(env2, ['noop', 'noop', 'noop']);
  assert.equal(playerSnapshot(env2).inventory.health, 7);
  assert.ok(rewards.some((r) => Math.abs(r + 0.2) < 1e-12), 'the hit shows as -0.2 reward');
});

test('a plant placed on step 1 is first edible on step 303 (grown > 300, updated from step 2) and gives food 4', () => {
  const env = make([], { player: { pos: [32, 32], facing: [0, 1], inventory: { sapling: 1 } } });
  const e = env.engine;
  const refill = () => {
    for (const v of ['health', 'food', 'drink', 'energy']) e.inv[env.rules.itemIndex[v]!] = 9;
    e.inv[env.rules.itemIndex.food!] = 3;
  };
  run(env, ['place_plant']);
  for (let i = 2; i <= 301; i++) {
    refill();
    run(env, ['noop']);
  }
  refill();
  const food = playerSnapshot(env).inventory.food!;
  run(env, ['do']);
  assert.equal(playerSnapshot(env).inventory.food, food, 'step 302: not ripe yet');
  refill();
  run(env, ['do']);
  assert.ok(playerSnapshot(env).achievements.includes('eat_plant'), 'step 303: eaten');
  assert.equal(playerSnapshot(env).inventory.food, 7);
});

test('a cow next to a sapling eats it away (plants lose health next to creatures)', () => {
  const walls: [number, number, string][] = [[39, 40, 's'], [41, 40, 's'], [40, 41, 's'], [40, 39, 'g']];
  const env = make(walls, { objects: [{ kind: 'plant', pos: [40, 39] }, { kind: 'cow', pos: [40, 40] }] });
  run(env, ['noop']);
  assert.deepEqual(env.state().objects.map((o) => o.kind).filter((k) => k === 'plant'), []);
});

test('balancing (on in the default rules) spawns zombies at night on grass, away from the player', () => {
  const env = new CrafterEnv();
  env.reset({ seed: 11 });
  const count = () => env.state().objects.filter((o) => o.kind === 'zombie').length;
  const e = env.engine;
  // Keep the player alive and fed so the run reaches the night (daylight < 0.5 around steps 180..300).
  let maxNight = 0;
  for (let i = 0; i < 300 && env.agents.length; i++) {
    for (const v of ['health', 'food', 'drink', 'energy']) e.inv[env.rules.itemIndex[v]!] = 9;
    env.step({ player_0: 'noop' });
    if (e.daylight < 0.3) maxNight = Math.max(maxNight, count());
  }
  const start = new CrafterEnv();
  start.reset({ seed: 11 });
  const initial = start.state().objects.filter((o) => o.kind === 'zombie').length;
  assert.ok(maxNight > initial, `night zombies ${maxNight} should exceed the ${initial} of world generation`);
});
