import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { followListedPlan, startLlmStubServer } from '../../../scripts/llm-stub-server.js';
import type { StubReply, StubScript } from '../../../scripts/llm-stub-server.js';
import { runLlmTeam, tempDir } from './support.js';

test('LLM agents follow valid plans through the kernel; a rerun is served from the cache with the same trajectory', async () => {
  const s = await startLlmStubServer(followListedPlan);
  const dir = tempDir();
  try {
    const a = await runLlmTeam({ url: s.url, dir, agents: 2, steps: 50, seed: 3 });
    assert.equal(a.status, 'completed');
    assert.equal(a.agentFailed, 0);
    const plans = a.events.filter((e) => e.type === 'llmPlan');
    assert.ok(plans.length >= 4, `only ${plans.length} plans in 50 steps`);
    assert.ok(plans.some((p) => p.subgoal === 'collect_wood'), 'the listed plan starts with wood');
    assert.equal(a.events.filter((e) => e.type === 'llmFallback').length, 0);
    // Each plan is a goal in the graph (teammates read them as intents); finished ones are not left active.
    assert.ok((a.goalStatus['done'] ?? 0) >= 2, JSON.stringify(a.goalStatus));
    assert.ok((a.goalStatus['active'] ?? 0) <= 1, JSON.stringify(a.goalStatus));
    const total = a.client.summary().total;
    assert.equal(total.httpCalls, s.requests.length);
    assert.ok(total.promptTokens > 0 && total.completionTokens > 0);
    // Transcripts: one file per agent that asked, every call in it.
    for (const agent of ['player_0', 'player_1']) {
      const file = join(dir, 'run', 'transcripts', `${agent}.jsonl`);
      assert.ok(existsSync(file), `no transcript for ${agent}`);
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(lines.length, a.client.summary().agents[agent]!.calls);
      assert.match(lines[0].messages[1].content, /Next steps:/);
    }
    const before = s.requests.length;
    const b = await runLlmTeam({ url: s.url, dir, agents: 2, steps: 50, seed: 3 });
    assert.equal(s.requests.length, before, 'the rerun sent no HTTP request');
    assert.equal(b.client.summary().total.httpCalls, 0);
    assert.equal(b.client.summary().total.cacheHits, b.client.summary().total.calls);
    assert.equal(b.hash, a.hash, 'the rerun repeated the trajectory');
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('malformed JSON and a wrong schema get repair prompts; replies that stay invalid hand over to the kg-planner', async () => {
  // player_0 gets garbage first then a valid plan; player_1 never gets a valid plan.
  const script: StubScript = (req) => {
    const who = /You are (player_\d+)/.exec(req.messages[0]!.content)?.[1];
    const repairs = req.messages.filter((m) => m.role === 'assistant').length;
    if (who === 'player_0') {
      if (repairs === 0) return { content: '{"goal": "wood", "subgoal": ' };
      if (repairs === 1) return { content: '{"goal": "wood", "subgoal": "fly_to_moon"}' };
      return followListedPlan(req, 0);
    }
    return { content: 'I think I will collect some wood.' };
  };
  const s = await startLlmStubServer(script);
  const dir = tempDir();
  try {
    const r = await runLlmTeam({ url: s.url, dir, agents: 2, steps: 60, seed: 4, llm: { repairs: 2, failSafeSteps: 20 } });
    assert.equal(r.status, 'completed');
    assert.equal(r.agentFailed, 0);
    const u = r.client.summary().agents;
    assert.ok(u['player_0']!.repairs >= 2 && u['player_0']!.invalid >= 2, JSON.stringify(u['player_0']));
    assert.equal(u['player_0']!.fallbacks, 0, 'player_0 was repaired every time');
    assert.ok(u['player_1']!.fallbacks >= 1);
    assert.equal(u['player_1']!.repairs, 2 * u['player_1']!.fallbacks, 'two repairs before each fallback');
    const fb = r.events.filter((e) => e.type === 'llmFallback');
    assert.ok(fb.every((e) => e.agent === 'player_1' && /invalid reply/.test(e.reason)));
    // The repair prompt carried the validation error back to the model.
    const repair = s.requests.find((q) => q.messages.length === 4)!;
    assert.match(repair.messages[3]!.content, /could not be used/);
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('timeouts, 429 and 500 past the retries fall back to the kg-planner; the run completes', async () => {
  const replies: StubReply[] = [{ status: 429, headers: { 'retry-after': '0' } }, { status: 500 }, { content: '{}', delayMs: 1500 }];
  const s = await startLlmStubServer((_req, i) => replies[i % 3]!);
  const dir = tempDir();
  try {
    const r = await runLlmTeam({ url: s.url, dir, agents: 1, steps: 40, seed: 5, llm: { timeoutMs: 150, retries: 1, failSafeSteps: 15 } });
    assert.equal(r.status, 'completed');
    assert.equal(r.steps, 40);
    const u = r.client.summary().agents['player_0']!;
    assert.ok(u.fallbacks >= 1, JSON.stringify(u));
    assert.ok(u.retries >= 1 && u.failures >= 1);
    assert.equal(u.rateLimited + u.serverErrors + u.timeouts, u.httpCalls, 'every HTTP call failed one way or another');
    assert.ok(r.events.some((e) => e.type === 'llmFallback' && /LLM call failed/.test(e.reason)));
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('realtime: the world goes on while an agent thinks (late steps take the default action), then plans land', async () => {
  const s = await startLlmStubServer((req, i) => ({ ...followListedPlan(req, i), delayMs: 120 }));
  const dir = tempDir();
  try {
    const r = await runLlmTeam({ url: s.url, dir, agents: 1, steps: 40, seed: 6, realtime: { stepsPerSecond: 40, deadlineMs: 15 } });
    assert.equal(r.status, 'completed');
    assert.equal(r.steps, 40, 'every step was taken, thinking or not');
    assert.ok(r.agentLate >= 3, `only ${r.agentLate} late steps while 120 ms replies were awaited`);
    assert.ok(r.events.filter((e) => e.type === 'llmPlan').length >= 2, 'plans landed and were adopted');
    assert.equal(r.agentFailed, 0);
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a communicator model writes the team messages; teammates see the claims in their next prompts', async () => {
  const s = await startLlmStubServer((req, i) => (req.model === 'talker'
    ? { content: '{"message": {"kind": "claim", "subgoal": "collect_wood"}}' }
    : followListedPlan(req, i)));
  const dir = tempDir();
  try {
    const r = await runLlmTeam({ url: s.url, dir, agents: 2, steps: 30, seed: 8, llm: { models: { planner: 'thinker', communicator: 'talker' } } });
    assert.equal(r.status, 'completed');
    const talk = s.requests.filter((q) => q.model === 'talker');
    assert.ok(talk.length >= 2, 'the communicator was asked after plans');
    assert.match(talk[0]!.messages[0]!.content, /You just chose the subgoal/);
    const heard = s.requests.filter((q) => q.model === 'thinker' && /claimed collect_wood/.test(q.messages[1]!.content));
    assert.ok(heard.length >= 1, 'a later plan prompt shows a teammate\'s claim');
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
