import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadScenario, playerSnapshot } from '../../../worlds/crafter/scenario.js';

/**
 * Differential replay of the reference fixtures (tests/fixtures/crafter/*.json, recorded from PyPI crafter 1.8.3 by
 * scripts/crafter-fixtures/record.py; what each one covers is in that folder's README). Every step's reward, position,
 * facing, sleeping flag, full inventory (with the vitals), unlocked achievements and done flag must equal the
 * reference's exactly.
 */

const dir = fileURLToPath(new URL('../../fixtures/crafter/', import.meta.url));
const AGENT = 'player_0';

const vec = z.tuple([z.number().int(), z.number().int()]);
const record = z.object({
  pos: vec,
  facing: vec,
  sleeping: z.boolean(),
  inventory: z.record(z.string(), z.number()),
  achievements: z.array(z.string()),
});
const stepSchema = record.extend({ action: z.string(), reward: z.number(), done: z.boolean() });
const fixtureSchema = z.looseObject({ name: z.string(), steps: z.array(stepSchema).min(1), initial: record });

const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'worldgen-stats.json').sort();

test('crafter fixtures: the reference recordings are present', () => {
  assert.ok(files.length >= 15, `expected at least 15 fixtures in ${dir}, found ${files.length}`);
});

function compare(name: string, where: string, actual: z.infer<typeof record>, expected: z.infer<typeof record>): void {
  assert.deepEqual(actual.pos, expected.pos, `${name} ${where}: pos`);
  assert.deepEqual(actual.facing, expected.facing, `${name} ${where}: facing`);
  assert.equal(actual.sleeping, expected.sleeping, `${name} ${where}: sleeping`);
  assert.deepEqual(actual.inventory, expected.inventory, `${name} ${where}: inventory`);
  assert.deepEqual([...actual.achievements].sort(), [...expected.achievements].sort(), `${name} ${where}: achievements`);
}

for (const file of files) {
  const raw: unknown = JSON.parse(readFileSync(dir + file, 'utf8'));
  const parsed = fixtureSchema.safeParse(raw);
  test(`crafter fixture ${file} replays exactly`, () => {
    assert.ok(parsed.success, `${file}: not a fixture: ${parsed.success ? '' : parsed.error.message}`);
    const fixture = parsed.data;
    const name = `${file} (${fixture.name})`;
    const env = loadScenario(raw as Parameters<typeof loadScenario>[0]);
    compare(name, 'initial', snapshotOf(env), fixture.initial);
    fixture.steps.forEach((expected, i) => {
      const where = `step ${i + 1} (${expected.action})`;
      const result = env.step({ [AGENT]: expected.action });
      assert.equal(result.rewards[AGENT], expected.reward, `${name} ${where}: reward`);
      const done = (result.terminations[AGENT] ?? false) || (result.truncations[AGENT] ?? false);
      assert.equal(done, expected.done, `${name} ${where}: done`);
      compare(name, where, snapshotOf(env), expected);
    });
  });
}

function snapshotOf(env: ReturnType<typeof loadScenario>): z.infer<typeof record> {
  const s = playerSnapshot(env, AGENT);
  return {
    pos: [s.pos[0], s.pos[1]],
    facing: [s.facing[0], s.facing[1]],
    sleeping: s.sleeping,
    inventory: { ...s.inventory },
    achievements: [...s.achievements],
  };
}
