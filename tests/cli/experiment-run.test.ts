import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRunComplete } from '../../cli/experiment-runner.js';
import { readJson, readJsonl, runMain, tempDir } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';

const BIN = new URL('../../bin/canopy.js', import.meta.url).pathname;
const dir = tempDir('experiment');
after(() => rmSync(dir, { recursive: true, force: true }));

// Tiny navigation runs (an explorer in a small open room finishes an episode in a few steps): 2 conditions x 2 seeds.
const EXPERIMENT = `name: tiny
config:
  world: navigation
  layout: open-room
  agent: explorer
  steps: 1500
  memory: off
  params: { width: 7, height: 7 }
grid:
  agents: [1, 2]
seeds: [3, 4]
metrics: [successRate, meanEpisodeLength, meanMetrics.coverage]
`;
const file = join(dir, 'tiny.yaml');
const out = join(dir, 'out');
const runDirs = ['agents=1', 'agents=2'].flatMap((c) => [3, 4].map((s) => join(out, 'runs', c, `seed-${s}`)));

/** Starts `canopy experiment` in its own process group and SIGKILLs the whole group once `lines` runs are done. */
function runAndKillAfter(lines: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'experiment', file, '--out', out, '--jobs', '2'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (!killed && (stdout.match(/\] done: /g) ?? []).length >= lines) {
        killed = true;
        // The runner and every run it started: what a crash or `kill -9` of a session does.
        process.kill(-child.pid!, 'SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', () => (killed ? resolve(stdout) : reject(new Error(`the experiment ended before it was killed:\n${stdout}`))));
  });
}

