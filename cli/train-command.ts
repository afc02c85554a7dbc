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
import { imitateKgManager, lowLevelActor, lowLevelPpoConfig, makeLowLevelEnv, makeManagerEnv } from './train-hierarchy.js';

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
/** With a hierarchy: the trained low level's checkpoint, and its metrics (metrics.jsonl is the manager's). */
export const LOW_LEVEL_DIR = 'low-level';
export const LOW_LEVEL_METRICS = 'low-level.jsonl';
export const TRAIN_FILES = ['metrics.jsonl', CHECKPOINT_DIR, LOW_LEVEL_DIR, LOW_LEVEL_METRICS, 'imitation.json'] as const;

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
export function readTrainCheckpoint(dir: string): { state: PpoState; config: ResolvedTrainConfig; dir: string; stage: 'low' | 'main' } {
  const ckDir = existsSync(join(dir, CHECKPOINT_DIR)) ? join(dir, CHECKPOINT_DIR) : dir;
  try {
    const { state, meta } = loadCheckpoint(ckDir);
    const config = meta.config as ResolvedTrainConfig | undefined;
    if (!config || typeof config.world !== 'string') throw new CliError(`${ckDir}: the checkpoint holds no train config`);
    return { state, config, dir: ckDir, stage: meta.stage === 'low' ? 'low' : 'main' };
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
  let ckStage: 'low' | 'main' = 'main';
  let dir: string;
  if (flags.resume !== undefined) {
    const given = Object.entries(flags).filter(([k, v]) => v !== undefined && !['resume', 'quiet', 'backend'].includes(k));
    if (given.length > 0) throw new CliError(`--resume continues the run as it was configured: drop ${given.map(([k]) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`);
    dir = resolve(flags.resume);
    const ck = readTrainCheckpoint(dir);
    config = ck.config;
    state = ck.state;
    ckStage = ck.stage;
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
  const h = config.hierarchy;
  const resumed = state !== null;
  // With a hierarchy the low level trains first (its own checkpoint and metrics), then the manager over it.
  let low: Ppo | null = null;
  let stage: 'low' | 'main' = 'main';
  let lowState: PpoState | null = null;
  if (h) {
    low = new Ppo({ makeEnv: (i) => makeLowLevelEnv(config, h, i), rng: Rng.fromSeed(config.seed).fork('low-level'), backend, config: lowLevelPpoConfig(h, backend.backend) });
    if (resumed && existsSync(join(dir, LOW_LEVEL_DIR, 'checkpoint.json'))) {
      low.setState(readTrainCheckpoint(join(dir, LOW_LEVEL_DIR)).state);
      // The low level finished; a checkpoint still from its stage means the manager had not saved one yet.
      if (ckStage === 'low') state = null;
    } else {
      stage = 'low';
      lowState = state;
      state = null;
    }
  }
  const makeMain = () => {
    if (!h || !low) {
      return new Ppo({
        makeEnv: envFactory(config), rng: Rng.fromSeed(config.seed), backend, config: { ...ppoConfigOf(config), backend: backend.backend },
        workers: config.workers, workerEnv: { module: import.meta.resolve('./train-env.js'), factory: 'makeTrainEnv', arg: config },
      });
    }
    // Greedy: the low level consumes no randomness; sampled: each env's actor restarts at every episode's seed.
    return new Ppo({ makeEnv: (i) => makeManagerEnv(config, h, lowLevelActor(h, low as Ppo, Rng.fromSeed(config.seed).fork(`low-actor-${i}`))), rng: Rng.fromSeed(config.seed), backend, config: { ...ppoConfigOf(config), backend: backend.backend } });
  };
  // The world is built (and its params checked) before the out folder exists: a bad config leaves nothing behind.
  let main: Ppo | null = stage === 'main' ? makeMain() : null;
  if (!main) makeTrainEnv(config).close?.();
  if (!resumed) {
    prepareOutFolder(dir, TRAIN_FILES);
    writeJsonFile(join(dir, 'config.json'), {
      canopyVersion: canopyVersion(), ...config, backend: { requested: backend.requested, used: backend.backend },
      ppo: { ...config.ppo, ...(main && { firstLayer: main.input, numUpdates: main.numUpdates }) },
      ...(low && { lowLevelPpo: { ...low.config, firstLayer: low.input, numUpdates: low.numUpdates } }),
    });
    writeFileSync(join(dir, 'metrics.jsonl'), '');
    if (h) writeFileSync(join(dir, LOW_LEVEL_METRICS), '');
  }
  const started = performance.now();
  let interrupted = false;
  let ppo: Ppo;
  let startSteps: number;
  let last: PpoUpdateStats | null = null;
  try {
    if (stage === 'low' && low) {
      if (lowState) low.setState(lowState);
      const r = await runStage(low, join(dir, LOW_LEVEL_METRICS), (st) => saveCheckpoint(join(dir, CHECKPOINT_DIR), st, { config, canopyVersion: canopyVersion(), stage: 'low' }), config, io, quiet, hooks, lowState !== null);
      interrupted = r.interrupted;
      if (!interrupted) saveCheckpoint(join(dir, LOW_LEVEL_DIR), low.getState(), { config, canopyVersion: canopyVersion(), stage: 'low' });
    }
    if (interrupted) {
      ppo = low as Ppo;
      startSteps = 0;
    } else {
      main ??= makeMain();
      ppo = main;
      if (state) ppo.setState(state);
      else if (h && low) {
        const lowLevel = lowLevelActor(h, low, Rng.fromSeed(config.seed).fork('imitation-actor'));
        const im = imitateKgManager(config, h, lowLevel, ppo);
        if (im) {
          writeJsonFile(join(dir, 'imitation.json'), im);
          if (!quiet) io.stdout.write(`manager warm start: ${im.decisions} kg-manager decisions over ${im.worldSteps} world steps, the manager picks as it did in ${(100 * (im.fit.accuracy.at(-1) ?? 0)).toFixed(1)}% of them after ${im.fit.accuracy.length} epochs\n`);
        }
      }
      startSteps = ppo.envStepsDone;
      const r = await runStage(ppo, join(dir, 'metrics.jsonl'), (st) => saveCheckpoint(join(dir, CHECKPOINT_DIR), st, { config, canopyVersion: canopyVersion(), ...(h && { stage: 'main' }) }), config, io, quiet, hooks, resumed && stage === 'main');
      interrupted = r.interrupted;
      last = r.last;
    }
  } finally {
    if (low) low.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  writeJsonFile(join(dir, 'summary.json'), {
    status: interrupted ? 'interrupted' : 'completed',
    ...(h && { stage: interrupted && ppo === low ? 'low-level' : 'manager' }),
    updates: ppo.updatesDone,
    numUpdates: ppo.numUpdates,
    envSteps: ppo.envStepsDone,
    seconds: Number(seconds.toFixed(2)),
    envStepsPerSecond: Math.round((ppo.envStepsDone - startSteps) / Math.max(seconds, 1e-9)),
    resumedFrom: state ? state.envSteps : null,
    last: last ? metricsLine(last) : null,
  });
  if (!quiet) io.stdout.write(`${interrupted ? 'stopped' : 'done'}: ${ppo.envStepsDone} ${h && ppo !== low ? 'manager decisions' : 'env steps'}, ${ppo.updatesDone}/${ppo.numUpdates} updates; checkpoint in ${join(dir, CHECKPOINT_DIR)}${interrupted ? ` (continue with: canopy train --resume ${dir})` : ''}\n`);
  main?.dispose();
  return interrupted ? 130 : 0;
}

/**
 * Runs `ppo`'s remaining updates, one metrics line each, checkpointing every `checkpointEvery` env steps, at the
 * end and on Ctrl-C (the update in progress finishes first). On resume, the metrics file is cut back to the
 * checkpoint's update first (later lines are made again, identically).
 */
async function runStage(ppo: Ppo, metricsPath: string, save: (state: PpoState) => void, config: ResolvedTrainConfig, io: CliIo, quiet: boolean, hooks: TrainHooks, resumed: boolean): Promise<{ interrupted: boolean; last: PpoUpdateStats | null }> {
  if (resumed) {
    const lines = existsSync(metricsPath) ? readFileSync(metricsPath, 'utf8').split('\n').filter((l) => l.length > 0) : [];
    if (lines.length < ppo.updatesDone) throw new CliError(`${metricsPath}: holds ${lines.length} updates, the checkpoint ${ppo.updatesDone}`);
    writeFileSync(metricsPath, lines.slice(0, ppo.updatesDone).map((l) => l + '\n').join(''));
  }
  const checkpoint = () => save(ppo.getState());
  const every = config.checkpointEvery;
  let nextCheckpoint = (Math.floor(ppo.envStepsDone / every) + 1) * every;
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const progress = new TrainProgressReporter(io.stdout, ppo.numUpdates * ppo.config.numEnvs * ppo.config.numSteps, quiet);
  const recent: PpoUpdateStats[] = [];
  const shown = () => {
    const eps = recent.reduce((n, s) => n + s.episodes, 0);
    const ret = recent.reduce((n, s) => n + (s.episodes > 0 ? s.meanReturn * s.episodes : 0), 0) / eps;
    const withSuccess = recent.filter((s) => s.episodes > 0 && Number.isFinite(s.successRate));
    const succ = withSuccess.reduce((n, s) => n + s.successRate * s.episodes, 0) / withSuccess.reduce((n, s) => n + s.episodes, 0);
    return { steps: ppo.envStepsDone, meanReturn: ret, successRate: succ };
  };
  let saved = false;
  let last: PpoUpdateStats | null = null;
  progress.start(ppo.envStepsDone);
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
  return { interrupted: ppo.updatesDone < ppo.numUpdates, last };
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
