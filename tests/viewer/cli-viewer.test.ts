import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../cli/run-command.js';
import { viewCommand } from '../../cli/view-command.js';
import { viewerPageDir } from '../../cli/viewer-page.js';
import type { CliIo } from '../../cli/cli-io.js';
import { TestViewer } from './support.js';

/** Captures output and resolves `url` once the viewer's URL is printed. */
function capture(): { io: CliIo; out: () => string; url: Promise<string> } {
  let out = '';
  let found: (url: string) => void;
  const url = new Promise<string>((resolve) => (found = resolve));
  const io: CliIo = {
    stdout: { write: (t: string) => {
      out += t;
      const m = /viewer: (http:\/\/\S+#token=\S+)/.exec(out);
      if (m) found(m[1]!);
    } },
    stderr: { write: () => {} },
  };
  return { io, out: () => out, url };
}

test('canopy run --viewer serves the live run with a control URL and records a replay that canopy view serves', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-cli-viewer-'));
  const out = join(dir, 'run');
  try {
    const live = capture();
    const run = runCommand({ world: 'navigation', layout: 'open-room', agents: '2', agent: 'random', steps: '80', seed: '4', viewer: '0', viewerSpeed: '40', out, quiet: true }, live.io);
    const url = await live.url;
    const [base, token] = url.split('#token=') as [string, string];
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'the URL is on 127.0.0.1');
    const page = await (await fetch(base)).text();
    assert.match(page, /app\.js/, 'the live run serves the built page, not the placeholder');
    const v = new TestViewer(base, { token });
    await v.until(() => v.picture !== null && v.frames > 2, 8000, 'a snapshot and frames from the live run');
    assert.equal(v.hello?.control, true);
    assert.equal(v.picture!.legend.kind, 'navigation');
    v.send({ id: 1, command: { type: 'speed', stepsPerSecond: 500 } });
    await v.until(() => v.acks.some((a) => a.id === 1), 3000, 'the speed command is applied');
    assert.equal(await run, 0, 'the run completes');
    v.close();
    assert.ok(existsSync(join(out, 'replay.jsonl.gz')), 'the run recorded replay.jsonl.gz');

    const view = capture();
    const stop = new AbortController();
    const serving = viewCommand(out, { port: '0' }, view.io, stop.signal);
    const replayUrl = await view.url;
    assert.match(view.out(), /80 steps in 1 episode/);
    const [rbase, rtoken] = replayUrl.split('#token=') as [string, string];
    assert.match(await (await fetch(rbase)).text(), /app\.js/, 'canopy view serves the built page, not the placeholder');
    const r = new TestViewer(rbase, { token: rtoken });
    await r.until(() => r.picture !== null, 5000, 'the replay snapshot');
    assert.equal(r.hello?.mode, 'replay');
    r.send({ command: { type: 'seek', step: 50 } });
    await r.until(() => r.picture!.clock.totalSteps === 50 && r.picture!.worldStep === 50, 5000, 'seek to 50');
    r.close();
    stop.abort();
    assert.equal(await serving, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CLI builds the viewer page when its folder has none (a clean clone), then serves it as built', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-page-'));
  try {
    const io: CliIo = { stdout: { write: () => {} }, stderr: { write: () => {} } };
    const out = join(dir, 'dist');
    assert.equal(await viewerPageDir(io, out), out);
    for (const f of ['index.html', 'app.js', 'style.css']) assert.ok(existsSync(join(out, f)), `${f} was built`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
