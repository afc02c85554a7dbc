import type { PerAgent } from '../core/parallel-env.js';
import type { ResolvedRunConfig } from './config.js';
import { canopyVersion } from './version.js';

/** One line of `episodes.jsonl`: the kernel's episodeEnd, flattened (world metrics such as success and coverage at top level, as Crafter's stats.jsonl does). */
export interface EpisodeRecord {
  readonly episode: number;
  readonly length: number;
  /** Summed reward per agent. */
  readonly rewards: Readonly<PerAgent<number>>;
  readonly [metric: string]: unknown;
}

/** `summary.json`. */
export interface RunSummaryFile {
  readonly canopyVersion: string;
  readonly status: 'completed' | 'interrupted' | 'error';
  readonly error?: string;
  readonly world: string;
  readonly layout: string;
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
  /** Mean over episodes of the team's summed reward. */
  readonly meanReturn: number | null;
  /** Mean of every numeric metric the world reports, by name. */
  readonly meanMetrics: Readonly<Record<string, number>>;
  readonly seconds: number;
  /** Env steps per wall-clock second, including the CLI's own recording. */
  readonly stepsPerSecond: number;
  /** SHA-256 of every reset and step (actions, rewards, terminations, observations): equal runs, equal hash. */
  readonly trajectoryHash: string;
}

export interface RunOutcome {
  readonly config: ResolvedRunConfig;
  readonly episodes: readonly EpisodeRecord[];
  readonly steps: number;
  readonly seconds: number;
  readonly trajectoryHash: string;
  readonly status: RunSummaryFile['status'];
  readonly error?: string | undefined;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

export function summarizeRun(o: RunOutcome): RunSummaryFile {
  const { config, episodes } = o;
  const metricNames = new Set<string>();
  for (const e of episodes) for (const [k, v] of Object.entries(e)) if (typeof v === 'number' && k !== 'episode' && k !== 'length') metricNames.add(k);
  const meanMetrics: Record<string, number> = {};
  for (const name of [...metricNames].sort()) {
    meanMetrics[name] = mean(episodes.map((e) => e[name]).filter((v): v is number => typeof v === 'number')) ?? 0;
  }
  const successes = episodes.map((e) => e['success']).filter((v): v is number => typeof v === 'number');
  return {
    canopyVersion: canopyVersion(),
    status: o.status,
    ...(o.error !== undefined && { error: o.error }),
    world: config.world,
    layout: config.layout,
    agents: config.agents,
    agent: config.agent,
    seed: config.seed,
    steps: o.steps,
    episodes: episodes.length,
    successRate: successes.length === episodes.length ? mean(successes) : null,
    meanEpisodeLength: mean(episodes.map((e) => e.length)),
    meanReturn: mean(episodes.map((e) => Object.values(e.rewards).reduce((a, b) => a + b, 0))),
    meanMetrics,
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
export function formatSummary(s: RunSummaryFile, dir: string): string {
  const lines = [
    `${s.world}/${s.layout}: ${s.agents} x ${s.agent}, seed ${s.seed}${s.status === 'completed' ? '' : ` (${s.status})`}`,
    `  ${s.episodes} episodes, ${s.steps} steps in ${s.seconds.toFixed(2)} s (${s.stepsPerSecond} steps/s)`,
    `  success ${pct(s.successRate)}, mean length ${s.meanEpisodeLength?.toFixed(1) ?? 'n/a'}, mean return ${s.meanReturn?.toFixed(3) ?? 'n/a'}` +
      ('coverage' in s.meanMetrics ? `, coverage ${pct(s.meanMetrics['coverage'] ?? null)}` : ''),
    `  trajectory ${s.trajectoryHash.slice(0, 16)}`,
    `  results in ${dir}`,
  ];
  return lines.join('\n') + '\n';
}
