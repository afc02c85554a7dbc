import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmCallError, LlmClient, retryAfterMs } from '../../../agents/llm/llm-client.js';
import { parseLlmConfig } from '../../../agents/llm/llm-config.js';
import type { LlmConfigInput } from '../../../agents/llm/llm-config.js';
import { startLlmStubServer } from '../../../scripts/llm-stub-server.js';
import type { StubReply } from '../../../scripts/llm-stub-server.js';

const OK: StubReply = { content: '{"subgoal":"explore"}' };
const ask = (c: LlmClient, text: string, agent = 'player_0') =>
  c.complete({ agent, role: 'planner', purpose: 'plan', messages: [{ role: 'user', content: text }], seed: 1 });

async function withStub(replies: readonly StubReply[], cfg: Partial<LlmConfigInput>, fn: (c: LlmClient, s: Awaited<ReturnType<typeof startLlmStubServer>>, dir: string) => Promise<void>) {
  const s = await startLlmStubServer(replies);
  const dir = mkdtempSync(join(tmpdir(), 'canopy-llm-'));
  const client = new LlmClient(parseLlmConfig({ baseUrl: s.url, cacheDir: join(dir, 'cache'), backoffMs: 5, maxBackoffMs: 200, timeoutMs: 2000, ...cfg }), { apiKey: 'test', runDir: dir });
  try {
    await fn(client, s, dir);
  } finally {
    client.close();
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a valid reply is returned with its tokens, then served from the cache with no HTTP call', async () => {
  await withStub([OK], {}, async (c, s, dir) => {
    const a = await ask(c, 'hello');
    assert.equal(a.text, OK.content);
    assert.equal(a.cached, false);
    assert.ok(a.promptTokens > 0 && a.completionTokens > 0, 'usage fields are read from the reply');
    const b = await ask(c, 'hello');
    assert.equal(b.cached, true);
    assert.equal(b.text, a.text);
    assert.equal(s.requests.length, 1, 'the second identical call never reached the server');
    const u = c.summary().agents['player_0']!;
    assert.equal(u.calls, 2);
    assert.equal(u.httpCalls, 1);
    assert.equal(u.cacheHits, 1);
    assert.equal(u.promptTokens, a.promptTokens, 'cache hits add no tokens');
    const lines = readFileSync(join(dir, 'transcripts', 'player_0.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.cached), [false, true], 'both calls are in the transcript');
    assert.equal(lines[0].messages[0].content, 'hello');
    // The seed is part of the key: another seed is another question.
    await c.complete({ agent: 'player_0', role: 'planner', purpose: 'plan', messages: [{ role: 'user', content: 'hello' }], seed: 2 });
    assert.equal(s.requests.length, 2);
  });
});

test('429 with Retry-After and 500 are retried with backoff and counted; cost follows the configured price', async () => {
  await withStub([{ status: 429, headers: { 'retry-after': '0.05' } }, { status: 500 }, OK], { pricePer1kTokens: { input: 1, output: 2 } }, async (c, s) => {
    const r = await ask(c, 'x');
    assert.equal(r.text, OK.content);
    assert.equal(s.requests.length, 3);
    const u = c.summary().agents['player_0']!;
    assert.equal(u.retries, 2);
    assert.equal(u.rateLimited, 1);
    assert.equal(u.serverErrors, 1);
    assert.equal(u.failures, 0);
    assert.equal(u.cost, (u.promptTokens * 1 + u.completionTokens * 2) / 1000);
  });
});

test('Retry-After is honoured: the wait before the retry is the header\'s, not the backoff', async () => {
  const s = await startLlmStubServer([{ status: 429, headers: { 'retry-after': '3' } }, OK]);
  const waits: number[] = [];
  const c = new LlmClient(parseLlmConfig({ baseUrl: s.url, cacheDir: null, backoffMs: 5, maxBackoffMs: 10_000 }), { apiKey: 't', sleep: async (ms) => { waits.push(ms); } });
  try {
    await ask(c, 'x');
    assert.deepEqual(waits, [3000]);
  } finally {
    c.close();
    await s.close();
  }
  assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '250' })), 250);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000), 6_000);
  assert.equal(retryAfterMs(new Headers({})), undefined);
});

test('a reply slower than the timeout is a timeout, retried; after the last retry the call fails with LlmCallError', async () => {
  await withStub([{ ...OK, delayMs: 1500 }], { timeoutMs: 100, retries: 1 }, async (c) => {
    await assert.rejects(ask(c, 'slow'), (err: unknown) => err instanceof LlmCallError && err.kind === 'timeout');
    const u = c.summary().agents['player_0']!;
    assert.equal(u.timeouts, 2);
    assert.equal(u.retries, 1);
    assert.equal(u.failures, 1);
  });
});

test('a 400 is not retried', async () => {
  await withStub([{ status: 400 }], {}, async (c, s) => {
    await assert.rejects(ask(c, 'bad'), (err: unknown) => err instanceof LlmCallError && err.kind === 'client');
    assert.equal(s.requests.length, 1);
  });
});

test('the concurrency cap holds over every agent of the run', async () => {
  await withStub([{ ...OK, delayMs: 60 }], { concurrency: 2, cacheDir: null }, async (c, s) => {
    await Promise.all(Array.from({ length: 6 }, (_, i) => ask(c, `q${i}`, `player_${i}`)));
    assert.equal(s.requests.length, 6);
    assert.equal(s.maxConcurrent, 2, 'never more than 2 requests in flight');
  });
});

test('the request carries the configured model, sampling parameters, seed and JSON mode', async () => {
  await withStub([OK], { models: { planner: 'm1' }, maxTokens: 123, maxTokensField: 'max_completion_tokens', temperature: 0.5 }, async (c, s) => {
    await ask(c, 'params');
    const body = s.requests[0]!;
    assert.equal(body.model, 'm1');
    assert.equal(body['max_completion_tokens'], 123);
    assert.equal(body['max_tokens'], undefined);
    assert.equal(body['temperature'], 0.5);
    assert.equal(body['seed'], 1);
    assert.deepEqual(body['response_format'], { type: 'json_object' });
  });
});
