import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../../core/simulation.js';
import { CrafterEnv } from '../../worlds/crafter/crafter-env.js';
import { loadRules } from '../../worlds/crafter/rules.js';
import { crafterViewAdapter } from '../../worlds/crafter/crafter-view.js';
import { RandomController } from '../../agents/random-controller.js';
import { ViewerRoom } from '../../viewer/server/viewer-room.js';
import type { RoomClient } from '../../viewer/server/viewer-room.js';
import { LiveSource } from '../../viewer/server/live-source.js';
import { ClientPicture } from '../../viewer/client-picture.js';
import type { Frame } from '../../viewer/protocol.js';
import { decodeFrame, packCells, unpackCells } from '../../viewer/protocol.js';

/** A viewer in the test's hands: it rebuilds the picture from the snapshot and every frame (which must apply). */
function testClient(): { client: RoomClient; frames: Frame[]; picture: () => ClientPicture } {
  let current: ClientPicture | null = null;
  const frames: Frame[] = [];
  const client: RoomClient = {
    base: null, graphVersion: 0, eventVersion: 0, metricVersion: 0, inFlight: false, skipped: 0, needSnapshot: true,
    sendSnapshot: (s) => (current = new ClientPicture(s)),
    sendFrame: (out, done) => {
      const f = decodeFrame(out.bytes(), out.frame.skipped);
      assert.deepEqual(f, out.frame, 'the wire bytes decode to the frame');
      frames.push(f);
      current!.apply(f); // throws on a sequence number that does not grow
      done();
    },
  };
  return { client, frames, picture: () => current! };
}

test('a room sends frames with growing sequence numbers for world steps, graph-only changes and events alike', () => {
  const env = new CrafterEnv({ players: 2, oneHot: false });
  const sim = new Simulation({ env, seed: 2, controllers: () => new RandomController() as never });
  let live!: LiveSource<unknown>;
  const room = new ViewerRoom('t', (r) => (live = new LiveSource({ sim, adapter: crafterViewAdapter(env) as never, seed: 2 }, r)), { graphEveryMs: 0, cpuShare: 1 });
  const { client, frames, picture } = testClient();
  room.add(client);
  sim.runSync({ steps: 3 });
  room.tick();
  live.onGraphBatch({ nodes: [{ id: 'goal:player_0:g1', label: 'Goal', props: { agent: 'player_0', level: 'long-term', text: 'collect a diamond', status: 'active' } }], edges: [] });
  room.tick();
  live.onGraphBatch({ nodes: [{ id: 'goal:player_0:g1', label: 'Goal', props: { step: 9 } }], edges: [] });
  room.tick();
  sim.runSync({ steps: 2 });
  room.tick();
  assert.ok(frames.length >= 3, `frames were sent (${frames.length})`);
  for (let i = 1; i < frames.length; i++) assert.ok(frames[i]!.seq > frames[i - 1]!.seq, 'sequence numbers grow');
  assert.equal(picture().nodes.get('goal:player_0:g1')?.attributes.name, 'collect a diamond', 'the graph node arrived');
  assert.equal(picture().agents.find((a) => a.id === 'player_0')?.goal, 'collect a diamond', "the active long-term Goal is the agent's goal");
  assert.equal(frames.filter((f) => f.graph.nodes.length > 0).length, 1, 'a refresh of bookkeeping (step) alone is not sent');
  assert.equal(picture().worldStep, env.state().step);
  live.close();
  sim.close();
});

test('viewers at the same base share one frame body, encoded once; a slow viewer gets its own catch-up frame', () => {
  const env = new CrafterEnv({ players: 2, oneHot: false });
  const sim = new Simulation({ env, seed: 4, controllers: () => new RandomController() as never });
  let clock = 1000;
  let live!: LiveSource<unknown>;
  const room = new ViewerRoom('t', (r) => (live = new LiveSource({ sim, adapter: crafterViewAdapter(env) as never, seed: 4 }, r)), { cpuShare: 1, graphEveryMs: 100, now: () => clock });
  const fast = Array.from({ length: 4 }, () => testClient());
  const sent: Uint8Array[][] = fast.map(() => []);
  fast.forEach((t, i) => {
    const send = t.client.sendFrame;
    t.client.sendFrame = (out, done) => {
      sent[i]!.push(out.bytes());
      send(out, done);
    };
    room.add(t.client);
    clock += 37; // connected at different times: their graph periods still line up
  });
  // The slow viewer holds its frame until told to ack.
  const slow = testClient();
  let release: (() => void) | null = null;
  const slowSend = slow.client.sendFrame;
  slow.client.sendFrame = (out, done) => slowSend(out, () => (release = done));
  room.add(slow.client);
  let bodies = room.bodiesBuilt;
  for (let round = 0; round < 6; round++) {
    sim.runSync({ steps: 2 });
    live.onGraphBatch({ nodes: [{ id: `place:${round}`, label: 'Place', props: { x: round, y: 0 } }], edges: [] });
    clock += 60;
    room.tick();
    const built = room.bodiesBuilt - bodies;
    bodies = room.bodiesBuilt;
    // Round 0: the slow viewer takes its first frame with the others; later it is busy and gets nothing.
    assert.equal(built, 1, `round ${round}: one body for every viewer that took a frame (built ${built})`);
    const last = sent.map((s) => s.at(-1)!);
    assert.ok(last.every((b) => b === last[0]), `round ${round}: the same bytes object went to every fast viewer`);
  }
  const state = crafterViewAdapter(env).view(env.state());
  for (const t of fast) {
    assert.deepEqual(t.picture().cells, state.cells, 'every fast viewer rebuilt the map');
    assert.equal(t.picture().nodes.size, fast[0]!.picture().nodes.size, 'and the same graph');
  }
  assert.ok(fast[0]!.frames.filter((f) => f.graph.nodes.length > 0).length >= 2, 'graph changes went out in the shared frames');
  assert.equal(slow.frames.length, 1, 'the slow viewer got one frame while busy');
  release!();
  room.tick(true);
  assert.equal(slow.frames.length, 2, 'once it acked, one catch-up frame');
  assert.ok(slow.frames[1]!.skipped > 0, `that frame says how many it skipped (${slow.frames[1]!.skipped})`);
  assert.equal(fast[0]!.frames.at(-1)!.skipped, 0, 'the fast viewers skipped none');
  assert.deepEqual(slow.picture().cells, state.cells, 'the catch-up frame rebuilds the map');
  live.close();
  sim.close();
});

