/**
 * The viewer page in real headless Chromium against the real viewer server, live (a Crafter team with its knowledge
 * graph on the realtime clock) and replaying a recorded run: it loads, draws the world, pauses and steps, shows the
 * knowledge graph, and scrubbing the replay shows the recorded step. Screenshots go to test-output/viewer/.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ensurePage } from '../../viewer/page/build-page.js';
import { canvasDigest, launchBrowser, openPage, probe, screenshot, waitFor } from './browser-harness.js';
import type { ViewerProbe } from './browser-harness.js';
import { liveCrafter, recordedCrafter } from './browser-fixtures.js';
import type { RecordedPicture, Served } from './browser-fixtures.js';

const SEED = 7;
const tmp = mkdtempSync(join(tmpdir(), 'canopy-viewer-'));
let browser: Browser;

before(async () => {
  await ensurePage();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Distinct colours in a screenshot of one element, counted by the browser itself (no PNG decoder needed here). */
async function elementColors(page: Page, selector: string): Promise<number> {
  const png = (await page.locator(selector).screenshot()).toString('base64');
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const data = g.getImageData(0, 0, c.width, c.height).data;
    const colors = new Set<number>();
    for (let i = 0; i < data.length; i += 4) colors.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return colors.size;
  }, png);
}

/** Pauses through the page's own button (whatever state the run is in) and waits until the server says so. */
async function pause(page: Page): Promise<ViewerProbe> {
  const now = await probe(page);
  if (!now.clock?.paused) await page.click('#btn-play');
  return waitFor(page, 'the clock to pause', (p) => p.clock?.paused === true);
}

