import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Simulation } from '../../core/simulation.js';
import { CrafterEnv } from '../../worlds/crafter/crafter-env.js';
import { crafterViewAdapter } from '../../worlds/crafter/crafter-view.js';
import { RandomController } from '../../agents/random-controller.js';
import { ReplayRecorder } from '../../viewer/replay/replay-recorder.js';
import { LEGACY_REPLAY_FILE, loadReplay, readReplayText, REPLAY_FILE } from '../../viewer/replay/replay-file.js';
import { serveReplay } from '../../viewer/replay/serve-replay.js';
import { stateHash, TestViewer } from './support.js';

test('a recorded run replays: seeking to any step shows the recorded state and the graph as it was then', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-replay-'));
  const make = () => new CrafterEnv({ players: 3, ruleset: 'mac', oneHot: false });
  const env = make();
  const sim = new Simulation({ env, seed: 11, controllers: () => new RandomController() as never });
  const recorder = new ReplayRecorder(join(dir, REPLAY_FILE), sim, { keyframeEvery: 50 });
  const resetSeeds: number[] = [];
  sim.resets$.subscribe((r) => resetSeeds.push(r.seed));
  const wanted = [37, 120, 200, 201, 250, 300];
  const hashes = new Map<number, string>();
  sim.transitions$.subscribe(() => {
    if (wanted.includes(sim.totalSteps)) hashes.set(sim.totalSteps, stateHash(env.state()));
    // Graph facts written at known steps: a sighting at 50, invalidated at 150, a second node at 150.
    if (sim.totalSteps === 50) recorder.graph({ nodes: [{ id: 'sighting:a', label: 'Sighting', props: { observer: 'player_0', what: 'tree', valid: true } }], edges: [] });
    if (sim.totalSteps === 150) {
      recorder.graph({
        nodes: [{ id: 'sighting:a', label: 'Sighting', props: { valid: false, invalidatedAt: 150 } }, { id: 'item:wood', label: 'Item', props: { name: 'wood' } }],
        edges: [{ id: 'OF:sighting:a->item:wood', type: 'OF', from: 'sighting:a', to: 'item:wood', props: {} }],
      });
    }
  });
  sim.runSync({ steps: 200 });
  sim.reset(); // a second episode, cut short like a viewer's reset
  sim.runSync({ steps: 100 });
  recorder.close();
  sim.close();

  const replay = loadReplay(join(dir, REPLAY_FILE));
  assert.equal(replay.totalSteps, 300);
  assert.equal(replay.episodes.length, 2);
  assert.equal(replay.seed, 11, 'the header records the run seed (it said 0 when the recorder was not told)');
  assert.deepEqual(replay.episodes.map((e) => e.seed), resetSeeds, 'each episode records the seed its reset used');
  assert.ok(replay.complete);
  const adapter = crafterViewAdapter(make());
  const replayEnv = make();
  const served = await serveReplay({ replay, env: replayEnv as never, adapter: crafterViewAdapter(replayEnv), log: () => {} });
  const v = new TestViewer(served.server.viewUrl, { token: served.server.token });
  try {
    await v.until(() => v.picture !== null, 5000, 'snapshot');
    assert.equal(v.hello?.mode, 'replay');
    assert.equal(v.picture!.replay?.totalSteps, 300);
    assert.equal(v.picture!.seed, 11, 'the snapshot serves the run seed');
    assert.deepEqual(v.picture!.replay?.episodes.map((e) => e.seed), resetSeeds, 'the replay info serves the episode seeds');
    let id = 0;
    const seek = async (step: number) => {
      const n = v.snapshots;
      v.send({ id: ++id, command: { type: 'seek', step } });
      await v.until(() => v.snapshots > n && v.picture!.clock.totalSteps === step, 5000, `seek to ${step}`);
      return stateHash(adapter.state(v.picture!.worldView(), v.picture!.legend));
    };
    for (const step of [120, 250, 37, 200, 201, 300]) assert.equal(await seek(step), hashes.get(step), `the state at run step ${step}`);

    await seek(100);
    assert.equal(v.picture!.nodes.get('sighting:a')?.attributes.valid, true, 'at 100 the sighting is known and valid');
    assert.equal(v.picture!.nodes.has('item:wood'), false, 'at 100 the later node is not there yet');
    await seek(160);
    assert.equal(v.picture!.nodes.get('sighting:a')?.attributes.valid, false, 'at 160 the sighting is invalidated');
    assert.equal(v.picture!.edges.size, 1);
    await seek(20);
    assert.equal(v.picture!.nodes.size, 0, 'at 20 the graph is empty again');

    // Play from 250 at high speed to the end: frames reach the recorded final state.
    await seek(250);
    v.send({ command: { type: 'speed', stepsPerSecond: 2000 } });
    v.send({ command: { type: 'resume' } });
    await v.until(() => v.picture!.clock.totalSteps === 300 && v.picture!.worldStep === 100, 8000, 'playback to the end');
    assert.equal(stateHash(adapter.state(v.picture!.worldView(), v.picture!.legend)), hashes.get(300), 'playback ends in the recorded state');
    assert.equal(served.source.diverged, null, 'every keyframe hash matched');
  } finally {
    v.close();
    await served.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the replay is gzipped JSON lines with graph tuples; a file cut mid-write and a plain version-1 file still load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-replay-gz-'));
  try {
    const env = new CrafterEnv({ players: 2, ruleset: 'mac', oneHot: false });
    const sim = new Simulation({ env, seed: 9, controllers: () => new RandomController() as never });
    const file = join(dir, REPLAY_FILE);
    const recorder = new ReplayRecorder(file, sim);
    const batch = {
      nodes: [{ id: 'sighting:a', label: 'Sighting' as const, props: { observer: 'player_0', what: 'tree', valid: true } }],
      edges: [
        { id: 'OF:sighting:a->item:wood', type: 'OF' as const, from: 'sighting:a', to: 'item:wood', props: { observer: 'player_0' } },
        { id: 'SEEN_AT:sighting:a->place:1#2', type: 'SEEN_AT' as const, from: 'sighting:a', to: 'place:1', props: {} },
      ],
    };
    sim.transitions$.subscribe(() => { if (sim.totalSteps === 10) recorder.graph(batch as never); });
    sim.runSync({ steps: 8000 });
    recorder.close();
    sim.close();
    const bytes = readFileSync(file);
    assert.deepEqual([bytes[0], bytes[1]], [0x1f, 0x8b], 'the file is gzip');
    const text = readReplayText(file);
    assert.ok(text.length > 2 * bytes.length, `gzip shrinks it (${bytes.length} bytes for ${text.length} chars)`);
    assert.match(text, /"n":\[\["sighting:a","Sighting",\{/, 'graph nodes are tuples');
    const replay = loadReplay(file);
    assert.equal(replay.totalSteps, 8000);
    assert.deepEqual(replay.graph, [{ total: 10, batch }], 'the batch reads back as written (edge ids derived or kept)');

    // A hard kill mid-write: the last gzip member is cut; what the whole members hold still plays.
    const cut = join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 40));
    const partial = loadReplay(cut);
    assert.equal(partial.complete, false, 'a cut file has no end line');
    assert.ok(partial.totalSteps > 1000 && partial.totalSteps <= 8000, `the cut file still holds steps (${partial.totalSteps})`);

    // Runs recorded before: plain replay.jsonl, version 1, graph batches as the store's records.
    const legacy = join(dir, LEGACY_REPLAY_FILE);
    writeFileSync(legacy, [
      { t: 'header', version: 1, world: 'crafter', agents: ['player_0'], seed: 3, keyframeEvery: 100 },
      { t: 'episode', episode: 0, seed: 44 },
      { t: 'step', a: [1] },
      { t: 'graph', total: 1, nodes: batch.nodes, edges: batch.edges },
      { t: 'end', total: 1 },
    ].map((l) => JSON.stringify(l)).join('\n') + '\n');
    const old = loadReplay(legacy);
    assert.equal(old.seed, 3);
    assert.deepEqual(old.graph, [{ total: 1, batch }], 'a version-1 graph line reads as before');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
