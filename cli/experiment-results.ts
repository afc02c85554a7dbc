import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crafterScore } from '../worlds/crafter/score.js';
import type { Condition, ConditionValue, ExperimentPlan } from './experiment-file.js';
import type { PlannedRun } from './experiment-runner.js';
import { isRunComplete } from './experiment-runner.js';
import { meanCi } from './experiment-stats.js';
import type { MeanCi } from './experiment-stats.js';

/** One run as read back from its folder. */
export interface RunResult {
  readonly run: PlannedRun;
  /** `completed`, the summary's own status (`interrupted`, `error`) or `missing` (no readable summary.json). */
  readonly status: string;
  /** The summary's numeric values, flattened to dotted names (`successRates.team.collect_wood`). */
  readonly metrics: Readonly<Record<string, number>>;
}

/** Per condition: how many runs finished, each metric's mean and CI, and the Crafter score of the pooled rates. */
export interface ConditionStats {
  readonly condition: string;
  readonly values: Readonly<Record<string, ConditionValue>>;
  readonly runs: number;
  readonly completed: number;
  readonly metrics: Readonly<Record<string, MeanCi>>;
  /**
   * Crafter score (Hafner 2021: exp(mean ln(1 + s_i)) - 1, s_i in percent) of the achievement success rates over
   * all of the condition's episodes (runs weighted by their episodes); null for worlds without achievements.
   */
  readonly crafterScore: number | null;
  /** Those pooled success rates, percent by achievement. */
  readonly successRates: Readonly<Record<string, number>> | null;
}

/** Summary fields that repeat the config (already columns) or are counts the rates already give. */
const NOT_METRICS = new Set(['seed', 'agents', 'achievements']);

/** Numeric leaves of a run's summary.json, by dotted path; per-agent breakdowns are left out (one row is one run). */
export function flattenMetrics(summary: unknown, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof summary !== 'object' || summary === null) return out;
  for (const [key, value] of Object.entries(summary)) {
    if (prefix === '' && NOT_METRICS.has(key)) continue;
    if (/byagent$/i.test(key)) continue;
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'number' && Number.isFinite(value)) out[name] = value;
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) Object.assign(out, flattenMetrics(value, name));
  }
  return out;
}

