import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, readJsonl, runMain, tempDir } from './support/run-cli.js';
import { GraphologyStore } from '../../memory/graphology-store.js';
import { KnowledgeGraph } from '../../memory/knowledge-graph.js';

const dir = tempDir('memory');
after(() => rmSync(dir, { recursive: true, force: true }));

type MemorySummary = { store: string; shared: boolean; nodes: number; edges: number; contentHash: string; file?: string };

describe('canopy run: the run\'s knowledge graph (--memory)', () => {
  const out = (name: string) => join(dir, name);
  const args = (name: string, ...extra: string[]) =>
    ['run', '--world', 'crafter', '--rules', 'mac', '--agents', '2', '--agent', 'scripted', '--episodes', '1', '--seed', '3', '--out', out(name), '--quiet', ...extra];
  before(async () => {
    for (const [name, extra] of [['a', []], ['b', []], ['private', ['--share-memory', 'off']], ['off', ['--memory', 'off']]] as const) {
      const res = await runMain(args(name, ...extra));
      assert.equal(res.code, 0, `${name}: ${res.stderr}`);
    }
  });

  it('is graphology by default, saved to memory.json, and summary.json counts what the file holds', async () => {
    const summary = readJson(join(out('a'), 'summary.json'));
    const mem = summary['memory'] as MemorySummary;
    assert.equal(mem.store, 'graphology');
    assert.equal(mem.shared, true);
    assert.equal(mem.file, 'memory.json');
    const kg = await KnowledgeGraph.open(GraphologyStore.load(join(out('a'), 'memory.json')));
    assert.deepEqual(await kg.counts(), { nodes: mem.nodes, edges: mem.edges });
    assert.equal(await kg.contentHash(), mem.contentHash);
    // The semantic level came from the mac rules: a diamond needs an iron pickaxe, which needs a furnace nearby only.
    const report = await kg.missingFor('diamond', {});
    assert.ok(report.missing.some((m) => m.name === 'iron_pickaxe'), `diamond's missing list: ${JSON.stringify(report.missing)}`);
    await kg.close();
  });

  it("records every agent's achievements in the episodic level, in step order, one per achievement stats.jsonl shows unlocked", async () => {
    const kg = await KnowledgeGraph.open(GraphologyStore.load(join(out('a'), 'memory.json')));
    const stats = readJsonl(join(out('a'), 'stats.jsonl'));
    let fromStats = 0;
    for (const line of stats) for (const [k, v] of Object.entries(line)) if (k.startsWith('achievement_') && (v as number) > 0) fromStats += 1;
    let fromGraph = 0;
    for (const agent of ['player_0', 'player_1']) {
      const events = await kg.events(agent, 0);
      assert.ok(events.length > 0, `${agent} has an episode`);
      for (let i = 1; i < events.length; i++) assert.ok(events[i]!.step >= events[i - 1]!.step, `${agent}'s events in step order`);
      fromGraph += events.filter((e) => e.kind === 'achievement').length;
    }
    assert.ok(fromStats > 0);
    assert.equal(fromGraph, fromStats, 'one achievement event per unlocked achievement');
    await kg.close();
  });

  it('runs kg-planner agents over the run\'s graph: places and sightings they wrote, messages in their episodes', async () => {
    const res = await runMain(['run', '--world', 'crafter', '--rules', 'mac', '--agents', '2', '--agent', 'kg-planner', '--episodes', '1', '--seed', '1',
      '--out', out('kgp'), '--quiet', '--events']);
    assert.equal(res.code, 0, res.stderr);
    const summary = readJson(join(out('kgp'), 'summary.json'));
    assert.equal(typeof summary['diamondSuccessRate'], 'number');
    const kg = await KnowledgeGraph.open(GraphologyStore.load(join(out('kgp'), 'memory.json')));
    const dump = await kg.store.dump();
    const labels = new Map<string, number>();
    for (const n of dump.nodes) labels.set(n.label, (labels.get(n.label) ?? 0) + 1);
    assert.ok((labels.get('Place') ?? 0) > 10, `places written: ${labels.get('Place')}`);
    assert.ok((labels.get('Sighting') ?? 0) > 0, 'sightings written');
    const delivered = readJsonl(join(out('kgp'), 'events.jsonl')).filter((e) => e['type'] === 'messageDelivered');
    const messageEvents = [...(await kg.events('player_0', 0)), ...(await kg.events('player_1', 0))].filter((e) => e.kind === 'message');
    assert.ok(delivered.length > 0, 'the planners talked');
    // Each delivered message is one event of its sender and one of each recipient (none for one in flight at the end).
    const expected = delivered.reduce((n, e) => n + 1 + ((e['data'] as { to: string[] }).to.length), 0);
    assert.equal(messageEvents.length, expected);
    await kg.close();
  });

  it('gives the same graph for the same seed, private facts with --share-memory off, and no graph with --memory off', () => {
    const mem = (name: string) => readJson(join(out(name), 'summary.json'))['memory'] as MemorySummary | undefined;
    assert.equal(mem('a')?.contentHash, mem('b')?.contentHash);
    assert.equal(mem('private')?.shared, false);
    assert.notEqual(mem('private')?.contentHash, mem('a')?.contentHash, 'scope is part of every fact');
    assert.equal(mem('private')?.nodes, mem('a')?.nodes);
    assert.equal(mem('off'), undefined);
    assert.equal(existsSync(join(out('off'), 'memory.json')), false);
    assert.equal(readJson(join(out('off'), 'config.json'))['memory'], 'off');
  });
});