describe('viewer page, live run', () => {
  let live: Served;
  let page: Page;
  let errors: string[];

  before(async () => {
    live = await liveCrafter(SEED);
    ({ page, errors } = await openPage(browser, live.url));
  });
  after(async () => {
    await page?.close();
    await live?.close();
  });

  test('the page loads: hello with control, a snapshot, the seed shown, no errors', async () => {
    const p = await waitFor(page, 'a snapshot and a drawn frame', (s) => s.stats.snapshots >= 1 && s.stats.draws >= 1 && s.hello !== undefined);
    assert.equal(p.hello?.mode, 'live', 'a running simulation is a live room');
    assert.equal(p.hello?.control, true, 'the server\'s URL carries the control token');
    assert.equal(await page.textContent('#seed'), String(SEED), 'the header shows the run seed');
    assert.equal(await page.textContent('#world-kind'), 'crafter');
    assert.ok(p.agents.length === 2, `two agents in the picture, got ${JSON.stringify(p.agents)}`);
    await screenshot(page, 'live-loaded');
    assert.deepEqual(errors, [], 'no console errors or uncaught exceptions');
  });

  test('the world canvas is not blank and changes after a step', async () => {
    await pause(page);
    const before = await canvasDigest(page);
    assert.ok(before.colors > 50, `the world canvas shows tiles (${before.colors} distinct colours)`);
    let changed = false;
    let last = before;
    // One step may leave the picture as it was (an agent doing `noop` by a wall); a few steps never do.
    for (let i = 0; i < 8 && !changed; i++) {
      const t = (await probe(page)).clock!.totalSteps;
      await page.click('#btn-step');
      await waitFor(page, `step ${t + 1} drawn`, (p) => p.clock!.totalSteps === t + 1 && p.stats.drawnSeq === p.seq);
      last = await canvasDigest(page);
      changed = last.digest !== before.digest;
    }
    assert.ok(changed, 'the world canvas changed after stepping');
    await screenshot(page, 'live-after-step');
  });

  test('pause holds the clock and step advances exactly one step', async () => {
    const paused = await pause(page);
    const t = paused.clock!.totalSteps;
    await page.waitForTimeout(700);
    assert.equal((await probe(page)).clock!.totalSteps, t, 'no steps while paused');
    await page.click('#btn-step');
    await waitFor(page, `step ${t + 1}`, (p) => p.clock!.totalSteps === t + 1);
    await page.waitForTimeout(500);
    assert.equal((await probe(page)).clock!.totalSteps, t + 1, 'one click, one step, then paused again');
    assert.match((await page.textContent('#btn-play')) ?? '', /Play/, 'the button offers to play while paused');
    await page.click('#btn-play');
    await waitFor(page, 'the clock to run', (p) => p.clock?.paused === false && p.clock.totalSteps > t + 2);
  });

  test('keyboard play: Crafter keys act for the chosen agent', async () => {
    await pause(page);
    await page.selectOption('#follow', 'player_0');
    await page.selectOption('#play-as', 'player_0');
    assert.match((await page.textContent('#keys-hint')) ?? '', /playing as player_0/);
    for (const [key, action] of [['d', 'move_right'], ['a', 'move_left'], ['Tab', 'sleep']] as const) {
      const t = (await probe(page)).clock!.totalSteps;
      await page.keyboard.press(key);
      await page.click('#btn-step');
      await waitFor(page, `step ${t + 1} drawn`, (p) => p.clock!.totalSteps === t + 1 && p.stats.drawnSeq === p.seq);
      assert.equal(await page.textContent('#inspector .chip.latest'), action, `key ${key} made player_0 ${action}`);
    }
    await page.selectOption('#play-as', '');
    assert.deepEqual((await probe(page)).stats.errors, [], 'the server accepted every act');
  });

  test('the graph panel shows nodes, filters by level, and a click shows a node\'s facts', async () => {
    const p = await waitFor(page, 'knowledge-graph nodes', (s) => s.graphNodes.shown > 10);
    await pause(page);
    await page.waitForTimeout(800); // the layout settles once nothing new arrives
    assert.ok((await elementColors(page, '#graph')) > 20, 'sigma drew the graph (WebGL canvas not blank)');
    await screenshot(page, 'live-graph');

    await page.uncheck('input[data-level="semantic"]');
    const filtered = await probe(page);
    assert.ok(filtered.graphNodes.shown < filtered.graphNodes.total, `hiding the semantic level hides nodes (${JSON.stringify(filtered.graphNodes)})`);
    await page.check('input[data-level="semantic"]');
    assert.equal((await probe(page)).graphNodes.shown, filtered.graphNodes.total, 'checking it again shows them all');

    const key = await page.evaluate(() => (globalThis as unknown as { canopyViewer: { graphKeys(): string[] } }).canopyViewer.graphKeys()[0]!);
    // The layout may still be moving on a loaded machine: read the node's position again and click again, a few times.
    const box = (await page.locator('#graph').boundingBox())!;
    for (let attempt = 1; ; attempt++) {
      const at = await page.evaluate((k) => (globalThis as unknown as { canopyViewer: { graphNodePosition(k: string): { x: number; y: number } } }).canopyViewer.graphNodePosition(k), key);
      await page.mouse.click(box.x + at.x, box.y + at.y);
      try {
        await page.waitForSelector('#facts:not([hidden])', { timeout: 2000 });
        break;
      } catch (error) {
        if (attempt === 4) throw error;
      }
    }
    assert.match((await page.textContent('#facts')) ?? '', new RegExp(`key ${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'the facts panel shows the clicked node');
    // The facts are fetched on click (nodeFacts): the table fills in from the server's answer.
    await page.waitForFunction(() => {
      const t = document.querySelector('#facts-table')?.textContent ?? '';
      return t !== '' && !t.includes('loading');
    }, undefined, { timeout: 5000 });
    await screenshot(page, 'live-graph-facts');
    assert.ok(p.graphNodes.total > 0);
    assert.deepEqual(errors, [], 'no console errors or uncaught exceptions');
  });
});

describe('viewer page, replay', () => {
  const STEPS = 60;
  const KEEP = [12, 37];
  let replay: Served & { pictures: ReadonlyMap<number, RecordedPicture> };
  let page: Page;
  let errors: string[];

  before(async () => {
    replay = await recordedCrafter(tmp, SEED, STEPS, KEEP);
    ({ page, errors } = await openPage(browser, replay.url));
  });
  after(async () => {
    await page?.close();
    await replay?.close();
  });

  /** Moves the timeline to `step` as a drag does (input events, then change on release). */
  async function scrub(step: number): Promise<ViewerProbe> {
    await page.$eval('#timeline', (node, v) => {
      const input = node as unknown as { value: string; dispatchEvent(e: Event): boolean };
      input.value = v;
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new Event('change'));
    }, String(step));
    return waitFor(page, `the replay at step ${step}`, (p) => p.replay?.position === step && p.clock?.totalSteps === step);
  }

  test('scrubbing the timeline shows the recorded step', async () => {
    const first = await waitFor(page, 'a replay snapshot', (p) => p.replay !== null && p.stats.draws >= 1);
    assert.equal(first.hello?.mode, 'replay');
    assert.equal(first.replay!.totalSteps, STEPS, 'the timeline spans the recorded steps');
    assert.equal(await page.isVisible('#replay-bar'), true, 'the replay bar is shown in replay mode');

    for (const step of [37, 12, 37]) {
      const shown = await scrub(step);
      const recorded = replay.pictures.get(step)!;
      assert.deepEqual(shown.agents, recorded.agents, `the agents where they were at step ${step} of the run`);
      assert.equal(shown.cells, recorded.cells, `the map as it was at step ${step} of the run`);
      assert.ok(recorded.graphNodes > 0, `the recording wrote graph nodes by step ${step}`);
      assert.equal(shown.graphNodes.total, recorded.graphNodes, `the knowledge graph as it was at step ${step} of the run`);
      assert.equal(await page.textContent('#timeline-pos'), `step ${step} / ${STEPS}`);
      await page.waitForTimeout(300);
      await screenshot(page, `replay-step-${step}`);
    }
    assert.notEqual(replay.pictures.get(12)!.cells + JSON.stringify(replay.pictures.get(12)!.agents),
      replay.pictures.get(37)!.cells + JSON.stringify(replay.pictures.get(37)!.agents), 'the two steps differ, so the check means something');
    assert.deepEqual(errors, [], 'no console errors or uncaught exceptions');
  });
});
