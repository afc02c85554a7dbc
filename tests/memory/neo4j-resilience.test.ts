// Nothing is lost when Neo4j dies mid-run: a navigation run feeds a knowledge graph on a real Neo4j server and a
// twin on graphology with the same writes; the server is SIGKILLed mid-run and the simulation keeps stepping while
// writes queue; the server is restarted on the same data; at the end both graphs hold the same facts.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../../core/simulation.js';
import { createNavigationEnv } from '../../worlds/navigation/index.js';
import { createTeamControllers } from '../../agents/index.js';
import { KnowledgeGraph, type KgStatus } from '../../memory/knowledge-graph.js';
import { GraphologyStore } from '../../memory/graphology-store.js';
import { Neo4jStore } from '../../memory/neo4j-store.js';
import { startThrowawayNeo4j, type Neo4jServer } from '../../memory/neo4j-server.js';
import { NavRecorder } from './support/nav-recorder.js';

let server: Neo4jServer;
before(async () => { server = await startThrowawayNeo4j(); }, { timeout: 120_000 });
after(async () => { await server.stop(); }, { timeout: 60_000 });

const pause = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

it('a Neo4j server killed and restarted mid-run loses no fact: the graph equals its graphology twin', { timeout: 150_000 }, async () => {
  const store = new Neo4jStore({ uri: server.uri, graph: 'resilience', connectionTimeoutMs: 1000 });
  // Small marks so that an outage of a few seconds crosses them; short backoff cap so the test reconnects soon.
  const neo = await KnowledgeGraph.open(store, { batchSize: 500, highWater: 300, maxQueued: 2000, retryBaseMs: 50, retryMaxMs: 500 });
  const twin = await KnowledgeGraph.open(new GraphologyStore());
  const status: KgStatus[] = [];
  neo.status$.subscribe((s) => { status.push(s); if (process.env.KG_DEBUG) console.error(Date.now(), s); });
  try {

  const env = createNavigationEnv({ layout: 'key-door', width: 15, height: 11, agents: 2, maxSteps: 120 });
  const recorder = new NavRecorder([neo, twin], env.config.viewSize);
  const team = createTeamControllers('explorer', env.possibleAgents, { shareMap: true });
  const sim = new Simulation({ env, seed: 11, controllers: (a) => recorder.wrap(team[a] as NonNullable<(typeof team)[string]>) });
  sim.events$.subscribe((e) => recorder.onEvent(e));

  // Steps in slices, with a turn for the event loop between them (a real run yields too).
  let steps = 0;
  const slice = async (n: number, ms = 5) => { for (let i = 0; i < n; i++) { steps += sim.runSync({ steps: 10 }).steps; await pause(ms); } };

  await slice(4);
  await neo.flush();
  const before = recorder.writes;
  assert.ok(before > 0);

  if (process.env.KG_DEBUG) console.error(Date.now(), 'kill');
  await server.kill();
  const stepsAtKill = steps;
  // Keep stepping until the queue has noticed the outage (the driver may take a moment to see the socket close).
  const kinds = () => status.map((s) => s.kind);
  const t0 = Date.now();
  do await slice(1, 100); while (!kinds().includes('unavailable') && Date.now() - t0 < 20_000);
  assert.ok(steps >= stepsAtKill + 10, 'the simulation kept stepping while the server was down');
  assert.ok(recorder.writes > before, 'facts kept coming while the server was down');
  assert.ok(neo.queued > 0, 'writes are queued, not lost');
  assert.ok(kinds().includes('unavailable'), `unavailable reported: ${kinds().join(',')}`);
  assert.ok(kinds().includes('queue-high'), `queue-high reported: ${kinds().join(',')}`);

  server = await server.restart();
  if (process.env.KG_DEBUG) console.error(Date.now(), 'restarted');
  await slice(4);
  sim.close();
  await neo.flush();
  assert.ok(kinds().includes('reconnected'), `reconnected reported: ${kinds().join(',')}`);
  assert.equal(neo.queued, 0);

  const [a, b] = [await neo.counts(), await twin.counts()];
  assert.ok(b.nodes > 50 && b.edges > 50, JSON.stringify(b));
  assert.deepEqual(a, b);
  assert.equal(await neo.contentHash(), await twin.contentHash());
  } finally {
    // Without a flush: if an assertion failed while the server is down, waiting for the queue would never end.
    await neo.close({ flush: false });
    await twin.close();
  }
});
