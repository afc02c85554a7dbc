// Back-pressure: when the store falls far behind, the write queue stops at its bound and a run given
// `pace: () => kg.backpressure()` waits for it, instead of queueing without end; once the store catches up the run
// goes on and every fact is written. The store here is a real GraphologyStore behind a gate that holds its writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../../core/simulation.js';
import { RandomController } from '../../agents/random-controller.js';
import { createNavigationEnv } from '../../worlds/navigation/index.js';
import { GraphologyStore } from '../../memory/graphology-store.js';
import { KnowledgeGraph, type KgStatus } from '../../memory/knowledge-graph.js';
import type { GraphStore, WriteBatch } from '../../memory/graph-store.js';

/** A graphology store whose writes wait until the gate opens (a server that stopped answering, then came back). */
class GatedStore implements GraphStore {
  readonly kind = 'graphology' as const;
  private open = false;
  private waiting: (() => void)[] = [];
  constructor(readonly inner: GraphologyStore) {}
  release(): void {
    this.open = true;
    for (const w of this.waiting.splice(0)) w();
  }
  async write(batch: WriteBatch): Promise<void> {
    if (!this.open) await new Promise<void>((ok) => this.waiting.push(ok));
    return this.inner.write(batch);
  }
  init = () => this.inner.init();
  getNode = (id: string) => this.inner.getNode(id);
  findNodes: GraphStore['findNodes'] = (l, m) => this.inner.findNodes(l, m);
  neighbors: GraphStore['neighbors'] = (id, t, d) => this.inner.neighbors(id, t, d);
  edgesOfType: GraphStore['edgesOfType'] = (t) => this.inner.edgesOfType(t);
  counts = () => this.inner.counts();
  dump = () => this.inner.dump();
  clear = () => this.inner.clear();
  close = () => this.inner.close();
}

const tick = () => new Promise<void>((ok) => setImmediate(ok));

test('a run paced by kg.backpressure() holds at the queue bound while the store is stuck, then finishes with every fact', async () => {
  const store = new GatedStore(new GraphologyStore());
  const maxQueued = 60;
  const kg = await KnowledgeGraph.open(store, { maxQueued, highWater: 15, batchSize: 10, flushDelayMs: 1 });
  const statuses: KgStatus[] = [];
  kg.status$.subscribe((s) => statuses.push(s));
  const env = createNavigationEnv({ layout: 'open-room', agents: 2 });
  const sim = new Simulation({ env, seed: 5, controllers: () => new RandomController() });
  let written = 0;
  // Three facts per step: one episodic event for each agent and one for the team.
  sim.transitions$.subscribe((t) => {
    for (const agent of ['player_0', 'player_1', 'team']) {
      kg.recordEvent({ agent, episode: t.episode, kind: 'other', name: `step ${t.step}` }, { observer: agent, step: t.step, scope: 'team', team: 'a' });
      written++;
    }
  });
  const running = sim.run({ steps: 300, pace: () => kg.backpressure() });

  // Let the run go until it stops making progress.
  let last = -1;
  let still = 0;
  for (let i = 0; i < 2000 && still < 30; i++) {
    await tick();
    still = sim.totalSteps === last ? still + 1 : 0;
    last = sim.totalSteps;
  }
  assert.ok(sim.totalSteps < 300, `the run should wait for the store, but took all ${sim.totalSteps} steps`);
  assert.ok(sim.totalSteps > 0, 'the run should step until the queue is full');
  // Records queued (NEXT edges included) stop within one step's writes of the bound.
  assert.ok(kg.queued >= maxQueued && kg.queued <= maxQueued + 6, `queued ${kg.queued}, bound ${maxQueued}`);
  assert.ok(statuses.some((s) => s.kind === 'queue-full'), 'queue-full was reported');

  store.release();
  const summary = await running;
  await kg.flush();
  assert.equal(summary.totalSteps, 300);
  assert.equal(written, 900);
  const events = (await store.inner.findNodes('Event')).length;
  assert.equal(events, written, 'every fact reached the store');
  assert.ok(statuses.some((s) => s.kind === 'queue-drained'), 'queue-drained was reported');
  await kg.close();
});
