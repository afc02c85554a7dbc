// The shared knowledge-graph suite against a real Neo4j: NEO4J_URI when set, else a throwaway server started here
// (fetched from Maven Central on first use). A missing Java, Maven or download fails the test with what to install.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import neo4j from 'neo4j-driver';
import { Neo4jStore, neo4jFromEnv, type Neo4jStoreOptions } from '../../memory/neo4j-store.js';
import { startThrowawayNeo4j, type Neo4jServer } from '../../memory/neo4j-server.js';
import { KnowledgeGraph } from '../../memory/knowledge-graph.js';
import type { WriteBatch } from '../../memory/graph-store.js';
import { knowledgeGraphSuite } from './kg-suite.js';

describe('knowledge graph on Neo4j', () => {
  let server: Neo4jServer | undefined;
  let conn: Neo4jStoreOptions;
  const stores: Neo4jStore[] = [];
  // Each store is its own graph inside the database, so tests never see each other and a user's data is untouched.
  const run = `t${process.pid}-${Date.now()}`;

  before(async () => {
    const env = neo4jFromEnv();
    if (env) {
      conn = env;
    } else {
      server = await startThrowawayNeo4j();
      // neo4j:// exercises the driver's routing path against a single Community server.
      conn = { uri: `neo4j://127.0.0.1:${server.port}` };
    }
  }, { timeout: 120_000 });

  after(async () => {
    for (const s of stores) {
      const kg = new Neo4jStore({ ...conn, graph: s.graph });
      await kg.clear();
      await kg.close();
    }
    if (server) await server.stop();
  }, { timeout: 60_000 });

  const makeStore = async () => {
    const s = new Neo4jStore({ ...conn, graph: `${run}-${stores.length}` });
    stores.push(s);
    return s;
  };
  // Queries read Neo4j itself (one round trip per query) ...
  describe('queries on the server (localReads off)', () => knowledgeGraphSuite(makeStore, { localReads: false }));
  // ... and, the default on Neo4j, an in-process copy kept current by the graph's writes: the same answers.
  describe('queries on the local copy (localReads, the default)', () => knowledgeGraphSuite(makeStore));

  it('clear() removes its own graph only', async () => {
    const [a, b] = [new Neo4jStore({ ...conn, graph: `${run}-clear-a` }), new Neo4jStore({ ...conn, graph: `${run}-clear-b` })];
    stores.push(a, b);
    const kgs = [await KnowledgeGraph.open(a), await KnowledgeGraph.open(b)];
    for (const kg of kgs) kg.addPlace({ id: 'same-id', kind: 'room' }, { observer: 'x', step: 0, scope: 'private' });
    const before = await kgs[1]?.contentHash();
    await a.clear();
    assert.deepEqual(await a.counts(), { nodes: 0, edges: 0 });
    assert.deepEqual(await b.counts(), { nodes: 2, edges: 1 });
    assert.equal(await kgs[1]?.contentHash(), before);
    for (const kg of kgs) await kg.close();
  });

  it('a wrong "fresh" hint (a replayed batch, a second writer) gives what upserts give, no duplicate', async () => {
    const store = new Neo4jStore({ ...conn, graph: `${run}-fresh` });
    stores.push(store);
    const f = { observer: 'a', step: 1, scope: 'team', team: 't' };
    const batch: WriteBatch = {
      nodes: [
        { id: 'p', label: 'Place', props: { key: 'p', x: 1 } },
        { id: 's', label: 'Sighting', props: { ...f, what: 'tree', valid: true } },
      ],
      edges: [{ id: 'SEEN_AT:s->p', type: 'SEEN_AT', from: 's', to: 'p', props: {} }],
      fresh: new Set(['p', 's']),
    };
    await store.init();
    await store.write(batch);
    // The same batch again, still hinted fresh (as after a connection lost once the first had committed) ...
    await store.write(batch);
    // ... and a second writer that never saw 'p' (its hint is wrong for 'p', right for 'q') with an update of p.
    await store.write({
      nodes: [{ id: 'p', label: 'Place', props: { x: 2 } }, { id: 'q', label: 'Place', props: { key: 'q' } }],
      edges: [{ id: 'CONNECTS:p->q', type: 'CONNECTS', from: 'p', to: 'q', props: { cost: 1 } }],
      fresh: new Set(['p', 'q']),
    });
    assert.deepEqual(await store.counts(), { nodes: 3, edges: 2 }, 'every node and edge once');
    assert.deepEqual((await store.getNode('p'))?.props, { key: 'p', x: 2 }, 'the later write wins, as an upsert');
    await store.close();
  });

  it('creates its constraint and indexes, and batches many writes', async () => {
    const store = new Neo4jStore({ ...conn, graph: `${run}-batch` });
    stores.push(store);
    const kg = await KnowledgeGraph.open(store, { batchSize: 500 });
    for (let i = 0; i < 3000; i++) kg.recordEvent({ agent: 'a', episode: 0, kind: 'other', name: `e${i}` }, { observer: 'a', step: i, scope: 'private' });
    assert.deepEqual(await kg.counts(), { nodes: 3000, edges: 2999 });
    const events = await kg.events('a', 0);
    assert.deepEqual([events[0]?.name, events[2999]?.name], ['e0', 'e2999']);
    const driver = neo4j.driver(conn.uri, conn.user && conn.password ? neo4j.auth.basic(conn.user, conn.password) : undefined);
    try {
      const res = await driver.executeQuery('SHOW CONSTRAINTS YIELD name, type RETURN name, type');
      assert.ok(res.records.some((r) => r.get('name') === 'kg_uid' && r.get('type') === 'UNIQUENESS'));
      const idx = await driver.executeQuery('SHOW INDEXES YIELD name RETURN collect(name) AS names');
      const names = idx.records[0]?.get('names') as string[];
      for (const n of ['kg_graph', 'kg_sighting_graph', 'kg_rel_connects']) assert.ok(names.includes(n), n);
    } finally {
      await driver.close();
    }
    await store.close();
  });
});
