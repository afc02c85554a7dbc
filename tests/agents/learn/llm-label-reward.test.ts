import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorldEventInput } from '../../../core/events.js';
import { LlmClient } from '../../../agents/llm/llm-client.js';
import { parseLlmConfig } from '../../../agents/llm/llm-config.js';
import { LlmLabelReward, describeEvent } from '../../../agents/learn/intrinsic/llm-label-reward.js';
import type { IntrinsicStep } from '../../../agents/learn/intrinsic/intrinsic-reward.js';
import { startLlmStubServer } from '../../../scripts/llm-stub-server.js';
import type { StubReply, StubScript } from '../../../scripts/llm-stub-server.js';
import '../../../worlds/crafter/events.js';

const WOOD = { type: 'collect', data: { agent: 'player_0', material: 'tree', items: { wood: 1 }, pos: [3, 4] } } as WorldEventInput;
const PICKAXE = { type: 'make', data: { agent: 'player_1', item: 'wood_pickaxe' } } as WorldEventInput;
const SAPLING = { type: 'collect', data: { agent: 'player_0', material: 'grass', items: { sapling: 1 }, pos: [5, 5] } } as WorldEventInput;

let t = 0;
const step = (events: WorldEventInput[]): IntrinsicStep => ({
  episode: 0, step: ++t, agents: ['player_0', 'player_1'], actions: {}, observations: {}, infos: {}, rewards: {}, events,
});

/** Labels wood and pickaxes helpful, anything else not, by reading the numbered lines of the prompt. */
const judge = (delayMs = 0): StubScript => (req) => {
  const lines = req.messages[1]!.content.split('\n').filter((l) => /^\d+\. /.test(l));
  const helpful = lines.filter((l) => /wood/.test(l)).map((l) => Number(l.split('.')[0]));
  return { content: JSON.stringify({ helpful }), delayMs } as StubReply;
};

function setup(url: string, cacheDir: string, batchSize = 2) {
  const client = new LlmClient(parseLlmConfig({ baseUrl: url, cacheDir, backoffMs: 5, retries: 0 }), { apiKey: 't' });
  return { client, oni: new LlmLabelReward({ client, goal: 'collect a diamond', batchSize }) };
}

test('describeEvent leaves out agents and places: one kind of event, one label', () => {
  assert.deepEqual(describeEvent(WOOD), { agent: 'player_0', text: 'collect: items wood 1; material tree' });
  assert.equal(describeEvent({ type: 'share', data: { from: 'player_0', to: 'player_1', item: 'wood' } } as WorldEventInput)?.text, 'share: item wood');
  assert.equal(describeEvent({ type: 'episodeStart', data: { seed: 1, agents: [] } }), null);
});

test('the learner never waits: unlabelled events pay 0 at once; once labels land, helpful events pay with count-based decay', async () => {
  const s = await startLlmStubServer(judge(150));
  const dir = mkdtempSync(join(tmpdir(), 'canopy-oni-'));
  const { client, oni } = setup(s.url, join(dir, 'cache'));
  try {
    const first = oni.reward(step([WOOD, SAPLING]));
    assert.ok(!(first instanceof Promise));
    assert.deepEqual(first, {}, 'nothing is paid before the labels land');
    assert.equal(oni.stats.inFlight, 1, 'the batch went out without the step waiting for it');
    assert.deepEqual(oni.reward(step([WOOD])), {}, 'still unlabelled: 0, and not asked twice');
    assert.ok(s.requests.length <= 1, 'WOOD was not asked twice');
    await oni.settled();
    assert.equal(oni.labelOf(describeEvent(WOOD)!.text), true);
    assert.equal(oni.labelOf(describeEvent(SAPLING)!.text), false);
    // WOOD occurred twice before: the third pays 1/sqrt(3), the fourth 1/sqrt(4). SAPLING pays nothing.
    assert.deepEqual(oni.reward(step([WOOD, SAPLING])), { player_0: 1 / Math.sqrt(3) });
    assert.deepEqual(oni.reward(step([WOOD])), { player_0: 0.5 });
    // PICKAXE is new: 0 now (queued; flushed at the next episode), paid after its label lands.
    assert.deepEqual(oni.reward(step([PICKAXE])), {});
    oni.reset({ episode: 1, agents: [], observations: {}, infos: {} });
    await oni.settled();
    assert.deepEqual(oni.reward(step([PICKAXE])), { player_1: 1 / Math.sqrt(2) });
    assert.equal(s.requests.length, 2);
    assert.equal(client.summary().agents['llm-label']!.httpCalls, 2);
  } finally {
    client.close();
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a replay with a warm cache labels synchronously: the same payouts at the same steps, no HTTP call', async () => {
  const s = await startLlmStubServer(judge());
  const dir = mkdtempSync(join(tmpdir(), 'canopy-oni-'));
  const cache = join(dir, 'cache');
  const episode = [[WOOD], [SAPLING], [WOOD, PICKAXE], [WOOD], [PICKAXE, SAPLING], [WOOD]];
  const play = (oni: LlmLabelReward) => episode.map((events) => oni.reward(step(events)));
  try {
    const warm = setup(s.url, cache);
    play(warm.oni);
    await warm.oni.settled();
    warm.client.close();
    const sent = s.requests.length;
    const replays = [setup(s.url, cache), setup(s.url, cache)].map(({ client, oni }) => {
      const r = play(oni);
      client.close();
      return r;
    });
    assert.equal(s.requests.length, sent, 'the replays sent nothing');
    assert.deepEqual(replays[0], replays[1]);
    // The first batch (WOOD, SAPLING) is labelled the moment it fills, so WOOD already pays at step 3.
    assert.deepEqual(replays[0]![2], { player_0: 1 / Math.sqrt(2) });
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('failed or unusable batches never throw; their events are asked again later; snapshot/restore keeps labels', async () => {
  let n = 0;
  const s = await startLlmStubServer((req, i) => (n++ < 2 ? (i === 0 ? { status: 500 } : { content: 'not json' }) : judge()(req, i)));
  const dir = mkdtempSync(join(tmpdir(), 'canopy-oni-'));
  const { client, oni } = setup(s.url, join(dir, 'cache'), 1);
  try {
    oni.reward(step([WOOD]));
    await oni.settled();
    assert.equal(oni.stats.failedBatches, 1);
    assert.equal(oni.labelOf(describeEvent(WOOD)!.text), undefined);
    oni.reward(step([WOOD]));
    await oni.settled();
    assert.equal(oni.stats.failedBatches, 2, 'a reply that is not JSON is a failed batch too');
    oni.reward(step([WOOD]));
    await oni.settled();
    assert.equal(oni.labelOf(describeEvent(WOOD)!.text), true);
    const copy = new LlmLabelReward({ client, goal: 'collect a diamond' });
    copy.restore(JSON.parse(JSON.stringify(oni.snapshot())));
    assert.deepEqual(copy.reward(step([WOOD])), { player_0: 0.5 }, 'labels and counts carried over (4th occurrence)');
  } finally {
    client.close();
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
