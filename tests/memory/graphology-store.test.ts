import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { GraphologyStore } from '../../memory/graphology-store.js';
import { KnowledgeGraph } from '../../memory/knowledge-graph.js';
import { feed, knowledgeGraphSuite } from './kg-suite.js';

describe('knowledge graph on graphology', () => {
  knowledgeGraphSuite(async () => new GraphologyStore());

  it('saves to a file and loads back the same graph, and keeps recording after loading', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-kg-'));
    try {
      const store = new GraphologyStore();
      const kg = await KnowledgeGraph.open(store);
      feed(kg, 3);
      kg.recordEvent({ agent: 'a0', episode: 5, kind: 'message', text: 'hello' }, { observer: 'a0', step: 1, scope: 'team', team: 'red' });
      const hash = await kg.contentHash();
      const file = join(dir, 'kg.json');
      await store.save(file);
      const back = await KnowledgeGraph.open(GraphologyStore.load(file));
      assert.equal(await back.contentHash(), hash);
      back.recordEvent({ agent: 'a0', episode: 5, kind: 'message', text: 'again' }, { observer: 'a0', step: 2, scope: 'team', team: 'red' });
      assert.deepEqual((await back.events('a0', 5)).map((e) => [e.seq, e.text]), [[0, 'hello'], [1, 'again']]);
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ format: 'canopy-kg', version: 1, nodes: [{ id: 'x', label: 'Nope', props: {} }], edges: [] }));
      assert.throws(() => GraphologyStore.load(join(dir, 'bad.json')), /bad\.json: nodes\.0\.label/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failed batch changes nothing and the error surfaces on flush', async () => {
    const store = new GraphologyStore();
    await store.write({ nodes: [{ id: 'a', label: 'Item', props: { name: 'a' } }], edges: [] });
    await assert.rejects(store.write({ nodes: [{ id: 'b', label: 'Item', props: {} }], edges: [{ id: 'e', type: 'NEXT', from: 'b', to: 'zz', props: {} }] }), /endpoint zz/);
    await assert.rejects(store.write({ nodes: [{ id: 'c', label: 'Item', props: { uid: 'x' } }], edges: [] }), /reserved/);
    assert.deepEqual((await store.dump()).nodes.map((n) => n.id), ['a', 'b']);
  });
});
