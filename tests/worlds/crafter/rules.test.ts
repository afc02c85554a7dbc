import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compileRules, loadRules, RulesError } from '../../../worlds/crafter/rules.js';

const base = parse(readFileSync(new URL('../../../worlds/crafter/rules.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
const clone = () => structuredClone(base) as Record<string, Record<string, unknown>>;

test('the faithful rules load, are frozen, and hold the reference 1.8.3 values', () => {
  const r = loadRules();
  assert.equal(r.actions.length, 17);
  assert.equal(r.materials.length, 12);
  assert.equal(r.achievements.length, 22);
  assert.equal(r.data.place.table!.uses.wood, 2);
  assert.equal(r.data.place.furnace!.uses.stone, 4);
  assert.equal(r.data.world.updateDistance, 18);
  assert.ok(Object.isFrozen(r) && Object.isFrozen(r.data) && Object.isFrozen(r.data.creatures.zombie));
  assert.equal(loadRules(), r, 'the default ruleset is cached');
});

test('the mac overlay: caps 999, iron tools need only a furnace, no hostile spawns, share on, 350 steps', () => {
  const r = loadRules({ ruleset: 'mac' });
  assert.equal(r.itemMax[r.itemIndex.wood!], 999);
  assert.equal(r.itemMax[r.itemIndex.health!], 9);
  assert.deepEqual([...r.data.make.iron_pickaxe!.nearby], ['furnace']);
  assert.deepEqual(r.data.balance.rules.map((b) => b.kind), ['cow']);
  assert.equal(r.data.worldgen.hostiles, false);
  assert.equal(r.data.world.length, 350);
  assert.ok(!r.data.share.items.includes('health') && !r.data.share.items.includes('energy'));
  assert.equal(r.data.episode.endWhenAnyCollects, 'diamond');
});

test('a wrong type names the path inside the rules and what was expected', () => {
  const raw = clone();
  (raw.creatures!.zombie as Record<string, unknown>).damage = 'two';
  assert.throws(() => compileRules(raw, ['my-rules.yaml']), (e: Error) => e instanceof RulesError && /my-rules\.yaml/.test(e.message) && /creatures\.zombie\.damage/.test(e.message) && /number/.test(e.message));
});

test('a recipe naming an unknown item or material is rejected with its path', () => {
  const raw = clone();
  (raw.make!.wood_pickaxe as Record<string, unknown>).uses = { plank: 1 };
  assert.throws(() => compileRules(raw, ['r.yaml']), /make\.wood_pickaxe\.uses\.plank: unknown item "plank"/);
  const raw2 = clone();
  (raw2.collect!.stone as Record<string, unknown>).leaves = 'gravel';
  assert.throws(() => compileRules(raw2, ['r.yaml']), /collect\.stone\.leaves: unknown material "gravel"/);
});

test('unknown keys and an initial above the cap are errors', () => {
  const raw = clone();
  (raw.world as Record<string, unknown>).colour = 'blue';
  assert.throws(() => compileRules(raw), /world: Unrecognized key/i);
  const raw2 = clone();
  (raw2.items as Record<string, Record<string, number>>).wood = { max: 2, initial: 5 };
  assert.throws(() => compileRules(raw2), /items\.wood\.initial: 5 is above max 2/);
});

test('overlay files and dotted overrides apply in order; a bad override path is named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crafter-rules-'));
  const file = join(dir, 'overlay.yaml');
  writeFileSync(file, 'creatures:\n  cow: {health: 7}\n');
  const r = loadRules({ overlays: [file], overrides: { 'collect.sapling.probability': 1 } });
  assert.equal(r.data.creatures.cow.health, 7);
  assert.equal(r.data.collect.grass!.probability, 1, 'collect.sapling names the rule that gives saplings');
  assert.throws(() => loadRules({ overrides: { 'nothing.here.x': 1 } }), /override "nothing\.here\.x"/);
  writeFileSync(file, 'world: [unclosed');
  assert.throws(() => loadRules({ overlays: [file] }), (e: Error) => e instanceof RulesError && e.message.includes(file));
});
