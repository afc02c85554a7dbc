import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BackendError, initBackend } from '../agents/learn/backend.js';
import type { BackendInfo } from '../agents/learn/backend.js';
import { CheckpointError, loadCheckpoint, saveCheckpoint } from '../agents/learn/checkpoint.js';
import { Ppo } from '../agents/learn/ppo.js';
import type { PpoState, PpoUpdateStats } from '../agents/learn/ppo.js';
import type { DiscreteEnv } from '../agents/learn/rollout/vector-env.js';
import { Rng } from '../core/rng.js';
import type { CliIo } from './cli-io.js';
import { PROCESS_IO } from './cli-io.js';
import { parseCountFlag, parseSeedFlag } from './config.js';
import { CliError } from './errors.js';
import { defaultOutFolder, prepareOutFolder, toJsonLine, writeJsonFile } from './output.js';
import { TrainProgressReporter } from './train-progress.js';
import { loadTrainConfigFile, ppoConfigOf, resolveTrainConfig } from './train-config.js';
import type { ResolvedTrainConfig, TrainConfigFile } from './train-config.js';
import { canopyVersion } from './version.js';
import { makeTrainEnv } from './train-env.js';

/** `canopy train` flags as commander hands them over. */
export interface TrainFlags {
  readonly config?: string;
  readonly world?: string;
  readonly layout?: string;
  readonly rules?: string;
  readonly agents?: string;
  readonly seed?: string;
  readonly steps?: string;
  readonly checkpointEvery?: string;
  readonly backend?: string;
  readonly workers?: string;
  readonly out?: string;
  readonly resume?: string;
  readonly quiet?: boolean;
}

/** Hooks for tests and embedding: `signal` stops the run like Ctrl-C does (after the current update). */
export interface TrainHooks {
  readonly signal?: AbortSignal;
  readonly onUpdate?: (stats: PpoUpdateStats) => void;
}

/** Folder of the latest checkpoint inside a run folder. */
export const CHECKPOINT_DIR = 'checkpoint';
export const TRAIN_FILES = ['metrics.jsonl', CHECKPOINT_DIR] as const;

/** The env factory of a train config: one world per call, built by the CLI's world registry (bad params: CliError). */
export function envFactory(config: ResolvedTrainConfig): () => DiscreteEnv {
  return () => makeTrainEnv(config);
}

/** Starts a backend, turning its errors into one-line CLI errors. */
export async function startBackend(name: string, quiet: boolean): Promise<BackendInfo> {
  try {
    return await initBackend(name, { quiet });
  } catch (err) {
    if (err instanceof BackendError) throw new CliError(`--backend: ${err.message}`);
    throw err;
  }
}

/** Reads a run's checkpoint (a run folder or its checkpoint folder) with the train config it was made with. */
export function readTrainCheckpoint(dir: string): { state: PpoState; config: ResolvedTrainConfig; dir: string } {
  const ckDir = existsSync(join(dir, CHECKPOINT_DIR)) ? join(dir, CHECKPOINT_DIR) : dir;
  try {
    const { state, meta } = loadCheckpoint(ckDir);
    const config = meta.config as ResolvedTrainConfig | undefined;
    if (!config || typeof config.world !== 'string') throw new CliError(`${ckDir}: the checkpoint holds no train config`);
    return { state, config, dir: ckDir };
  } catch (err) {
    if (err instanceof CheckpointError) throw new CliError(err.message);
    throw err;
  }
}

/**
 * `canopy train`: PPO on a world from a config file and flags, or `--resume DIR`. Writes `config.json`,
 * `metrics.jsonl` (one line per update, deterministic by seed), `checkpoint/` every `checkpointEvery` env steps, at
 * the end and on Ctrl-C (the update in progress finishes first), and `summary.json`. Returns 0, or 130 when stopped.
 */
