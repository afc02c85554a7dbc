import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { OutputStream } from './cli-io.js';
import { CliError, USAGE_EXIT_CODE } from './errors.js';
import type { Condition, ExperimentPlan } from './experiment-file.js';
import { createExperimentProgress } from './experiment-progress.js';
import { writeJsonFile } from './output.js';

/** The canopy binary each run is a child process of. */
const CANOPY_BIN = fileURLToPath(new URL('../bin/canopy.js', import.meta.url));

/** One run of the experiment: a condition and a seed, and where it writes. */
export interface PlannedRun {
  readonly condition: Condition;
  readonly seed: number;
  /** The run's out folder: `<out>/runs/<condition>/seed-<seed>`, exactly as the command writes it. */
  readonly dir: string;
  /** Both output streams of the child, kept beside (not inside) the run folder. */
  readonly log: string;
}

/** What happened to the runs. */
export interface RunnerOutcome {
  /** Runs found complete before starting (resumed experiment). */
  readonly skipped: number;
  readonly completed: number;
  /** Runs whose child exited with an error (their logs say why). */
  readonly failed: readonly PlannedRun[];
  /** Stopped by Ctrl-C / SIGTERM: unstarted runs were not run, running ones were interrupted. */
  readonly interrupted: boolean;
}

export interface RunnerOptions {
  readonly plan: ExperimentPlan;
  /** Experiment folder (absolute). */
  readonly out: string;
  /** Child processes at once. */
  readonly jobs: number;
  readonly stream: OutputStream;
  readonly quiet: boolean;
}

/** Every run of the plan, conditions in order, seeds within each. */
export function plannedRuns(plan: ExperimentPlan, out: string): PlannedRun[] {
  return plan.conditions.flatMap((condition) =>
    plan.seeds.map((seed) => ({
      condition, seed,
      dir: join(out, 'runs', condition.id, `seed-${seed}`),
      log: join(out, 'logs', condition.id, `seed-${seed}.log`),
    })));
}

/** The condition's config file, which every run of it is given with `--config`. */
export function conditionConfigPath(out: string, condition: Condition): string {
  return join(out, 'configs', `${condition.id}.json`);
}

/**
 * A run is done when its folder holds a summary.json that parses and says `completed`. A killed run never wrote
 * one (or wrote part of one), and an interrupted or failed run says so: those are run again from scratch.
 */
export function isRunComplete(dir: string): boolean {
  try {
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { status?: unknown };
    return s.status === 'completed';
  } catch {
    return false;
  }
}

/**
 * How a finished run's config.json differs from what the experiment asks now (a field the condition sets, or the
 * seed), or null when it does not: an edited experiment file must not silently reuse runs of the old one.
 */
