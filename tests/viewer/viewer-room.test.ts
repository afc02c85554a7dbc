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
import { packCells, unpackCells } from '../../viewer/protocol.js';

test('a room sends frames with growing sequence numbers for world steps, graph-only changes and events alike', () => {
  const env = new CrafterEnv({ players: 2, oneHot: false });
  const sim = new Simulation({ env, seed: 2, controllers: () => new RandomController() as never });
  let live!: LiveSource<unknown>;
  const room = new ViewerRoom('t', (r) => (live = new LiveSource({ sim, adapter: crafterViewAdapter(env) as never, seed: 2 }, r)), { graphEveryMs: 0 });
  let picture: ClientPicture | null = null;
  const frames: Frame[] = [];
  const client: RoomClient = {
    base: null, graphVersion: 0, eventVersion: 0, metricVersion: 0, inFlight: false, skipped: 0, needSnapshot: true,
    sendSnapshot: (s) => (picture = new ClientPicture(s)),
    sendFrame: (f, done) => {
      frames.push(f);
      picture!.apply(f); // throws on a sequence number that does not grow
      done();
    },
  };
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
  assert.equal(picture!.nodes.get('goal:player_0:g1')?.attributes.name, 'collect a diamond', 'the graph node arrived');
  assert.equal(picture!.agents.find((a) => a.id === 'player_0')?.goal, 'collect a diamond', "the active long-term Goal is the agent's goal");
  assert.equal(frames.filter((f) => f.graph.nodes.length > 0).length, 1, 'a refresh of bookkeeping (step) alone is not sent');
  assert.equal(picture!.worldStep, env.state().step);
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
  const room = new ViewerRoom('t', (r) => (live = new LiveSource({ sim, adapter: crafterViewAdapter(env) as never, seed: 5 }, r)));
  let picture: ClientPicture | null = null;
  const frames: Frame[] = [];
  const client: RoomClient = {
    base: null, graphVersion: 0, eventVersion: 0, metricVersion: 0, inFlight: false, skipped: 0, needSnapshot: true,
    sendSnapshot: (s) => (picture = new ClientPicture(s)),
    sendFrame: (f, done) => {
      frames.push(f);
      picture!.apply(f);
      done();
    },
  };
  sim.runSync({ steps: 1 });
  room.add(client);
  sim.runSync({ steps: 1 });
  room.tick();
  const small = frames.at(-1)!;
  assert.equal(small.allCells, undefined, 'one step changes few cells: pairs');
  assert.deepEqual(picture!.cells, crafterViewAdapter(env).view(env.state()).cells, 'the pairs rebuild the map');
  sim.runSync({ steps: 25 }); // past the 20-step episode: a new map
  room.tick();
  const whole = frames.at(-1)!;
  assert.equal(typeof whole.allCells, 'string', 'a new map goes out packed');
  assert.deepEqual(whole.cells, [], 'and without pairs');
  assert.equal(whole.allCells!.length, Math.ceil(picture!.cells.length / 3) * 4, 'one byte a cell, base64');
  assert.deepEqual(picture!.cells, crafterViewAdapter(env).view(env.state()).cells, 'the packed map rebuilds it');
  live.close();
  sim.close();
});