describe('canopy experiment', () => {
  let firstOutput = '';
  let finishedBefore: { dir: string; mtime: number; hash: unknown }[] = [];
  let leftPartial: string[] = [];
  let rerun: CliResult;
  before(async () => {
    writeFileSync(file, EXPERIMENT);
    firstOutput = await runAndKillAfter(1);
    finishedBefore = runDirs.filter(isRunComplete).map((d) => ({ dir: d, mtime: statSync(join(d, 'summary.json')).mtimeMs, hash: readJson(join(d, 'summary.json'))['trajectoryHash'] }));
    leftPartial = runDirs.filter((d) => existsSync(d) && !isRunComplete(d));
    // A run killed while writing its summary leaves a truncated one: it must count as unfinished too.
    const unfinished = runDirs.find((d) => !isRunComplete(d))!;
    mkdirSync(unfinished, { recursive: true });
    writeFileSync(join(unfinished, 'config.json'), '{}\n');
    writeFileSync(join(unfinished, 'summary.json'), '{"status": "compl');
    rerun = await runMain(['experiment', file, '--out', out, '--jobs', '2']);
  });

  it('a killed experiment leaves finished runs and unfinished ones', (t) => {
    assert.match(firstOutput, /^experiment: 4 runs\n/);
    t.diagnostic(`at the kill: ${finishedBefore.length} runs complete, ${leftPartial.length} half written`);
    assert.ok(finishedBefore.length >= 1 && finishedBefore.length < 4, `expected some but not all runs finished at the kill, got ${finishedBefore.length}`);
  });

  it('the rerun skips finished runs, redoes the rest (half-written folders included) and completes', () => {
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(rerun.stderr, '');
    assert.match(rerun.stdout, new RegExp(`^experiment: 4 runs \\(${finishedBefore.length} already complete, skipped\\)\\n`));
    assert.equal((rerun.stdout.match(/\] done: /g) ?? []).length, 4 - finishedBefore.length, 'only the unfinished runs ran');
    assert.match(rerun.stdout, /tiny: 4 of 4 runs complete/);
    for (const f of finishedBefore) {
      assert.equal(statSync(join(f.dir, 'summary.json')).mtimeMs, f.mtime, `${f.dir} was run again`);
    }
    for (const d of runDirs) {
      assert.ok(isRunComplete(d), `${d} is not complete`);
      // Exactly the folder `canopy run` writes: nothing of the runner's inside it.
      assert.deepEqual(readdirSync(d).sort(), ['config.json', 'episodes.jsonl', 'replay.jsonl.gz', 'summary.json']);
    }
  });

  it('each run is the run its seed and condition say (same trajectory as a direct canopy run)', async () => {
    const direct = await runMain(['run', '--world', 'navigation', '--layout', 'open-room', '--agent', 'explorer', '--steps', '1500', '--memory', 'off',
      '--config', join(out, 'configs', 'agents=2.json'), '--seed', '4', '--out', join(dir, 'direct'), '--quiet']);
    assert.equal(direct.code, 0, direct.stderr);
    const config = readJson(join(out, 'runs', 'agents=2', 'seed-4', 'config.json'));
    assert.equal(config['agents'], 2);
    assert.equal(config['seed'], 4);
    assert.deepEqual(config['params'], { width: 7, height: 7 });
    assert.equal(readJson(join(dir, 'direct', 'summary.json'))['trajectoryHash'], readJson(join(out, 'runs', 'agents=2', 'seed-4', 'summary.json'))['trajectoryHash']);
  });

  it('results.csv has one row per run that agrees with its summary.json and episodes.jsonl', () => {
    const [header, ...rows] = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n').map(parseCsvLine);
    assert.deepEqual(header!.slice(0, 4), ['condition', 'agents', 'seed', 'status']);
    assert.equal(rows.length, 4);
    const col = (name: string) => header!.indexOf(name);
    for (const row of rows) {
      const runDir = join(out, 'runs', row[col('condition')]!, `seed-${row[col('seed')]}`);
      const summary = readJson(join(runDir, 'summary.json'));
      const episodes = readJsonl(join(runDir, 'episodes.jsonl'));
      assert.equal(row[col('status')], 'completed');
      assert.equal(Number(row[col('agents')]), summary['agents']);
      assert.equal(Number(row[col('episodes')]), episodes.length);
      assert.equal(Number(row[col('successRate')]), summary['successRate']);
      const meanLength = episodes.reduce((a, e) => a + (e['length'] as number), 0) / episodes.length;
      assert.ok(Math.abs(Number(row[col('meanEpisodeLength')]) - meanLength) < 1e-9, 'mean length from episodes.jsonl');
      assert.equal(Number(row[col('meanMetrics.coverage')]), (summary['meanMetrics'] as Record<string, number>)['coverage']);
    }
  });

  it('stats.json and summary.md give each condition the mean and 95% CI of its runs', () => {
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8')) as { condition: string; completed: number; metrics: Record<string, { mean: number; halfWidth: number | null }> }[];
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    assert.match(md, /^# Experiment tiny\n/);
    assert.match(md, /\| agents \| runs \| successRate \| meanEpisodeLength \| meanMetrics.coverage \|/);
    for (const s of stats) {
      assert.equal(s.completed, 2);
      const lengths = [3, 4].map((seed) => readJson(join(out, 'runs', s.condition, `seed-${seed}`, 'summary.json'))['meanEpisodeLength'] as number);
      const m = (lengths[0]! + lengths[1]!) / 2;
      // Two seeds: t(0.975, 1) = 12.7062, sd = |a - b| / √2, half width = t · sd / √2 = 12.7062 · |a - b| / 2.
      const hw = (12.706205 * Math.abs(lengths[0]! - lengths[1]!)) / 2;
      assert.ok(Math.abs(s.metrics['meanEpisodeLength']!.mean - m) < 1e-9);
      assert.ok(Math.abs(s.metrics['meanEpisodeLength']!.halfWidth! - hw) < 1e-4, `half width ${s.metrics['meanEpisodeLength']!.halfWidth} vs ${hw}`);
      const d = Math.abs(m) >= 100 ? 1 : Math.abs(m) >= 1 ? 2 : 3;
      assert.ok(md.includes(`${m.toFixed(d)} ± ${hw.toFixed(d)}`), `summary.md shows ${m.toFixed(d)} ± ${hw.toFixed(d)} for ${s.condition}`);
    }
  });

  it('renders the success-against-steps plot as SVG', () => {
    const svg = readFileSync(join(out, 'plots', 'success-vs-steps.svg'), 'utf8');
    assert.match(svg, /^<svg /);
    assert.ok(svg.includes('Success against steps') && svg.includes('agents=2'), 'title and a condition in the legend');
    assert.ok(!existsSync(join(out, 'plots', 'achievements.svg')), 'no achievement plot for a world without achievements');
  });

  it('refuses to reuse finished runs when the experiment file changed their config', async () => {
    const edited = join(dir, 'edited.yaml');
    writeFileSync(edited, EXPERIMENT.replace('steps: 1500', 'steps: 900'));
    const res = await runMain(['experiment', edited, '--out', out]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /holds a finished run made with another config \(agents=1, seed 3: "steps" is 1500 there, 900 here\); give the experiment another --out/);
    assert.ok(isRunComplete(runDirs[0]!), 'nothing was deleted');
  });

  it('stops with a clear error for a command this canopy lacks, and for a config the command refuses', async () => {
    const train = join(dir, 'train.yaml');
    writeFileSync(train, 'command: fly\nconfig: { world: navigation }\ngrid: { agents: [1] }\nseeds: 1\n');
    const missing = await runMain(['experiment', train, '--out', join(dir, 'fly')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: .*train.yaml: command "fly" is not available in this canopy \(it has: run, train, eval, experiment, view\); the experiment needs `canopy fly`/);
    const refused = join(dir, 'refused.yaml');
    writeFileSync(refused, 'config: { world: navigation, steps: 10, memory: off }\ngrid: { --bogus-flag: [1] }\nseeds: 2\n');
    const bad = await runMain(['experiment', refused, '--out', join(dir, 'refused'), '--quiet']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: condition bogus-flag=1, seed \d: canopy run refused the config: unknown option '--bogus-flag'/);
  });
});

/** One CSV line (quoted cells may hold commas). */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cur);
      cur = '';
    }
    else cur += ch;
  }
  cells.push(cur);
  return cells;
}
