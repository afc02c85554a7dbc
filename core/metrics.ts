import { Subject } from 'rxjs';
import type { Observable, Subscription } from 'rxjs';
import type { WorldEvent } from './events.js';
import { ofType } from './operators/of-type.js';
import type { AgentId, PerAgent } from './parallel-env.js';

/** One finished episode, as the collector records it. */
export interface EpisodeRecord {
  readonly episode: number;
  readonly length: number;
  /** Steps of the run when the episode ended. */
  readonly totalSteps: number;
  readonly returns: Readonly<PerAgent<number>>;
  /** Mean of `returns` over the episode's agents. */
  readonly meanReturn: number;
  /** The world's `episodeMetrics()` (e.g. `success`). */
  readonly metrics: Readonly<Record<string, number>>;
  /** Cut short by a `reset` command; such episodes are recorded but left out of the summary. */
  readonly interrupted: boolean;
}

/** Averages over the finished, uninterrupted episodes so far. */
export interface MetricsSummary {
  readonly episodes: number;
  readonly interrupted: number;
  readonly meanLength: number;
  /** Mean over episodes of the episode's mean return per agent. */
  readonly meanReturn: number;
  /** Mean return of each agent over the episodes it took part in. */
  readonly meanReturnByAgent: Readonly<PerAgent<number>>;
  /** Mean of each world metric over the episodes that reported it. */
  readonly meanMetrics: Readonly<Record<string, number>>;
  /** Mean of the world's `success` metric, if it reports one: the running success rate. */
  readonly successRate?: number;
}

/**
 * Collects per-episode length, returns and world metrics from a simulation's `events$`, for the CLI's progress
 * lines and final report, or a learner's logs.
 *
 * @example
 * const metrics = new EpisodeMetricsCollector();
 * metrics.attach(sim.events$);
 * metrics.episodes$.subscribe((r) => console.log(`episode ${r.episode}: return ${r.meanReturn.toFixed(2)}`));
 * sim.runSync({ episodes: 20 });
 * metrics.summary(); // { episodes: 20, meanLength, meanReturn, successRate, ... }
 */
export class EpisodeMetricsCollector {
  private readonly recorded: EpisodeRecord[] = [];
  private readonly subject = new Subject<EpisodeRecord>();
  /** Each episode's record as it ends. */
  readonly episodes$: Observable<EpisodeRecord> = this.subject.asObservable();
  private counted = 0;
  private interrupted = 0;
  private lengthSum = 0;
  private meanReturnSum = 0;
  private readonly agentSums = new Map<AgentId, { sum: number; n: number }>();
  private readonly metricSums = new Map<string, { sum: number; n: number }>();

  /** Records every `episodeEnd` of `events$` until the subscription ends. */
  attach(events$: Observable<WorldEvent>): Subscription {
    return events$.pipe(ofType('episodeEnd')).subscribe((e) => this.add(e));
  }

  /** Every episode recorded so far, in order. */
  get records(): readonly EpisodeRecord[] {
    return this.recorded;
  }

  /** The running success rate, if the world reports `success`. */
  get successRate(): number | undefined {
    const s = this.metricSums.get('success');
    return s ? s.sum / s.n : undefined;
  }

  summary(): MetricsSummary {
    const n = this.counted;
    const meanReturnByAgent: PerAgent<number> = {};
    for (const [agent, s] of this.agentSums) meanReturnByAgent[agent] = s.sum / s.n;
    const meanMetrics: Record<string, number> = {};
    for (const [key, s] of this.metricSums) meanMetrics[key] = s.sum / s.n;
    const base = {
      episodes: n,
      interrupted: this.interrupted,
      meanLength: n ? this.lengthSum / n : 0,
      meanReturn: n ? this.meanReturnSum / n : 0,
      meanReturnByAgent,
      meanMetrics,
    };
    const successRate = this.successRate;
    return Object.freeze(successRate === undefined ? base : { ...base, successRate });
  }

  private add(e: WorldEvent<'episodeEnd'>): void {
    const { length, returns, metrics } = e.data;
    const values = Object.values(returns);
    const meanReturn = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
    const interrupted = e.data.interrupted === true;
    const record: EpisodeRecord = Object.freeze({ episode: e.episode, length, totalSteps: e.totalSteps, returns, meanReturn, metrics, interrupted });
    this.recorded.push(record);
    if (interrupted) this.interrupted++;
    else {
      this.counted++;
      this.lengthSum += length;
      this.meanReturnSum += meanReturn;
      for (const [agent, r] of Object.entries(returns)) accumulate(this.agentSums, agent, r);
      for (const [key, v] of Object.entries(metrics)) if (Number.isFinite(v)) accumulate(this.metricSums, key, v);
    }
    this.subject.next(record);
  }
}

function accumulate(sums: Map<string, { sum: number; n: number }>, key: string, value: number): void {
  const s = sums.get(key);
  if (s) {
    s.sum += value;
    s.n++;
  } else sums.set(key, { sum: value, n: 1 });
}
