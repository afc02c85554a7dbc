import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, runMain, tempDir } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { followListedPlan, startLlmStubServer } from '../../scripts/llm-stub-server.js';
import type { LlmStubServer, StubScript } from '../../scripts/llm-stub-server.js';

type LlmTotals = { calls: number; httpCalls: number; cacheHits: number; promptTokens: number; completionTokens: number; cost: number; fallbacks: number; repairs: number };
type Summary = { status: string; trajectoryHash: string; llm: { agents: Record<string, LlmTotals>; total: LlmTotals; events: Record<string, number> } };

describe('canopy run --agent llm', () => {
  const dir = tempDir('llm');
  let server: LlmStubServer;
  const runs: Record<string, CliResult> = {};
  const requests: Record<string, number> = {};
  // Valid plans, except that every fifth answer is not JSON (a repair follows).
  const script: StubScript = (req, i) => (i % 5 === 4 ? { content: 'let me think' } : followListedPlan(req, i));
  const args = (out: string) => ['run', '--world', 'crafter', '--rules', 'mac', '--agents', '2', '--agent', 'llm', '--steps', '30', '--seed', '7',
    '--llm-base-url', server.url, '--llm-model', 'stub-model', '--config', join(dir, 'llm.yaml'), '--out', join(dir, out), '--quiet'];
  before(async () => {
    server = await startLlmStubServer(script);
    writeFileSync(join(dir, 'llm.yaml'), `llm:\n  cacheDir: ${join(dir, 'cache')}\n  pricePer1kTokens: { input: 1, output: 2 }\n  backoffMs: 5\n`);
    runs.a = await runMain(args('a'));
    requests.a = server.requests.length;
    runs.b = await runMain(args('b'));
    requests.b = server.requests.length - requests.a;
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('completes, counts tokens, cost and repairs per agent in summary.json, and writes transcripts', () => {
    assert.equal(runs.a!.code, 0, runs.a!.stderr);
    const s = readJson(join(dir, 'a', 'summary.json')) as unknown as Summary;
    assert.equal(s.status, 'completed');
    assert.equal(s.llm.total.httpCalls, requests.a);
    assert.ok(s.llm.total.promptTokens > 0);
    assert.equal(s.llm.total.cost, (s.llm.total.promptTokens + 2 * s.llm.total.completionTokens) / 1000);
    assert.ok(s.llm.total.repairs >= 1, 'the non-JSON answers were repaired');
    assert.equal(s.llm.events['llmRepair'], s.llm.total.repairs);
    assert.deepEqual(Object.keys(s.llm.agents).sort(), ['player_0', 'player_1']);
    const cfg = readJson(join(dir, 'a', 'config.json')) as { llm: { models: { planner: string }; baseUrl: string } };
    assert.equal(cfg.llm.models.planner, 'stub-model');
    assert.ok(server.requests.every((r) => r.model === 'stub-model'));
    for (const agent of ['player_0', 'player_1']) {
      const file = join(dir, 'a', 'transcripts', `${agent}.jsonl`);
      assert.ok(existsSync(file));
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text?: string; event?: { type: string } });
      assert.equal(lines.filter((l) => l.event === undefined).length, s.llm.agents[agent]!.calls);
      assert.equal(lines.filter((l) => l.event?.type === 'llmRepair').length, s.llm.agents[agent]!.repairs);
    }
  });

  it('a rerun is served from the cache: zero HTTP calls, zero cost, the same trajectory', () => {
    assert.equal(runs.b!.code, 0, runs.b!.stderr);
    const a = readJson(join(dir, 'a', 'summary.json')) as unknown as Summary;
    const b = readJson(join(dir, 'b', 'summary.json')) as unknown as Summary;
    assert.equal(requests.b, 0);
    assert.equal(b.llm.total.httpCalls, 0);
    assert.equal(b.llm.total.cost, 0);
    assert.equal(b.llm.total.calls, a.llm.total.calls);
    assert.equal(b.trajectoryHash, a.trajectoryHash);
  });

  it('refuses a bad llm section and a template with an unknown placeholder, in one line', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'llm:\n  timeoutMs: -3\n');
    const bad = await runMain(['run', '--world', 'crafter', '--agent', 'llm', '--config', join(dir, 'bad.yaml'), '--out', join(dir, 'bad'), '--quiet']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.yaml: llm\.timeoutMs/);
    writeFileSync(join(dir, 'planner.md'), 'Step {{step}}, inventory {{inventroy}}');
    writeFileSync(join(dir, 'tpl.yaml'), `llm:\n  promptsDir: ${dir}\n  baseUrl: ${server.url}\n`);
    const tpl = await runMain(['run', '--world', 'crafter', '--agent', 'llm', '--steps', '5', '--config', join(dir, 'tpl.yaml'), '--out', join(dir, 'tpl'), '--quiet']);
    assert.equal(tpl.code, 2);
    assert.match(tpl.stderr, /planner\.md: unknown placeholder \{\{inventroy\}\}/);
    // OpenAI's own URL without a key: refused before the run starts.
    writeFileSync(join(dir, 'nokey.yaml'), 'llm:\n  apiKeyEnv: CANOPY_TEST_SURELY_UNSET_KEY\n');
    const nokey = await runMain(['run', '--world', 'crafter', '--agent', 'llm', '--config', join(dir, 'nokey.yaml'), '--out', join(dir, 'nokey'), '--quiet']);
    assert.equal(nokey.code, 2);
    assert.match(nokey.stderr, /set CANOPY_TEST_SURELY_UNSET_KEY to your API key for https:\/\/api\.openai\.com\/v1/);
    for (const name of ['bad', 'tpl', 'nokey']) assert.equal(existsSync(join(dir, name)), false, `${name}: no folder is left behind`);
  });
});