export async function trainCommand(flags: TrainFlags, io: CliIo = PROCESS_IO, hooks: TrainHooks = {}): Promise<number> {
  const quiet = flags.quiet ?? false;
  let config: ResolvedTrainConfig;
  let state: PpoState | null = null;
  let dir: string;
  if (flags.resume !== undefined) {
    const given = Object.entries(flags).filter(([k, v]) => v !== undefined && !['resume', 'quiet', 'backend'].includes(k));
    if (given.length > 0) throw new CliError(`--resume continues the run as it was configured: drop ${given.map(([k]) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`);
    dir = resolve(flags.resume);
    const ck = readTrainCheckpoint(dir);
    config = ck.config;
    state = ck.state;
  } else {
    const fromFlags: TrainConfigFile = {
      ...(flags.world !== undefined && { world: flags.world }),
      ...(flags.layout !== undefined && { layout: flags.layout }),
      ...(flags.rules !== undefined && { rules: flags.rules }),
      ...(flags.agents !== undefined && { agents: parseCountFlag('--agents', flags.agents) }),
      ...(flags.seed !== undefined && { seed: parseSeedFlag(flags.seed) }),
      ...(flags.steps !== undefined && { totalSteps: parseCountFlag('--steps', flags.steps) }),
      ...(flags.checkpointEvery !== undefined && { checkpointEvery: parseCountFlag('--checkpoint-every', flags.checkpointEvery) }),
      ...(flags.backend !== undefined && { backend: flags.backend as TrainConfigFile['backend'] }),
      ...(flags.workers !== undefined && { workers: flags.workers === '0' ? 0 : parseCountFlag('--workers', flags.workers) }),
      ...(flags.out !== undefined && { out: flags.out }),
    };
    const file = flags.config !== undefined ? loadTrainConfigFile(flags.config) : {};
    config = resolveTrainConfig(file, fromFlags, flags.config ?? 'config', defaultOutFolder);
    dir = resolve(config.out);
  }
  const backend = await startBackend(flags.backend ?? config.backend, quiet);
  // The world is built (and its params checked) before the out folder exists: a bad config leaves nothing behind.
  const ppo = new Ppo({
    makeEnv: envFactory(config), rng: Rng.fromSeed(config.seed), backend, config: { ...ppoConfigOf(config), backend: backend.backend },
    workers: config.workers, workerEnv: { module: import.meta.resolve('./train-env.js'), factory: 'makeTrainEnv', arg: config },
  });
  const metricsPath = join(dir, 'metrics.jsonl');
  if (state) {
    ppo.setState(state);
    // metrics.jsonl may hold updates made after the checkpoint: they are made again, identically.
    const lines = existsSync(metricsPath) ? readFileSync(metricsPath, 'utf8').split('\n').filter((l) => l.length > 0) : [];
    if (lines.length < state.updates) throw new CliError(`${metricsPath}: holds ${lines.length} updates, the checkpoint ${state.updates}`);
    writeFileSync(metricsPath, lines.slice(0, state.updates).map((l) => l + '\n').join(''));
  } else {
    prepareOutFolder(dir, TRAIN_FILES);
    writeJsonFile(join(dir, 'config.json'), { canopyVersion: canopyVersion(), ...config, backend: { requested: backend.requested, used: backend.backend }, ppo: { ...config.ppo, firstLayer: ppo.input, numUpdates: ppo.numUpdates } });
    writeFileSync(metricsPath, '');
  }

  const checkpoint = () => saveCheckpoint(join(dir, CHECKPOINT_DIR), ppo.getState(), { config, canopyVersion: canopyVersion() });
  const every = config.checkpointEvery;
  let nextCheckpoint = (Math.floor(ppo.envStepsDone / every) + 1) * every;
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const progress = new TrainProgressReporter(io.stdout, ppo.numUpdates * config.ppo.numEnvs * config.ppo.numSteps, quiet);
  const recent: PpoUpdateStats[] = [];
  const shown = () => {
    const eps = recent.reduce((n, s) => n + s.episodes, 0);
    const ret = recent.reduce((n, s) => n + (s.episodes > 0 ? s.meanReturn * s.episodes : 0), 0) / eps;
    const withSuccess = recent.filter((s) => s.episodes > 0 && Number.isFinite(s.successRate));
    const succ = withSuccess.reduce((n, s) => n + s.successRate * s.episodes, 0) / withSuccess.reduce((n, s) => n + s.episodes, 0);
    return { steps: ppo.envStepsDone, meanReturn: ret, successRate: succ };
  };
  const started = performance.now();
  const startSteps = ppo.envStepsDone;
  let saved = false;
  let last: PpoUpdateStats | null = null;
  progress.start(startSteps);
  try {
    while (ppo.updatesDone < ppo.numUpdates) {
      const s = ppo.iterate();
      last = s;
      appendFileSync(metricsPath, toJsonLine(metricsLine(s)) + '\n');
      recent.push(s);
      if (recent.length > 10) recent.shift();
      saved = false;
      hooks.onUpdate?.(s);
      if (s.envSteps >= nextCheckpoint) {
        checkpoint();
        saved = true;
        while (nextCheckpoint <= s.envSteps) nextCheckpoint += every;
      }
      progress.update(shown());
      // Lets Ctrl-C (and the abort signal) in between two updates: the update that ran is complete.
      await new Promise((r) => setImmediate(r));
      if (abort.signal.aborted || hooks.signal?.aborted) break;
    }
    if (!saved) checkpoint();
  } finally {
    process.off('SIGINT', onSigint);
    progress.stop(shown());
  }
  const interrupted = ppo.updatesDone < ppo.numUpdates;
  const seconds = (performance.now() - started) / 1000;
  writeJsonFile(join(dir, 'summary.json'), {
    status: interrupted ? 'interrupted' : 'completed',
    updates: ppo.updatesDone,
    numUpdates: ppo.numUpdates,
    envSteps: ppo.envStepsDone,
    seconds: Number(seconds.toFixed(2)),
    envStepsPerSecond: Math.round((ppo.envStepsDone - startSteps) / Math.max(seconds, 1e-9)),
    resumedFrom: state ? state.envSteps : null,
    last: last ? metricsLine(last) : null,
  });
  if (!quiet) io.stdout.write(`${interrupted ? 'stopped' : 'done'}: ${ppo.envStepsDone} env steps, ${ppo.updatesDone}/${ppo.numUpdates} updates; checkpoint in ${join(dir, CHECKPOINT_DIR)}${interrupted ? ` (continue with: canopy train --resume ${dir})` : ''}\n`);
  ppo.dispose();
  return interrupted ? 130 : 0;
}

/**
 * One line of metrics.jsonl: the update's stats, with the episodes' metrics flat. `intrinsic/*` and `extrinsic`
 * keep their names; the world's other metrics (achievements, coverage) get an `episode/` prefix.
 */
export function metricsLine(s: PpoUpdateStats): Record<string, number> {
  const { episodeMetrics, ...rest } = s;
  const line: Record<string, number> = { ...rest };
  for (const [k, v] of Object.entries(episodeMetrics)) line[k.startsWith('intrinsic/') || k === 'extrinsic' ? k : `episode/${k}`] = v;
  return line;
}
