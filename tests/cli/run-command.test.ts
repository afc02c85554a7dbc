import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, readJsonl, runCli, runMain, tempDir } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';

const dir = tempDir('run');
after(() => rmSync(dir, { recursive: true, force: true }));
const small = ['run', '--world', 'navigation', '--layout', 'open-room', '--agents', '2', '--agent', 'random'];
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('canopy run', { concurrency: 2 }, () => {
  let a: CliResult;
  let b: CliResult;
  let c: CliResult;
  before(async () => {
    // Two equal runs (one spawned, recording events; one through the same `main` in this process) and one with
    // another seed. Spawning costs ~1 s of start-up, so only what needs the real binary is spawned.
    const spawned = runCli([...small, '--steps', '400', '--seed', '11', '--out', join(dir, 'a'), '--events'], dir);
    b = await runMain([...small, '--steps', '400', '--seed', '11', '--out', join(dir, 'b'), '--quiet']);
    c = await runMain([...small, '--steps', '400', '--seed', '12', '--out', join(dir, 'c'), '--quiet']);
    a = await spawned;
  });

  it('exits 0 and prints the summary and where the results are', () => {
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stderr, '');
    assert.match(a.stdout, /navigation\/open-room: 2 x random, seed 11/);
    assert.match(a.stdout, /^running: 400 steps\n/, 'not a TTY: plain progress lines, no bar');
    assert.match(a.stdout, /^\[100%\] 400 steps \| \d+ steps\/s \| \d+ episodes \| success (-|\d+%) \| ETA 0s$/m);
    assert.ok(!a.stdout.includes('\u001b['), 'no terminal control sequences in a pipe');
    assert.match(a.stdout, /results in a\n/, 'the out folder, relative to the working directory');
  });

  it('prints nothing with --quiet', () => {
    for (const res of [b, c]) {
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.stdout, '');
    }
  });

  it('writes config.json with the resolved config, the seed and the version', () => {
    const config = readJson(join(dir, 'a', 'config.json'));
    assert.equal(config['canopyVersion'], pkg.version);
    assert.equal(config['seed'], 11);
    assert.equal(config['world'], 'navigation');
    assert.equal(config['layout'], 'open-room');
    assert.equal(config['agents'], 2);
    assert.equal(config['agent'], 'random');
    assert.equal(config['steps'], 400);
    assert.equal(config['episodes'], null);
    assert.equal(config['events'], true);
  });

  it('writes one episodes.jsonl line per finished episode, consistent with the summary', () => {
    const episodes = readJsonl(join(dir, 'a', 'episodes.jsonl'));
    const summary = readJson(join(dir, 'a', 'summary.json'));
    assert.equal(summary['episodes'], episodes.length);
    assert.equal(summary['steps'], 400);
    episodes.forEach((e, i) => {
      assert.equal(e['episode'], i, 'episodes are numbered in order from 0');
      assert.ok(Number.isInteger(e['length']) && (e['length'] as number) > 0, `episode ${i} has a positive length`);
      assert.deepEqual(Object.keys(e['rewards'] as object).sort(), ['agent_0', 'agent_1'], 'rewards are per agent');
      assert.ok(e['success'] === 0 || e['success'] === 1, `episode ${i} success is 0 or 1, got ${String(e['success'])}`);
      assert.equal(typeof e['coverage'], 'number');
    });
    const lengths = episodes.reduce((sum, e) => sum + (e['length'] as number), 0);
    assert.ok(lengths <= 400, 'finished episodes cannot hold more steps than the run took');
    if (episodes.length > 0) {
      assert.equal(summary['meanEpisodeLength'], lengths / episodes.length);
      const successes = episodes.filter((e) => e['success'] === 1).length;
      assert.equal(summary['successRate'], successes / episodes.length);
    }
  });

  it('writes summary.json with the fields a user compares runs by', () => {
    const summary = readJson(join(dir, 'a', 'summary.json'));
    for (const key of ['world', 'layout', 'agents', 'agent', 'seed', 'steps', 'episodes', 'successRate', 'meanEpisodeLength', 'stepsPerSecond', 'trajectoryHash']) {
      assert.ok(key in summary, `summary.json has "${key}"`);
    }
    assert.equal(summary['status'], 'completed');
    assert.match(summary['trajectoryHash'] as string, /^[0-9a-f]{64}$/);
    assert.ok((summary['stepsPerSecond'] as number) > 0);
  });

  it('writes every kernel event to events.jsonl with --events, and only then', () => {
    const events = readJsonl(join(dir, 'a', 'events.jsonl'));
    const steps = events.filter((e) => e['type'] === 'step');
    assert.equal(steps.length, 400, 'one step event per env step');
    assert.equal(events[0]?.['type'], 'episodeStart');
    const ends = events.filter((e) => e['type'] === 'episodeEnd');
    assert.equal(ends.length, readJsonl(join(dir, 'a', 'episodes.jsonl')).length);
    for (const e of events) assert.ok(typeof e['totalSteps'] === 'number' && typeof e['episode'] === 'number');
    assert.equal(existsSync(join(dir, 'b', 'events.jsonl')), false);
  });

  it('gives the same trajectory hash for the same config and seed, another for another seed', () => {
    const ha = readJson(join(dir, 'a', 'summary.json'))['trajectoryHash'];
    const hb = readJson(join(dir, 'b', 'summary.json'))['trajectoryHash'];
    const hc = readJson(join(dir, 'c', 'summary.json'))['trajectoryHash'];
    assert.equal(ha, hb, 'same seed, same trajectory');
    assert.notEqual(ha, hc, 'another seed, another trajectory');
    assert.equal(readFileSync(join(dir, 'a', 'episodes.jsonl'), 'utf8'), readFileSync(join(dir, 'b', 'episodes.jsonl'), 'utf8'));
  });

  it('reads a YAML config file and lets flags override it', async () => {
    const cfg = join(dir, 'run.yaml');
    writeFileSync(cfg, ['world: navigation', 'layout: maze', 'agents: 3', 'agent: random', 'episodes: 2', 'seed: 5', 'params:', '  width: 7', '  height: 7', '  maxSteps: 30', ''].join('\n'));
    const out = join(dir, 'from-config');
    const res = await runCli(['run', '--config', cfg, '--agents', '1', '--seed', '9', '--out', out], dir);
    assert.equal(res.code, 0, res.stderr);
    const config = readJson(join(out, 'config.json'));
    assert.equal(config['layout'], 'maze', 'from the file');
    assert.equal(config['episodes'], 2, 'from the file');
    assert.equal(config['agents'], 1, 'the flag wins over the file');
    assert.equal(config['seed'], 9, 'the flag wins over the file');
    assert.deepEqual(config['params'], { width: 7, height: 7, maxSteps: 30 });
    const episodes = readJsonl(join(out, 'episodes.jsonl'));
    assert.equal(episodes.length, 2);
    for (const e of episodes) {
      assert.deepEqual(Object.keys(e['rewards'] as object), ['agent_0']);
      assert.ok((e['length'] as number) <= 30, 'maxSteps from params reached the world');
    }
  });

  it('lets a --steps flag replace the episodes of a JSON config file', async () => {
    const cfg = join(dir, 'run.json');
    writeFileSync(cfg, JSON.stringify({ layout: 'open-room', episodes: 50, seed: 3, params: { width: 7, height: 7 } }));
    const out = join(dir, 'steps-over-episodes');
    const res = await runMain(['run', '--config', cfg, '--steps', '50', '--out', out, '--quiet']);
    assert.equal(res.code, 0, res.stderr);
    const config = readJson(join(out, 'config.json'));
    assert.equal(config['steps'], 50);
    assert.equal(config['episodes'], null);
    assert.equal(readJson(join(out, 'summary.json'))['steps'], 50);
  });

  it('stops cleanly on Ctrl-C (SIGINT): exit 130, results so far written', async () => {
    const out = join(dir, 'interrupted');
    let sent = false;
    const res = await runCli([...small, '--steps', '100000000', '--seed', '1', '--out', out], dir, (text, child) => {
      // "running:" is printed once the run has installed its SIGINT handler.
      if (!sent && text.includes('running:')) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), 200);
      }
    });
    assert.equal(res.code, 130, res.stderr);
    assert.match(res.stdout, /\(interrupted\)/);
    const summary = readJson(join(out, 'summary.json'));
    assert.equal(summary['status'], 'interrupted');
    assert.ok((summary['steps'] as number) < 100000000);
    assert.equal(readJsonl(join(out, 'episodes.jsonl')).length, summary['episodes'], 'every finished episode was flushed');
  });

  it('prints help and the version', async () => {
    const runHelp = await runCli(['run', '--help']);
    const help = await runMain(['--help']);
    const version = await runMain(['--version']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: canopy/);
    assert.match(help.stdout, /run \[options\]/);
    assert.equal(runHelp.code, 0);
    for (const flag of ['--world', '--layout', '--agents', '--agent', '--steps', '--episodes', '--seed', '--config', '--out', '--events', '--quiet']) {
      assert.ok(runHelp.stdout.includes(flag), `run --help mentions ${flag}`);
    }
    assert.match(runHelp.stdout, /four-rooms/, 'run --help lists the layouts');
    assert.equal(version.code, 0);
    assert.equal(version.stdout.trim(), pkg.version);
  });
});
