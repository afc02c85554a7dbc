// Knowledge-graph write cost: what the simulation pays per recorded fact (enqueue only) and how fast the queue
// drains into each store. Usage: node --import tsx bench/kg-writes.ts [events]   (Neo4j when NEO4J_URI is set)
import { KnowledgeGraph } from '../memory/knowledge-graph.js';
import { GraphologyStore } from '../memory/graphology-store.js';
import { Neo4jStore, neo4jFromEnv } from '../memory/neo4j-store.js';
import type { GraphStore } from '../memory/graph-store.js';

const n = Number(process.argv[2] ?? 20_000);

async function bench(name: string, store: GraphStore): Promise<void> {
  const kg = await KnowledgeGraph.open(store);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const f = { observer: `a${i % 4}`, step: i, scope: 'team' as const, team: 'red' };
    kg.recordEvent({ agent: f.observer, episode: 0, kind: 'collect', name: 'collect_wood' }, f);
    if (i % 10 === 0) kg.sight({ what: 'tree', kind: 'material', place: `${i % 64},${(i >> 6) % 64}` }, f);
  }
  const t1 = performance.now();
  await kg.flush();
  const t2 = performance.now();
  const c = await kg.counts();
  console.log(`${name}: ${n} events + ${n / 10} sightings; enqueue ${((t1 - t0) * 1000 / n).toFixed(2)} us/event, ` +
    `drain ${(t2 - t1).toFixed(0)} ms (${Math.round((c.nodes + c.edges) / ((t2 - t1) / 1000))} records/s); ${c.nodes} nodes, ${c.edges} edges`);
  await store.clear();
  await kg.close();
}

await bench('graphology', new GraphologyStore());
const env = neo4jFromEnv();
if (env) await bench('neo4j', new Neo4jStore({ ...env, graph: `bench-${Date.now()}` }));
