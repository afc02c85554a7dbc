import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../../core/simulation.js';
import { CrafterEnv } from '../../worlds/crafter/crafter-env.js';
import { crafterViewAdapter } from '../../worlds/crafter/crafter-view.js';
import { RandomController } from '../../agents/random-controller.js';
import { GraphMirror } from '../../viewer/server/graph-mirror.js';
import { serveSimulation } from '../../viewer/server/serve-simulation.js';
import { decodeEdge, decodeFrame, decodeNode, FrameSchema, SnapshotSchema } from '../../viewer/protocol.js';
import { TestViewer } from './support.js';

const agents = ['player_0', 'player_1'];

test('a snapshot carries at most the cap: every goal and agent node, then the newest others, and counts the rest', () => {
  const g = new GraphMirror();
  g.apply({ nodes: agents.map((a) => ({ id: `agent:${a}`, label: 'Agent', props: { name: a } })), edges: [] }, 0);
  for (let i = 0; i < 50; i++) {
    g.apply({
      nodes: [{ id: `place:${i}`, label: 'Place', props: { observer: agents[i % 2]!, x: i, y: 0 } }],
      edges: [{ id: `KNOWS:agent:player_0->place:${i}`, type: 'KNOWS', from: 'agent:player_0', to: `place:${i}`, props: { observer: 'player_0' } }],
    }, i + 1);
    if (i % 20 === 0) g.apply({ nodes: [{ id: `goal:${i}`, label: 'Goal', props: { agent: 'player_1', text: `goal ${i}` } }], edges: [] }, i + 1);
  }
  const snap = g.snapshot(10, agents);
  const keys = snap.nodes.map((w) => w[0]);
  assert.equal(snap.nodes.length, 10, 'the snapshot holds the cap');
  assert.equal(snap.omitted, g.nodes.size - 10, 'omitted counts the nodes left out');
  for (const k of ['agent:player_0', 'agent:player_1', 'goal:0', 'goal:20', 'goal:40']) assert.ok(keys.includes(k), `${k} (pinned) is in the snapshot`);
  assert.deepEqual(keys.filter((k) => k.startsWith('place:')).sort(), ['place:45', 'place:46', 'place:47', 'place:48', 'place:49'], 'the newest places fill the rest');
  for (const e of snap.edges.map(decodeEdge)) assert.ok(keys.includes(e.source) && keys.includes(e.target), `edge ${e.key} joins two sent nodes`);
  assert.equal(snap.edges.length, 5, 'the edges to the kept places');
  // The wire tuples decode to what the mirror holds, without the properties.
  for (const w of snap.nodes) {
    const n = decodeNode(w, agents);
    const { props: _props, ...want } = g.nodes.get(n.key)!.attributes;
    assert.deepEqual(n.attributes, want, `node ${n.key} decodes to the mirror's attributes`);
  }
  const e = decodeEdge(snap.edges[0]!);
  assert.ok(g.edges.has(e.key), 'an edge key derived from (type, source, target) is the store\'s id');
});

test('graph nodes go out as tuples without their facts; a nodeFacts request (read-only allowed) returns them', async () => {
  const env = new CrafterEnv({ players: 2, ruleset: 'mac', oneHot: false });
  const sim = new Simulation({ env, seed: 5, controllers: () => new RandomController() as never });
  const served = await serveSimulation({ sim, adapter: crafterViewAdapter(env) as never, maxFps: 50, graphEveryMs: 0, log: () => {} });
  const v = new TestViewer(served.server.viewUrl);
  const frames: unknown[] = [];
  v.socket.on('frame', (body, skipped) => frames.push(decodeFrame(body, skipped)));
  try {
    await v.until(() => v.picture !== null, 5000, 'snapshot');
    const props = { observer: 'player_1', what: 'tree', x: 3, y: 4, note: 'x'.repeat(200) };
    served.live.onGraphBatch({
      nodes: [{ id: 'sighting:1', label: 'Sighting', props }, { id: 'item:wood', label: 'Item', props: { name: 'wood' } }],
      edges: [{ id: 'OF:sighting:1->item:wood', type: 'OF', from: 'sighting:1', to: 'item:wood', props: { observer: 'player_1' } }, { id: 'SEEN_AT:sighting:1->item:wood#2', type: 'SEEN_AT', from: 'sighting:1', to: 'item:wood', props: {} }],
    });
    served.room.tick(true);
    await v.until(() => v.picture!.nodes.has('sighting:1') && v.picture!.edges.size === 2, 5000, 'the graph in a frame');
    const graphFrame = frames.find((f) => (f as { graph: { nodes: unknown[] } }).graph.nodes.length > 0)!;
    assert.ok(FrameSchema.safeParse(graphFrame).success, 'the frame validates against the protocol');
    assert.ok(!JSON.stringify(graphFrame).includes('xxxxxxxx'), 'a node\'s facts are not in the frame');
    const n = v.picture!.nodes.get('sighting:1')!;
    assert.deepEqual(n.attributes, { label: 'Sighting', level: 'spatial', agent: 'player_1', step: 0, valid: true, name: 'tree' });
    assert.ok(v.picture!.edges.has('OF:sighting:1->item:wood') && v.picture!.edges.has('SEEN_AT:sighting:1->item:wood#2'), 'derived and explicit edge keys');
    v.send({ id: 7, command: { type: 'nodeFacts', key: 'sighting:1' } });
    v.send({ id: 8, command: { type: 'nodeFacts', key: 'nothing:here' } });
    v.send({ id: 9, command: { type: 'nodeFacts', key: 'k'.repeat(500) } });
    await v.until(() => v.facts.length === 2 && v.errors.length === 1, 5000, 'two answers and one rejection');
    assert.deepEqual(v.facts[0], { key: 'sighting:1', props }, 'the facts as stored');
    assert.deepEqual(v.facts[1], { key: 'nothing:here', props: null }, 'an unknown node: null');
    assert.equal(v.errors[0]!.code, 'invalid', 'an over-long key is rejected');
    // A new viewer's snapshot carries the same graph as tuples, and validates.
    const late = new TestViewer(served.server.viewUrl);
    let raw: unknown;
    late.socket.on('snapshot', (s) => (raw = s));
    await late.until(() => late.picture !== null, 5000, 'the late snapshot');
    assert.ok(SnapshotSchema.safeParse(raw).success, 'the snapshot validates against the protocol');
    assert.deepEqual(late.picture!.nodes.get('sighting:1'), n, 'the snapshot decodes to the same node');
    late.close();
  } finally {
    v.close();
    await served.close();
    sim.close();
  }
});