test('a frame across a new map carries every cell packed; small changes stay pairs; the client rebuilds the map exactly', () => {
  assert.deepEqual(unpackCells(packCells([0, 1, 7, 255])!, 4), [0, 1, 7, 255], 'pack and unpack round trip');
  assert.equal(packCells([3, 256]), null, 'a value over a byte does not pack');
  assert.throws(() => unpackCells(packCells([1, 2, 3])!, 4), /3 cells, expected 4/);

  const env = new CrafterEnv({ players: 2, oneHot: false, rules: loadRules({ overrides: { 'world.length': 20 } }) });
  const sim = new Simulation({ env, seed: 5, controllers: () => new RandomController() as never });
  let live!: LiveSource<unknown>;
  const room = new ViewerRoom('t', (r) => (live = new LiveSource({ sim, adapter: crafterViewAdapter(env) as never, seed: 5 }, r)), { cpuShare: 1 });
  const { client, frames, picture } = testClient();
  sim.runSync({ steps: 1 });
  room.add(client);
  sim.runSync({ steps: 1 });
  room.tick();
  const small = frames.at(-1)!;
  assert.equal(small.allCells, undefined, 'one step changes few cells: pairs');
  assert.deepEqual(picture().cells, crafterViewAdapter(env).view(env.state()).cells, 'the pairs rebuild the map');
  sim.runSync({ steps: 25 }); // past the 20-step episode: a new map
  room.tick();
  const whole = frames.at(-1)!;
  assert.equal(typeof whole.allCells, 'string', 'a new map goes out packed');
  assert.deepEqual(whole.cells, [], 'and without pairs');
  assert.equal(whole.allCells!.length, Math.ceil(picture().cells.length / 3) * 4, 'one byte a cell, base64');
  assert.deepEqual(picture().cells, crafterViewAdapter(env).view(env.state()).cells, 'the packed map rebuilds it');
  live.close();
  sim.close();
});

test('the room keeps its frame work within its share of a saturated thread, and keeps its rate when the thread has idle time', () => {
  const env = new CrafterEnv({ players: 2, oneHot: false });
  const sim = new Simulation({ env, seed: 3, controllers: () => new RandomController() as never });
  let clock = 0;
  let saturated = true;
  let live!: LiveSource<unknown>;
  const room = new ViewerRoom('t', (r) => {
    live = new LiveSource({ sim, adapter: crafterViewAdapter(env) as never, seed: 3 }, r);
    const view = live.view.bind(live);
    live.view = () => {
      clock += 4; // every capture "takes" 4 ms on the room's clock
      return view();
    };
    return live;
  }, { cpuShare: 0.1, now: () => clock, busy: () => saturated });
  let frames = 0;
  room.add({
    base: null, graphVersion: 0, eventVersion: 0, metricVersion: 0, inFlight: false, skipped: 0, needSnapshot: true,
    sendSnapshot: () => {},
    sendFrame: (_f, done) => {
      frames++;
      done();
    },
  });
  const tickEvery = (ms: number, ticks: number) => {
    for (let i = 0; i < ticks; i++) {
      sim.runSync({ steps: 1 });
      room.tick();
      clock += ms;
    }
  };
  tickEvery(10, 40); // 40 ticks 10 ms apart; each frame takes 4 ms, so at a 10% share one in every ~4 ticks works
  assert.ok(frames >= 8 && frames <= 12, `saturated: ${frames} frames in 40 ticks`);
  assert.equal(room.ticksRested, 40 - frames, 'the other ticks rested');
  assert.ok(4 * frames <= 0.1 * (40 * 10 + 4 * frames) + 4, 'the frame work stayed within 10% of the time (plus one frame)');
  saturated = false;
  const before = frames;
  tickEvery(10, 20);
  assert.equal(frames - before, 20, 'with idle time on the thread every tick sends a frame');
  room.tick(true);
  assert.throws(() => new ViewerRoom('t', () => live, { cpuShare: 0 }), /cpuShare must be in \(0, 1\]/);
  live.close();
  sim.close();
});
