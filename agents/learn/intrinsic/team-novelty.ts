import type { AgentId, AgentInfo, PerAgent } from '../../../core/parallel-env.js';
import type { IntrinsicEpisodeStart, IntrinsicReward, IntrinsicStep } from './intrinsic-reward.js';
import type { PlaceKey, PlaceReader } from './place-reader.js';

export interface TeamNoveltyOptions<Obs, Info extends AgentInfo> {
  readonly name?: string;
  readonly reader: PlaceReader<Obs, Info>;
  /** `cell` (default) counts cells; `place` counts the topological map's places (`reader.places().at`). */
  readonly unit?: 'cell' | 'place';
}

/**
 * Team-shared novelty: an agent gets `1 / sqrt(n)` for its `n`-th visit to a cell (or place) that no teammate has
 * stood on, and nothing once a teammate covered it — so a team is paid for spreading out, not for retracing each
 * other. Two agents entering the same new cell on the same step both get the bonus (neither had covered it).
 * Counts last one episode.
 */
export class TeamNovelty<Obs = unknown, Info extends AgentInfo = AgentInfo> implements IntrinsicReward<Obs, Info> {
  readonly name: string;
  private readonly reader: PlaceReader<Obs, Info>;
  private readonly unit: 'cell' | 'place';
  /** Per place: visits per agent. */
  private visits = new Map<PlaceKey, Map<AgentId, number>>();

  constructor(opts: TeamNoveltyOptions<Obs, Info>) {
    this.name = opts.name ?? 'team-novelty';
    this.reader = opts.reader;
    this.unit = opts.unit ?? 'cell';
  }

  reset(start: IntrinsicEpisodeStart<Obs, Info>): void {
    this.visits.clear();
    for (const a of start.agents) this.count(a, this.key(start.observations[a] as Obs, start.infos[a] as Info, a));
  }

  reward(step: IntrinsicStep<Obs, Info>): Readonly<PerAgent<number>> {
    const keys = step.agents.map((a) => this.key(step.observations[a] as Obs, step.infos[a] as Info, a));
    // Judge coverage as it was before this step, so simultaneous arrivals are treated alike.
    const coveredByOther = step.agents.map((a, i) => {
      const k = keys[i];
      if (k === null || k === undefined) return true;
      for (const [b, n] of this.visits.get(k) ?? []) if (b !== a && n > 0) return true;
      return false;
    });
    const out: PerAgent<number> = {};
    step.agents.forEach((a, i) => {
      const n = this.count(a, keys[i] ?? null);
      out[a] = coveredByOther[i] || n === 0 ? 0 : 1 / Math.sqrt(n);
    });
    return out;
  }

  snapshot(): unknown {
    return [...this.visits].map(([k, m]) => [k, [...m]]);
  }

  restore(state: unknown): void {
    this.visits = new Map((state as [PlaceKey, [AgentId, number][]][]).map(([k, m]) => [k, new Map(m)]));
  }

  private key(obs: Obs, info: Info, agent: AgentId): PlaceKey | null {
    return this.unit === 'cell' ? this.reader.cell(obs, info, agent) : this.reader.places(obs, info, agent).at;
  }

  private count(agent: AgentId, key: PlaceKey | null): number {
    if (key === null) return 0;
    let m = this.visits.get(key);
    if (!m) this.visits.set(key, (m = new Map()));
    const n = (m.get(agent) ?? 0) + 1;
    m.set(agent, n);
    return n;
  }
}
