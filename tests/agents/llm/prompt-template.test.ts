import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PromptTemplate } from '../../../agents/llm/prompt-template.js';
import { LlmConfigError, parseLlmConfig, modelFor } from '../../../agents/llm/llm-config.js';
import { loadLlmPrompts } from '../../../agents/llm/llm-planner.js';
import { crafterSubgoals, parsePlanReply, planSchema } from '../../../agents/llm/plan-schema.js';
import { createCrafterEnv } from '../../../worlds/crafter/create-crafter-env.js';

test('templates: placeholders are read from the text; unknown ones fail at load, missing values at render', () => {
  const t = new PromptTemplate('Hi {{agent}}, you hold {{ inventory }}.', 'x.md', ['agent', 'inventory', 'step']);
  assert.deepEqual(t.placeholders, ['agent', 'inventory']);
  assert.equal(t.render({ agent: 'p0', inventory: 'wood 2' }), 'Hi p0, you hold wood 2.');
  assert.throws(() => t.render({ agent: 'p0' }), (e: unknown) => e instanceof LlmConfigError && /x\.md: no value for placeholder\(s\) \{\{inventory\}\}/.test(e.message));
  assert.throws(() => t.render({ agent: 'p0', inventory: '', bogus: 1 }), /undeclared placeholder\(s\) bogus/);
  assert.throws(() => new PromptTemplate('{{agnet}}', 'y.md', ['agent']), /y\.md: unknown placeholder \{\{agnet\}\}; this template may use \{\{agent\}\}/);
});

test('the shipped templates load and a prompts folder overrides them file by file', () => {
  const shipped = loadLlmPrompts();
  assert.ok(shipped.planner.placeholders.includes('next_steps'));
  const dir = mkdtempSync(join(tmpdir(), 'canopy-prompts-'));
  try {
    writeFileSync(join(dir, 'repair.md'), 'Bad: {{error}}. Pick from {{subgoals}}.');
    const p = loadLlmPrompts(dir);
    assert.equal(p.repair.render({ error: 'e', subgoals: 's' }), 'Bad: e. Pick from s.');
    assert.equal(p.planner.text, shipped.planner.text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('llm config: defaults, a model per role, errors name the field', () => {
  const c = parseLlmConfig({ models: { planner: 'a', labeller: 'b' } });
  assert.equal(c.baseUrl, 'https://api.openai.com/v1');
  assert.equal(modelFor(c, 'communicator'), 'a');
  assert.equal(modelFor(c, 'labeller'), 'b');
  assert.throws(() => parseLlmConfig({ concurrency: 0 }, 'run.yaml: llm'), /run\.yaml: llm\.concurrency/);
  assert.throws(() => parseLlmConfig({ modle: 'x' }), /llm: .*modle/);
});

test('plan replies: fenced JSON is found; bad JSON, unknown subgoals and bad messages are named', () => {
  const env = createCrafterEnv({ ruleset: 'mac', agents: 2 });
  const subgoals = crafterSubgoals(env.rules);
  for (const s of ['collect_wood', 'collect_diamond', 'place_table', 'make_iron_pickaxe', 'explore']) assert.ok(subgoals.includes(s), s);
  const schema = planSchema(subgoals, ['player_1'], ['wood', 'iron']);
  const ok = parsePlanReply('Sure!\n```json\n{"goal": "tools", "subgoal": "collect_wood", "count": 3, "message": {"kind": "claim", "subgoal": "collect_wood"}}\n```', schema);
  assert.ok(ok.ok && ok.plan.subgoal === 'collect_wood' && ok.plan.count === 3);
  const bad = parsePlanReply('{"goal": "x", "subgoal": ', schema);
  assert.ok(!bad.ok && /not valid JSON/.test(bad.error));
  const wrong = parsePlanReply('{"goal": "x", "subgoal": "fly", "share": {"item": "wood", "to": "player_9"}}', schema);
  assert.ok(!wrong.ok && /subgoal/.test(wrong.error) && /share\.to/.test(wrong.error), !wrong.ok ? wrong.error : '');
  const msg = parsePlanReply('{"goal": "x", "subgoal": "explore", "message": {"kind": "shout"}}', schema);
  assert.ok(!msg.ok && /message/.test(msg.error));
});