export function readRunResult(run: PlannedRun): RunResult {
  let summary: Record<string, unknown>;
  try {
    summary = JSON.parse(readFileSync(join(run.dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return { run, status: 'missing', metrics: {} };
  }
  const status = isRunComplete(run.dir) ? 'completed' : String(summary['status'] ?? 'missing');
  return { run, status, metrics: status === 'completed' ? flattenMetrics(summary) : {} };
}

/** Metric names in first-seen order over the runs. */
export function metricNames(results: readonly RunResult[]): string[] {
  const names = new Set<string>();
  for (const r of results) for (const k of Object.keys(r.metrics)) names.add(k);
  return [...names];
}

/** `results.csv`: one row per planned run (condition, its values, seed, status, every metric; blank where none). */
export function resultsCsv(plan: ExperimentPlan, results: readonly RunResult[]): string {
  const metrics = metricNames(results);
  const header = ['condition', ...plan.axes, 'seed', 'status', ...metrics];
  const rows = results.map((r) => [
    r.run.condition.id,
    ...plan.axes.map((a) => r.run.condition.values[a] ?? ''),
    r.run.seed,
    r.status,
    ...metrics.map((m) => r.metrics[m] ?? ''),
  ]);
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

function csvCell(v: unknown): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Mean and 95% CI of each metric over each condition's completed runs, and its pooled Crafter score. */
export function conditionStats(plan: ExperimentPlan, results: readonly RunResult[]): ConditionStats[] {
  const names = metricNames(results);
  return plan.conditions.map((condition) => {
    const mine = results.filter((r) => r.run.condition.id === condition.id);
    const done = mine.filter((r) => r.status === 'completed');
    const metrics: Record<string, MeanCi> = {};
    for (const name of names) {
      const xs = done.map((r) => r.metrics[name]).filter((x): x is number => x !== undefined);
      if (xs.length > 0) metrics[name] = meanCi(xs);
    }
    const rates = pooledSuccessRates(done);
    return {
      condition: condition.id, values: condition.values, runs: mine.length, completed: done.length, metrics,
      crafterScore: rates ? crafterScore(Object.values(rates)) : null,
      successRates: rates,
    };
  });
}

const RATE_PREFIX = 'successRates.team.';

/** Achievement success rates over all episodes of these runs, from each run's `successRates.team` and `episodes`. */
function pooledSuccessRates(runs: readonly RunResult[]): Record<string, number> | null {
  const withRates = runs.filter((r) => Object.keys(r.metrics).some((k) => k.startsWith(RATE_PREFIX)) && (r.metrics['episodes'] ?? 0) > 0);
  if (withRates.length === 0) return null;
  const episodes = withRates.reduce((a, r) => a + r.metrics['episodes']!, 0);
  // Back to episode counts (integers: the summary's rates are counts over episodes), so pooled rates stay in [0, 100].
  const unlocked: Record<string, number> = {};
  for (const r of withRates) {
    for (const [k, v] of Object.entries(r.metrics)) {
      if (!k.startsWith(RATE_PREFIX)) continue;
      const name = k.slice(RATE_PREFIX.length);
      unlocked[name] = (unlocked[name] ?? 0) + Math.round((v * r.metrics['episodes']!) / 100);
    }
  }
  return Object.fromEntries(Object.entries(unlocked).map(([name, n]) => [name, (100 * n) / episodes]));
}

/** Headline metrics of summary.md when the experiment names none: those of these that any run reports. */
export const DEFAULT_HEADLINE = ['successRate', 'meanReturn', 'meanEpisodeLength', 'crafterScore', 'diamondSuccessRate', 'meanStepsToDiamond'];

/** A number at a precision a table can show. */
export function formatNumber(x: number): string {
  return x.toFixed(decimals(x));
}

/** Decimals {@link formatNumber} gives `x`. */
function decimals(x: number): number {
  const a = Math.abs(x);
  return a >= 100 ? 1 : a >= 1 ? 2 : 3;
}

/** `mean ± half-width`, both at the mean's precision. */
export function formatMeanCi(s: MeanCi | undefined): string {
  if (!s) return '-';
  const d = decimals(s.mean);
  return s.halfWidth === null ? s.mean.toFixed(d) : `${s.mean.toFixed(d)} ± ${s.halfWidth.toFixed(d)}`;
}

/** `summary.md`: what was run, a headline table (mean ± 95% CI half-width) and every metric with its interval. */
export function summaryMarkdown(plan: ExperimentPlan, stats: readonly ConditionStats[], opts: { command: string; plots: readonly string[] }): string {
  const present = new Set(stats.flatMap((s) => Object.keys(s.metrics)));
  const headline = (plan.metrics ?? DEFAULT_HEADLINE).filter((m) => present.has(m));
  const missing = (plan.metrics ?? []).filter((m) => !present.has(m));
  const withScore = stats.some((s) => s.crafterScore !== null);
  const seeds = plan.seeds;
  const lines: string[] = [`# Experiment ${plan.name}`, ''];
  if (plan.description) lines.push(plan.description.trim(), '');
  lines.push(
    `Command: \`${opts.command}\` (each run: \`canopy ${plan.command}\`; runs in \`runs/<condition>/seed-<n>\`).`,
    `Seeds: ${seeds.length} per condition (${seeds.length > 1 && seeds[seeds.length - 1]! - seeds[0]! === seeds.length - 1 ? `${seeds[0]}..${seeds[seeds.length - 1]}` : seeds.join(', ')}); ` +
      `${stats.reduce((a, s) => a + s.completed, 0)} of ${stats.reduce((a, s) => a + s.runs, 0)} runs complete.`,
  );
  for (const s of plan.skipped) lines.push(`Condition ${s.id} was left out: it runs when ${s.env} is set.`);
  if (missing.length > 0) lines.push(`No run reported ${missing.map((m) => `"${m}"`).join(', ')}.`);
  lines.push('', 'Cells: mean ± half-width of the 95% confidence interval over seeds (Student t, n - 1 degrees of freedom).', '');
  const axisHeads = plan.axes.map((a) => a.replace(/^--/, ''));
  const head = [...axisHeads, 'runs', ...headline, ...(withScore ? ['Crafter score (pooled)'] : [])];
  lines.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
  for (const s of stats) {
    const row = [
      ...plan.axes.map((a) => String(s.values[a] ?? configValue(plan, s.condition, a) ?? '')),
      s.completed === s.runs ? String(s.runs) : `${s.completed}/${s.runs}`,
      ...headline.map((m) => formatMeanCi(s.metrics[m])),
      ...(withScore ? [s.crafterScore === null ? '-' : `${s.crafterScore.toFixed(2)}%`] : []),
    ];
    lines.push(`| ${row.join(' | ')} |`);
  }
  if (withScore) lines.push('', 'Crafter score (pooled): exp(mean ln(1 + s_i)) - 1 over the achievement success rates s_i (percent) of all the condition\'s episodes.');
  if (opts.plots.length > 0) lines.push('', '## Plots', '', ...opts.plots.map((p) => `![${p}](${p})`));
  lines.push('', '## Every metric', '', 'Mean [95% CI] per condition; names as in results.csv.', '');
  lines.push(`| metric | ${stats.map((s) => s.condition).join(' | ')} |`, `| --- | ${stats.map(() => '---').join(' | ')} |`);
  for (const m of [...present]) {
    const row = stats.map((s) => {
      const v = s.metrics[m];
      if (!v) return '-';
      return v.low === null || v.high === null ? formatNumber(v.mean) : `${formatNumber(v.mean)} [${formatNumber(v.low)}, ${formatNumber(v.high)}]`;
    });
    lines.push(`| ${m} | ${row.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

/** A condition's effective value of a field it does not vary (the experiment's config, or a --flag's absence). */
function configValue(plan: ExperimentPlan, id: string, field: string): unknown {
  const condition: Condition | undefined = plan.conditions.find((c) => c.id === id);
  if (!condition || field.startsWith('--')) return undefined;
  let node: unknown = condition.config;
  for (const key of field.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return node === undefined ? undefined : typeof node === 'boolean' ? (node ? 'on' : 'off') : node;
}
