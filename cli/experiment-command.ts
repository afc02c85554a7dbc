import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import type { CliIo } from './cli-io.js';
import { PROCESS_IO } from './cli-io.js';
import { parseCountFlag } from './config.js';
import { CliError } from './errors.js';
import { loadExperimentFile } from './experiment-file.js';
import type { ExperimentPlan } from './experiment-file.js';
import { writePlots } from './experiment-plots.js';
import { conditionStats, readRunResult, resultsCsv, summaryMarkdown } from './experiment-results.js';
import type { ConditionStats, RunResult } from './experiment-results.js';
import { checkCommand, experimentFolder, plannedRuns, runExperimentRuns } from './experiment-runner.js';
import { writeJsonFile } from './output.js';
import { resolveRunConfig } from './run-command.js';

/** `canopy experiment` flags as commander hands them over. */
export interface ExperimentFlags {
  readonly jobs?: string;
  readonly out?: string;
  readonly quiet?: boolean;
}

/**
 * `canopy experiment FILE`: runs every condition x seed not yet complete as a child `canopy <command>`, then writes
 * results.csv, stats.json, summary.md and plots/ from the run folders. Returns 0 when every run is complete, 1 when
 * some failed, 130 when interrupted (the next call resumes).
 */
export async function experimentCommand(file: string, flags: ExperimentFlags, io: CliIo = PROCESS_IO): Promise<number> {
  const plan = loadExperimentFile(file);
  const jobs = flags.jobs !== undefined ? parseCountFlag('--jobs', flags.jobs) : availableParallelism();
  await checkCommand(plan);
  if (plan.command === 'run') checkRunConfigs(plan);
  const out = experimentFolder(plan, flags.out);
  mkdirSync(out, { recursive: true });
  writeJsonFile(join(out, 'experiment.json'), plan);

  const outcome = await runExperimentRuns({ plan, out, jobs, stream: io.stdout, quiet: flags.quiet ?? false });
  const command = `canopy experiment ${displayPath(file)}${flags.out !== undefined ? ` --out ${displayPath(flags.out)}` : ''}`;
  const { results, stats } = await writeReport(plan, out, command);

  const complete = results.filter((r) => r.status === 'completed').length;
  if (!flags.quiet) {
    io.stdout.write(
      `${plan.name}: ${complete} of ${results.length} runs complete` +
        `${outcome.skipped > 0 ? ` (${outcome.skipped} were already)` : ''}${outcome.failed.length > 0 ? `, ${outcome.failed.length} failed` : ''}\n` +
        `  ${stats.length} conditions x ${plan.seeds.length} seeds; results in ${displayPath(join(out, 'summary.md'))}\n`,
    );
    for (const s of plan.skipped) io.stdout.write(`  condition ${s.id} left out: set ${s.env} to run it\n`);
  }
  for (const run of outcome.failed) io.stderr.write(`error: run ${run.condition.id} seed ${run.seed} failed; see ${displayPath(run.log)}\n`);
  if (outcome.interrupted) return 130;
  return outcome.failed.length > 0 ? 1 : 0;
}

/** results.csv, stats.json, plots/ and summary.md from the run folders as they are now. */
export async function writeReport(plan: ExperimentPlan, out: string, command: string): Promise<{ results: RunResult[]; stats: ConditionStats[] }> {
  const results = plannedRuns(plan, out).map(readRunResult);
  const stats = conditionStats(plan, results);
  writeFileSync(join(out, 'results.csv'), resultsCsv(plan, results));
  writeJsonFile(join(out, 'stats.json'), stats);
  const plots = await writePlots(out, plan, results, stats);
  writeFileSync(join(out, 'summary.md'), summaryMarkdown(plan, stats, { command, plots }));
  return { results, stats };
}

/** `canopy run` configs are checked here, in one go, so a wrong agent name fails before 100 runs start. */
function checkRunConfigs(plan: ExperimentPlan): void {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-experiment-'));
  try {
    for (const condition of plan.conditions) {
      const path = join(dir, `${condition.id}.json`);
      writeFileSync(path, JSON.stringify(condition.config));
      try {
        resolveRunConfig({ config: path, seed: String(plan.seeds[0] ?? 0), out: join(dir, 'out') });
      } catch (err) {
        if (err instanceof CliError) throw new CliError(`${plan.file}: condition ${condition.id}: ${err.message.replace(`${path}: `, '')}`);
        throw err;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
