/**
 * Real headless Chromium for the viewer's browser tests: Debian's `chromium` driven by playwright-core (no browser
 * download). When chromium is missing, `scripts/setup-browser.sh` installs it with apt-get; when it still cannot be
 * found, the tests fail with what to install. They never skip.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Screenshots kept with the test output (git-ignored). */
export const SHOTS_DIR = join(ROOT, 'test-output', 'viewer');

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function candidates(): string[] {
  return [process.env.CANOPY_CHROMIUM ?? '', '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p) => p !== '');
}

/** The chromium binary; runs the setup script once if none is found, then throws saying what to install. */
export function findChromium(): string {
  let found = candidates().find(executable);
  if (found) return found;
  const setup = spawnSync('bash', [join(ROOT, 'scripts', 'setup-browser.sh')], { stdio: 'inherit' });
  found = candidates().find(executable);
  if (found) return found;
  throw new Error(
    `viewer browser tests need Chromium and none was found (looked at ${candidates().join(', ')}; ` +
      `scripts/setup-browser.sh exited ${setup.status}). Install it: apt-get install -y chromium ` +
      '(or set CANOPY_CHROMIUM=/path/to/chromium).',
  );
}

/**
 * Headless Chromium with software WebGL (SwiftShader), which sigma needs: `--use-angle=swiftshader` picks it and
 * `--enable-unsafe-swiftshader` keeps Chromium from refusing WebGL on a machine without a GPU.
 * `--disable-gpu-compositing` composites the page on the CPU: through SwiftShader the page managed ~1 frame/s on
 * this loaded 2-core machine, on the CPU ~6 (WebGL canvases still work).
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-gpu-compositing'],
  });
}

/** A 1280x800 page that records its console errors and uncaught exceptions (the tests assert there are none). */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(url);
  return { page, errors };
}

/** Saves a full-page screenshot as test-output/viewer/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const path = join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Snapshot of the world canvas' pixels: a hash-like digest and how many distinct colours it holds. */
export async function canvasDigest(page: Page, selector = '#world'): Promise<{ digest: string; colors: number; width: number }> {
  return page.$eval(selector, (node) => {
    const c = node as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 2166136261;
    const colors = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      const v = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
      if (colors.size < 5000) colors.add(v);
      h = Math.imul(h ^ v, 16777619);
    }
    return { digest: (h >>> 0).toString(16), colors: colors.size, width: c.width };
  });
}

/** What the page reports through `window.canopyViewer` (counters of what arrived and was drawn). */
export interface ViewerProbe {
  /** `drawnSeq`: the frame (seq) the page last drew. */
  stats: { snapshots: number; frames: number; draws: number; drawnSeq: number; errors: string[] };
  seq: number;
  worldStep: number;
  agents: { id: string; x: number; y: number; alive: boolean }[];
  /** The map's cell values, comma-joined (compared whole between two pictures). */
  cells: string;
  clock: { paused: boolean; stepsPerSecond: number; running: boolean; episode: number; step: number; totalSteps: number } | undefined;
  replay: { totalSteps: number; position: number; playing: boolean } | null;
  graphNodes: { shown: number; total: number };
  hello: { mode: string; control: boolean } | undefined;
}

export async function probe(page: Page): Promise<ViewerProbe> {
  return page.evaluate(() => {
    const v = (globalThis as unknown as { canopyViewer: ViewerProbe }).canopyViewer;
    return JSON.parse(JSON.stringify({ stats: v.stats, seq: v.seq, worldStep: v.worldStep, agents: v.agents, cells: v.cells, clock: v.clock, replay: v.replay, graphNodes: v.graphNodes, hello: v.hello })) as ViewerProbe;
  });
}

/** Polls the page until `test` holds (or throws after `timeoutMs` with the last probe, so a failure says why). */
export async function waitFor(page: Page, what: string, test: (p: ViewerProbe) => boolean, timeoutMs = 15_000): Promise<ViewerProbe> {
  const t0 = Date.now();
  let last: ViewerProbe | undefined;
  while (Date.now() - t0 < timeoutMs) {
    last = await probe(page).catch(() => undefined);
    if (last && test(last)) return last;
    await page.waitForTimeout(100);
  }
  const shown = last ? { ...last, cells: `${last.cells.length} chars` } : last;
  throw new Error(`viewer page: timed out after ${timeoutMs} ms waiting for ${what}; last state: ${JSON.stringify(shown)}`);
}

