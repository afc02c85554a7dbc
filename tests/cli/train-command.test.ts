import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../cli/main.js';
import { trainCommand } from '../../cli/train-command.js';
import { tempDir } from './support/run-cli.js';

/** Runs `canopy ...` in this process, capturing its output. */
async function canopy(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const quietIo = { stdout: { write: () => true }, stderr: { write: () => true } };

// A small navigation task: 2 envs x 32 steps per update, 6 updates, short episodes so updates cross episode ends.
const SMALL = {
  world: 'navigation', layout: 'open-room', agents: 2, seed: 4, totalSteps: 384, checkpointEvery: 128,
  params: { width: 7, height: 7, maxSteps: 20 },
  ppo: { numEnvs: 2, numSteps: 32, hidden: [16], observationKeys: ['view'], policy: 'per-agent' },
};

describe('canopy train', () => {
  it('an interrupted (Ctrl-C) and resumed run writes the same metrics.jsonl as an uninterrupted one', async () => {
    const dir = tempDir('train');
    try {
      const cfg = join(dir, 'train.yaml');
      writeFileSync(cfg, JSON.stringify(SMALL));
      const straight = join(dir, 'straight');
      assert.equal(await trainCommand({ config: cfg, out: straight, quiet: true, backend: 'wasm' }, quietIo), 0);
      const cut = join(dir, 'cut');
      // SIGINT through the process, as Ctrl-C sends it: the update in progress finishes, a checkpoint is saved.
      const code = await trainCommand({ config: cfg, out: cut, quiet: true, backend: 'wasm' }, quietIo, { onUpdate: (s) => s.update === 2 && process.emit('SIGINT') });
      assert.equal(code, 130, 'an interrupted run exits with 130');
      assert.equal(readFileSync(join(cut, 'metrics.jsonl'), 'utf8').trim().split('\n').length, 2, 'two updates were written before stopping');
      const summary = JSON.parse(readFileSync(join(cut, 'summary.json'), 'utf8')) as { status: string };
      assert.equal(summary.status, 'interrupted');
      assert.equal(await trainCommand({ resume: cut, quiet: true }, quietIo), 0);
      const want = readFileSync(join(straight, 'metrics.jsonl'), 'utf8');
      assert.equal(want.trim().split('\n').length, 6, 'six updates');
      assert.equal(readFileSync(join(cut, 'metrics.jsonl'), 'utf8'), want, 'metrics.jsonl equal byte for byte');
      const config = JSON.parse(readFileSync(join(straight, 'config.json'), 'utf8')) as { backend: unknown };
      assert.deepEqual(config.backend, { requested: 'wasm', used: 'wasm' }, 'config.json records the backend that ran');
      assert.ok(existsSync(join(straight, 'checkpoint', 'tensors.bin')), 'a checkpoint is left at the end');

      // The trained policy runs in `canopy run` and `canopy eval`, which write the same run files.
      const evalOut = join(dir, 'eval');
      const ev = await canopy(['eval', '--checkpoint', straight, '--episodes', '3', '--seed', '1', '--out', evalOut, '--quiet', '--memory', 'off', '--backend', 'wasm']);
      assert.equal(ev.code, 0, ev.stderr);
      const runOut = join(dir, 'run');
      writeFileSync(join(dir, 'params.yaml'), `params: ${JSON.stringify(SMALL.params)}\n`);
      const run = await canopy(['run', '--world', 'navigation', '--layout', 'open-room', '--agents', '2', '--agent', `policy:${straight}`, '--episodes', '3', '--seed', '1', '--out', runOut, '--quiet', '--memory', 'off', '--backend', 'wasm', '--config', join(dir, 'params.yaml')]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(readdirSync(evalOut).sort(), ['config.json', 'episodes.jsonl', 'replay.jsonl.gz', 'summary.json']);
      assert.deepEqual(readdirSync(runOut).sort(), readdirSync(evalOut).sort(), 'eval writes the files of canopy run');
      assert.equal(readFileSync(join(runOut, 'episodes.jsonl'), 'utf8'), readFileSync(join(evalOut, 'episodes.jsonl'), 'utf8'), 'same policy, world and seed: the same episodes');
      assert.equal(readFileSync(join(evalOut, 'episodes.jsonl'), 'utf8').trim().split('\n').length, 3, 'three episodes');
      const evalConfig = JSON.parse(readFileSync(join(evalOut, 'config.json'), 'utf8')) as { agent: string; params: unknown; backend: unknown };
      assert.deepEqual(evalConfig.backend, { requested: 'wasm', used: 'wasm' }, 'the policy run records its backend');
      assert.equal(evalConfig.agent, `policy:${straight}`);
      assert.deepEqual(evalConfig.params, SMALL.params, 'eval runs the world with the options it was trained with');
      const wrong = await canopy(['run', '--world', 'navigation', '--layout', 'maze', '--agents', '2', '--agent', `policy:${straight}`, '--episodes', '1', '--quiet']);
      assert.equal(wrong.code, 2);
      assert.match(wrong.stderr, /the policy was trained on navigation \(open-room\); this run is navigation \(maze\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('intrinsic modules are applied (also in env workers), logged apart, and resume exactly with their run-long counts', async () => {
    const dir = tempDir('train-intrinsic');
    try {
      // Run-scope counts outlive episodes: only the checkpoint's run state (not the episode replay) brings them back.
      const cfg = join(dir, 'train.json');
      writeFileSync(cfg, JSON.stringify({ ...SMALL, workers: 1, intrinsic: [{ name: 'count-novelty', weight: 0.1, scope: 'run' }] }));
      const straight = join(dir, 'straight');
      assert.equal(await trainCommand({ config: cfg, out: straight, quiet: true, backend: 'wasm' }, quietIo), 0);
      const cut = join(dir, 'cut');
      assert.equal(await trainCommand({ config: cfg, out: cut, quiet: true, backend: 'wasm' }, quietIo, { onUpdate: (s) => s.update === 3 && process.emit('SIGINT') }), 130);
      const ck = JSON.parse(readFileSync(join(cut, 'checkpoint', 'checkpoint.json'), 'utf8')) as { vec: { envStates?: { modules: unknown[] }[] } };
      assert.equal(ck.vec.envStates?.length, 2, 'the checkpoint holds each env\'s run state');
      assert.ok(Array.isArray(ck.vec.envStates?.[0]?.modules[0]), 'with the visit counts of count-novelty');
      assert.equal(await trainCommand({ resume: cut, quiet: true }, quietIo), 0);
      const want = readFileSync(join(straight, 'metrics.jsonl'), 'utf8');
      assert.equal(readFileSync(join(cut, 'metrics.jsonl'), 'utf8'), want, 'metrics.jsonl equal byte for byte');
      const lines = want.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
      const withEpisodes = lines.filter((l) => (l.episodes as number) > 0);
      assert.ok(withEpisodes.length > 0, 'episodes ended');
      for (const l of withEpisodes) {
        assert.ok((l['intrinsic/count-novelty'] as number) > 0, 'intrinsic/count-novelty is logged and paid');
        assert.equal(typeof l.extrinsic, 'number', 'extrinsic is logged apart');
        assert.ok(Math.abs((l.meanReturn as number) - (l.extrinsic as number) - (l['intrinsic/count-novelty'] as number)) < 1e-6, 'return = extrinsic + intrinsic');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad config fails with one clear line and leaves no folder', async () => {
    const dir = tempDir('train-bad');
    try {
      const out = join(dir, 'out');
      const write = (name: string, value: unknown) => {
        writeFileSync(join(dir, name), JSON.stringify(value));
        return join(dir, name);
      };
      const cases: [string[], RegExp][] = [
        [['--backend', 'tpu'], /--backend: unknown backend "tpu"; expected "auto", "gpu", "node", "wasm" or "cpu"/],
        [['--config', write('b.json', { backend: 'metal' })], /b\.json: field "backend": unknown backend "metal"/],
        [['--config', write('lr.json', { ppo: { learningRate: -0.01 } })], /lr\.json: ppo: learningRate = -0\.01: Too small: expected number to be >0/],
        [['--config', write('opt.json', { world: 'navigation', params: { bogus: 1 } })], /navigation: .*Unrecognized key: "bogus"/],
        [['--config', write('key.json', { wrld: 'crafter' })], /key\.json: unknown field "wrld" \(allowed: world, layout/],
        [['--config', write('in.json', { intrinsic: [{ name: 'novelty' }] })], /in\.json: field "intrinsic\.0\.weight"/],
        [['--config', write('cur.json', { intrinsic: [{ name: 'curiosity', weight: 1 }] })], /intrinsic\[0\]: unknown intrinsic module "curiosity"; known: count-novelty, team-novelty, topological, subgoal/],
        [['--resume', join(dir, 'nothing')], /holds no checkpoint/],
      ];
      for (const [args, want] of cases) {
        const r = await canopy(['train', ...args, '--out', out, '--quiet'].filter((a, i, all) => !(args.includes('--resume') && (a === '--out' || all[i - 1] === '--out'))));
        assert.equal(r.code, 2, `${args.join(' ')} should be a usage error, got ${r.code}: ${r.stderr}`);
        assert.match(r.stderr, want, `${args.join(' ')}`);
        assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
        assert.equal(existsSync(out), false, `${args.join(' ')} leaves no out folder`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
