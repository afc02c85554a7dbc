import type { AgentId, AgentInfo, PerAgent } from '../../../core/parallel-env.js';
import type { IntrinsicEpisodeStart, IntrinsicReward, IntrinsicStep } from './intrinsic-reward.js';
import type { PlaceKey, PlaceReader } from './place-reader.js';

export interface CountNoveltyOptions<Obs, Info extends AgentInfo> {
  readonly name?: string;
  readonly reader: PlaceReader<Obs, Info>;
  /** `episode` (default): counts start at zero every episode; `run`: they persist (the classic count-based bonus). */
  readonly scope?: 'episode' | 'run';
}

/**
 * Count-based cell novelty (Strehl & Littman; Bellemare et al.'s pseudo-counts in tabular form): an agent entering
 * a cell it has stood on `n` times (this visit included) gets `1 / sqrt(n)`. Counts are the agent's own; the cells
 * an agent starts on count as visited. The baseline the topological and team rewards are compared with.
 */
export class CountNovelty<Obs = unknown, Info extends AgentInfo = AgentInfo> implements IntrinsicReward<Obs, Info> {
  readonly name: string;
  private readonly reader: PlaceReader<Obs, Info>;
  private readonly scope: 'episode' | 'run';
  private counts = new Map<AgentId, Map<PlaceKey, number>>();

  constructor(opts: CountNoveltyOptions<Obs, Info>) {
    this.name = opts.name ?? 'count-novelty';
    this.reader = opts.reader;
    this.scope = opts.scope ?? 'episode';
  }

  reset(start: IntrinsicEpisodeStart<Obs, Info>): void {
    if (this.scope === 'episode') this.counts.clear();
    for (const a of start.agents) this.visit(a, this.reader.cell(start.observations[a] as Obs, start.infos[a] as Info, a));
  }

  reward(step: IntrinsicStep<Obs, Info>): Readonly<PerAgent<number>> {
    const out: PerAgent<number> = {};
    for (const a of step.agents) {
      const n = this.visit(a, this.reader.cell(step.observations[a] as Obs, step.infos[a] as Info, a));
      out[a] = n > 0 ? 1 / Math.sqrt(n) : 0;
    }
    return out;
  }

  /** Visits of `agent` to `cell` so far. */
  count(agent: AgentId, cell: PlaceKey): number {
    return this.counts.get(agent)?.get(cell) ?? 0;
  }

  snapshot(): unknown {
    return [...this.counts].map(([a, m]) => [a, [...m]]);
  }

  restore(state: unknown): void {
    this.counts = new Map((state as [AgentId, [PlaceKey, number][]][]).map(([a, m]) => [a, new Map(m)]));
  }

  private visit(agent: AgentId, cell: PlaceKey | null): number {
    if (cell === null) return 0;
    let m = this.counts.get(agent);
    if (!m) this.counts.set(agent, (m = new Map()));
    const n = (m.get(cell) ?? 0) + 1;
    m.set(cell, n);
    return n;
  }
}
