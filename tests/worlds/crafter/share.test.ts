import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrafterEnv } from '../../../worlds/crafter/crafter-env.js';
import { shareAction } from '../../../worlds/crafter/actions.js';
import type { WorldEventInput } from '../../../core/events.js';

function macEnv(players = 3): CrafterEnv {
  const env = new CrafterEnv({ players, ruleset: 'mac' });
  env.reset({ seed: 7 });
  return env;
}

function give(env: CrafterEnv, agent: string, item: string, n: number): void {
  env.engine.inv[env.indexOf(agent) * env.engine.nItems + env.rules.itemIndex[item]!] = n;
}

function item(env: CrafterEnv, agent: string, name: string): number {
  return env.engine.inv[env.indexOf(agent) * env.engine.nItems + env.rules.itemIndex[name]!]!;
}

const noops = (env: CrafterEnv) => Object.fromEntries(env.agents.map((a) => [a, 0]));
const rejected = (events: readonly WorldEventInput[] | undefined) => (events ?? []).filter((e) => e.type === 'shareRejected').map((e) => (e.data as { reason: string }).reason);

test('the flat action space is the base actions then one share per (item, teammate)', () => {
  const env = macEnv(3);
  const names = env.actionNames();
  assert.equal(env.actionSpace('player_0').n, 17 + env.rules.data.share.items.length * 3);
  assert.equal(names[shareAction(env, 'wood', 'player_2')], 'share:wood->player_2');
  assert.throws(() => shareAction(env, 'health', 'player_1'), /not shareable/);
  assert.throws(() => shareAction(env, 'wood', 'player_9'), /unknown teammate/);
});

test('share moves one unit per step to the named teammate, at any distance', () => {
  const env = macEnv(3);
  give(env, 'player_0', 'wood', 3);
  const res = env.step({ ...noops(env), player_0: shareAction(env, 'wood', 'player_2') });
  assert.equal(item(env, 'player_0', 'wood'), 2);
  assert.equal(item(env, 'player_2', 'wood'), 1);
  assert.ok(res.events!.some((e) => e.type === 'share' && e.data.from === 'player_0' && e.data.to === 'player_2' && e.data.item === 'wood'));
  env.step({ ...noops(env), player_0: { type: 'share', item: 'wood', to: 'player_1' } });
  assert.equal(item(env, 'player_1', 'wood'), 1, 'the structured form works too');
  assert.equal(item(env, 'player_0', 'wood'), 1);
});

test('share is rejected with an event, never an error: unshareable item, unknown or dead teammate, empty', () => {
  const env = macEnv(3);
  give(env, 'player_0', 'wood', 1);
  let res = env.step({ ...noops(env), player_0: { type: 'share', item: 'health', to: 'player_1' } });
  assert.deepEqual(rejected(res.events), ['unshareable']);
  res = env.step({ ...noops(env), player_0: { type: 'share', item: 'wood', to: 'player_42' } });
  assert.deepEqual(rejected(res.events), ['unknown-teammate']);
  res = env.step({ ...noops(env), player_0: { type: 'share', item: 'stone', to: 'player_1' } });
  assert.deepEqual(rejected(res.events), ['empty']);
  res = env.step({ ...noops(env), player_0: shareAction(env, 'wood', 'player_0') });
  assert.deepEqual(rejected(res.events), ['self']);
  // Kill player_1 (health 0), step so it leaves, then try to share with it.
  env.engine.inv[env.indexOf('player_1') * env.engine.nItems + env.rules.vital.health] = 0;
  res = env.step(noops(env));
  assert.equal(res.terminations.player_1, true);
  assert.ok(!env.agents.includes('player_1'));
  res = env.step({ ...noops(env), player_0: shareAction(env, 'wood', 'player_1') });
  assert.deepEqual(rejected(res.events), ['dead-teammate']);
  assert.equal(item(env, 'player_0', 'wood'), 1, 'nothing moved');
  assert.equal(res.infos.player_0!.actionMask[shareAction(env, 'wood', 'player_1')], 0, 'masked for a dead teammate');
  assert.equal(res.infos.player_0!.actionMask[shareAction(env, 'wood', 'player_2')], 1);
});

test('crafter rules have no share actions; a structured share is rejected with an event', () => {
  const env = new CrafterEnv({ players: 2 });
  env.reset({ seed: 1 });
  assert.equal(env.actionSpace('player_0').n, 17);
  const res = env.step({ player_0: { type: 'share', item: 'wood', to: 'player_1' }, player_1: 0 });
  assert.deepEqual(rejected(res.events), ['unshareable']);
});

test('mac: the whole team terminates when any player collects a diamond', () => {
  const env = macEnv(2);
  const e = env.engine;
  const s = e.slot[0]!;
  e.store.setMaterial(e.store.x[s]! + e.facingX[0]!, e.store.y[s]! + e.facingY[0]!, env.rules.materialId.diamond!);
  give(env, 'player_0', 'iron_pickaxe', 1);
  const res = env.step({ player_0: 'do', player_1: 'noop' });
  assert.equal(item(env, 'player_0', 'diamond'), 1);
  assert.deepEqual(res.terminations, { player_0: true, player_1: true });
  assert.deepEqual(env.agents, []);
  assert.ok(env.episodeMetrics().goalStep === 1 && env.episodeMetrics().achievement_collect_diamond === 1);
});

test('mac: the episode is truncated after 350 steps', () => {
  const env = macEnv(2);
  const refill = () => {
    for (const a of env.agents) for (const v of ['food', 'drink', 'energy']) give(env, a, v, 9);
  };
  let res = env.step(noops(env));
  let steps = 1;
  while (env.agents.length) {
    refill();
    res = env.step(noops(env));
    steps++;
  }
  assert.equal(steps, 350);
  assert.deepEqual(res.truncations, { player_0: true, player_1: true });
});

test('a dead player leaves the grid but keeps its last position and inventory in state()', () => {
  const env = macEnv(2);
  const e = env.engine;
  const s = e.slot[1]!;
  const pos = [e.store.x[s]!, e.store.y[s]!];
  give(env, 'player_1', 'wood', 4);
  e.inv[e.nItems + env.rules.vital.health] = 0;
  const res = env.step(noops(env));
  assert.equal(res.terminations.player_1, true);
  assert.ok(res.events!.some((x) => x.type === 'death' && x.data.agent === 'player_1'));
  assert.equal(e.store.objectAt(pos[0]!, pos[1]!), -1, 'the cell is free');
  for (let i = 0; i < 30; i++) env.step(noops(env));
  const dead = env.state().players[1]!;
  assert.deepEqual([dead.alive, dead.pos, dead.inventory.wood], [false, pos, 4]);
});
