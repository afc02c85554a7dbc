import type { MetricsSummary } from '../core/metrics.js';
import type { PerAgent } from '../core/parallel-env.js';
import type { ResolvedRunConfig } from './config.js';
import { canopyVersion } from './version.js';

/** `summary.json`. */
export interface RunSummaryFile {
  readonly canopyVersion: string;
  readonly status: 'completed' | 'interrupted' | 'error';
  readonly error?: string;
  readonly world: string;
  /** The world's variant: `layout` (navigation) or `rules` (crafter). */
  readonly layout?: string;
  readonly rules?: string;
  readonly agents: number;
  readonly agent: string;
  readonly seed: number;
  /** Env steps taken, including those of an episode cut short by the step budget. */
  readonly steps: number;
  /** Finished episodes (the ones in episodes.jsonl). */
  readonly episodes: number;
  /** Mean of the world's `success` metric over finished episodes; null if the world reports none or no episode finished. */
  readonly successRate: number | null;
  readonly meanEpisodeLength: number | null;
  /** Mean over episodes of the mean return per agent. */
  readonly meanReturn: number | null;
  readonly meanReturnByAgent: Readonly<PerAgent<number>>;
  /** Mean of every metric the world reports (`episodeMetrics()`), by name. */
  readonly meanMetrics: Readonly<Record<string, number>>;
  readonly seconds: number;
  /** Env steps per wall-clock second, including the CLI's own recording. */
  readonly stepsPerSecond: number;
  /** SHA-256 of every reset and step (actions, rewards, terminations, observations): equal runs, equal hash. */
  readonly trajectoryHash: string;
}

export interface RunOutcome {
  readonly config: ResolvedRunConfig;
  /** From the kernel's `EpisodeMetricsCollector`. */
  readonly metrics: MetricsSummary;
  readonly steps: number;
  readonly seconds: number;
  readonly trajectoryHash: string;
  readonly status: RunSummaryFile['status'];
  readonly error?: string | undefined;
}

export function summarizeRun(o: RunOutcome): RunSummaryFile {
  const { config, metrics } = o;
  const any = metrics.episodes > 0;
  return {
    canopyVersion: canopyVersion(),
    status: o.status,
    ...(o.error !== undefined && { error: o.error }),
    world: config.world,
    ...(config.layout !== undefined && { layout: config.layout }),
    ...(config.rules !== undefined && { rules: config.rules }),
    agents: config.agents,
    agent: config.agent,
    seed: config.seed,
    steps: o.steps,
    episodes: metrics.episodes,
    successRate: metrics.successRate ?? null,
    meanEpisodeLength: any ? metrics.meanLength : null,
    meanReturn: any ? metrics.meanReturn : null,
    meanReturnByAgent: metrics.meanReturnByAgent,
    meanMetrics: metrics.meanMetrics,
    seconds: round(o.seconds, 3),
    stepsPerSecond: Math.round(o.steps / Math.max(o.seconds, 1e-9)),
    trajectoryHash: o.trajectoryHash,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function pct(x: number | null): string {
  return x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`;
}

/** The few lines printed at the end of a run. */
export function formatSummary(s: RunSummaryFile, dir: string, extra: readonly string[] = []): string {
  const lines = [
    `${s.world}/${s.layout ?? s.rules}: ${s.agents} x ${s.agent}, seed ${s.seed}${s.status === 'completed' ? '' : ` (${s.status})`}`,
    `  ${s.episodes} episodes, ${s.steps} steps in ${s.seconds.toFixed(2)} s (${s.stepsPerSecond} steps/s)`,
    // A world without a `success` metric (crafter) reports its own figures in `extra` instead.
    `  ${'success' in s.meanMetrics || s.episodes === 0 ? `success ${pct(s.successRate)}, ` : ''}mean length ${s.meanEpisodeLength?.toFixed(1) ?? 'n/a'}, mean return ${s.meanReturn?.toFixed(3) ?? 'n/a'}` +
      ('coverage' in s.meanMetrics ? `, coverage ${pct(s.meanMetrics['coverage'] ?? null)}` : ''),
    ...extra,
    `  trajectory ${s.trajectoryHash.slice(0, 16)}`,
    `  results in ${dir}`,
  ];
  return lines.join('\n') + '\n';
}
