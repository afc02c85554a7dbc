// `canopy run --memory neo4j` against a real Neo4j (NEO4J_URI when set, else a throwaway server started here): the
// run's graph lands in the database under the run folder's name and equals, fact for fact, the graph a graphology
// run of the same seed saves to memory.json.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readJson, runMain, tempDir } from './support/run-cli.js';
import { KnowledgeGraph } from '../../memory/knowledge-graph.js';
import { GraphologyStore } from '../../memory/graphology-store.js';
import { Neo4jStore, neo4jFromEnv } from '../../memory/neo4j-store.js';
import { startThrowawayNeo4j, type Neo4jServer } from '../../memory/neo4j-server.js';

const dir = tempDir('memory-neo4j');
type MemorySummary = { store: string; nodes: number; edges: number; contentHash: string; graph?: string; warnings: Record<string, number> };

describe('canopy run --memory neo4j', () => {
  let server: Neo4jServer | undefined;
  let uri: string;
  const saved = process.env.NEO4J_URI;
  before(async () => {
    const env = neo4jFromEnv();
    if (env) uri = env.uri;
    else {
      server = await startThrowawayNeo4j();
      uri = server.uri;
      process.env.NEO4J_URI = uri;
    }
  });
  after(async () => {
    if (saved === undefined) delete process.env.NEO4J_URI;
    else process.env.NEO4J_URI = saved;
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the run\'s graph in Neo4j, equal to the graphology run of the same seed', async () => {
    const args = (name: string, store: string) => ['run', '--world', 'crafter', '--rules', 'mac', '--agents', '2', '--agent', 'kg-planner',
      '--episodes', '1', '--seed', '4', '--out', join(dir, name), '--memory', store, '--quiet'];
    const g = await runMain(args('graphology', 'graphology'));
    assert.equal(g.code, 0, g.stderr);
    const n = await runMain(args('neo4j', 'neo4j'));
    assert.equal(n.code, 0, n.stderr);
    assert.equal(n.stderr, '', 'no store warnings on a healthy server');

    const gm = readJson(join(dir, 'graphology', 'summary.json'))['memory'] as MemorySummary;
    const nm = readJson(join(dir, 'neo4j', 'summary.json'))['memory'] as MemorySummary;
    assert.equal(nm.store, 'neo4j');
    assert.equal(nm.graph, basename(join(dir, 'neo4j')));
    assert.ok(gm.nodes > 100, `a real graph: ${gm.nodes} nodes`);
    assert.deepEqual([nm.nodes, nm.edges, nm.contentHash], [gm.nodes, gm.edges, gm.contentHash]);
    assert.deepEqual(readJson(join(dir, 'neo4j', 'summary.json'))['trajectoryHash'], readJson(join(dir, 'graphology', 'summary.json'))['trajectoryHash']);

    // Read back from the server after the run: the graph is there under the run's name, as the file holds it.
    const kg = await KnowledgeGraph.open(new Neo4jStore({ ...(neo4jFromEnv() ?? { uri }), graph: nm.graph as string }));
    const file = await KnowledgeGraph.open(GraphologyStore.load(join(dir, 'graphology', 'memory.json')));
    assert.equal(await kg.contentHash(), await file.contentHash());
    assert.deepEqual(await kg.events('player_0', 0), await file.events('player_0', 0));
    await kg.store.clear();
    await kg.close();
    await file.close();
  });
});