export function configDifference(run: PlannedRun): string | null {
  let written: Record<string, unknown>;
  try {
    written = JSON.parse(readFileSync(join(run.dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (written['seed'] !== undefined && written['seed'] !== run.seed) return `seed ${JSON.stringify(written['seed'])} there, ${run.seed} here`;
  for (const [key, value] of Object.entries(run.condition.config)) {
    if (key in written && !isDeepStrictEqual(written[key], value)) return `"${key}" is ${JSON.stringify(written[key])} there, ${JSON.stringify(value)} here`;
  }
  return null;
}

/** The commands this canopy has, read from its own `--help` (so a command another build adds, `train`, is found). */
export async function canopyCommands(): Promise<string[]> {
  // Imported on use: main.ts imports the experiment command.
  const { main } = await import('./main.js');
  let help = '';
  await main(['--help'], { stdout: { write: (s: string) => (help += s) }, stderr: { write: () => true } });
  const section = help.slice(help.indexOf('Commands:'));
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
}

/** Throws a {@link CliError} naming the experiment file when `canopy <command>` does not exist. */
export async function checkCommand(plan: ExperimentPlan): Promise<void> {
  const commands = await canopyCommands();
  if (!commands.includes(plan.command)) {
    throw new CliError(`${plan.file}: command "${plan.command}" is not available in this canopy (it has: ${commands.join(', ')}); the experiment needs \`canopy ${plan.command}\``);
  }
}

/**
 * Runs every planned run not already complete, `jobs` child processes at a time, and shows progress over runs.
 * A child's usage error (exit 2: the condition's config is wrong) stops the experiment with that error, since every
 * other run of the condition would fail the same way; any other failure is counted and the rest go on.
 */
export async function runExperimentRuns(opts: RunnerOptions): Promise<RunnerOutcome> {
  const runs = plannedRuns(opts.plan, opts.out);
  for (const condition of opts.plan.conditions) {
    const path = conditionConfigPath(opts.out, condition);
    mkdirSync(dirname(path), { recursive: true });
    writeJsonFile(path, condition.config);
  }
  const stale = runs.map((r) => ({ r, diff: isRunComplete(r.dir) ? configDifference(r) : null })).find((x) => x.diff !== null);
  if (stale) {
    throw new CliError(`${opts.out} holds a finished run made with another config (${stale.r.condition.id}, seed ${stale.r.seed}: ${stale.diff}); ` +
      'give the experiment another --out, or delete that folder to redo it');
  }
  // Seed by seed across conditions: an experiment stopped half way has every condition at about the same count.
  const todo = runs.filter((r) => !isRunComplete(r.dir)).sort((a, b) => opts.plan.seeds.indexOf(a.seed) - opts.plan.seeds.indexOf(b.seed));
  const skipped = runs.length - todo.length;
  const progress = createExperimentProgress({ quiet: opts.quiet, stream: opts.stream, total: runs.length, done: skipped });
  const failed: PlannedRun[] = [];
  const running = new Set<ChildProcess>();
  let completed = 0;
  let stopped = false;
  let usageError: CliError | undefined;
  const stopAll = () => {
    stopped = true;
    // SIGINT, as Ctrl-C would: each run closes its files and marks itself interrupted (and is redone next time).
    for (const child of running) child.kill('SIGINT');
  };
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    stopAll();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const queue = [...todo];
  const worker = async () => {
    for (let run = queue.shift(); run !== undefined && !stopped; run = queue.shift()) {
      progress.started(run);
      const code = await spawnRun(opts, run, running);
      if (stopped && code !== 0) break;
      if (code === 0 && isRunComplete(run.dir)) {
        completed++;
        progress.finished(run, 'done');
      } else if (code === USAGE_EXIT_CODE) {
        usageError ??= new CliError(`condition ${run.condition.id}, seed ${run.seed}: canopy ${opts.plan.command} refused the config: ${usageLine(run.log)} (log: ${run.log})`);
        stopAll();
      } else {
        failed.push(run);
        progress.finished(run, 'failed');
      }
    }
  };
  progress.start();
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.jobs, todo.length)) }, worker));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.stop();
  }
  if (usageError) throw usageError;
  return { skipped, completed, failed, interrupted };
}

/** Starts one run from an empty folder (a killed run's leftovers are removed) and resolves with its exit code. */
function spawnRun(opts: RunnerOptions, run: PlannedRun, running: Set<ChildProcess>): Promise<number> {
  rmSync(run.dir, { recursive: true, force: true });
  mkdirSync(dirname(run.dir), { recursive: true });
  mkdirSync(dirname(run.log), { recursive: true });
  const fd = openSync(run.log, 'w');
  const args = [
    CANOPY_BIN, opts.plan.command,
    '--config', conditionConfigPath(opts.out, run.condition),
    '--seed', String(run.seed),
    '--out', run.dir,
    ...run.condition.flags,
  ];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: process.cwd(), stdio: ['ignore', fd, fd] });
    running.add(child);
    const finish = (code: number) => {
      running.delete(child);
      closeSync(fd);
      done(code);
    };
    child.on('error', () => finish(1));
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 + 2 : 1)));
  });
}

/** The child's `error: ...` line from its log. */
function usageLine(log: string): string {
  if (!existsSync(log)) return 'no output';
  const lines = readFileSync(log, 'utf8').split('\n');
  return lines.reverse().find((l) => l.startsWith('error:'))?.slice('error: '.length) ?? 'no error line in the log';
}

/** The experiment's folder: `--out`, or `runs/experiments/<name>`. */
export function experimentFolder(plan: ExperimentPlan, out?: string): string {
  return resolve(out ?? join('runs', 'experiments', plan.name));
}
