// Knowledge-graph write cost: what the simulation pays per recorded fact (enqueue only) and how fast the queue
// drains into each store. Usage: node --import tsx bench/kg-writes.ts [events]   (Neo4j when NEO4J_URI is set)
import { KnowledgeGraph } from '../memory/knowledge-graph.js';
import { GraphologyStore } from '../memory/graphology-store.js';
import { Neo4jStore, neo4jFromEnv } from '../memory/neo4j-store.js';
import type { GraphStore } from '../memory/graph-store.js';
import { writeFacts } from './support/kg-facts.js';

const n = Number(process.argv[2] ?? 20_000);
const batchSize = process.argv[3] ? Number(process.argv[3]) : undefined;

async function bench(name: string, store: GraphStore): Promise<void> {
  const kg = await KnowledgeGraph.open(store, batchSize ? { batchSize } : {});
  const t0 = performance.now();
  writeFacts(kg, n, 4);
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
