import type { AgentId, AgentInfo, PerAgent } from '../../../core/parallel-env.js';
import type { IntrinsicEpisodeStart, IntrinsicReward, IntrinsicStep } from './intrinsic-reward.js';
import type { PlaceKey, PlaceReader } from './place-reader.js';
import { TopologicalMap } from './topological-map.js';

export interface TopologicalRewardOptions<Obs, Info extends AgentInfo> {
  readonly name?: string;
  readonly reader: PlaceReader<Obs, Info>;
  /** Paid for entering a place, divided by sqrt(its visits): 1 for a new place. Default 1. */
  readonly placeBonus?: number;
  /** Paid for moving along an edge, divided by sqrt(its traversals). Default 0.5. */
  readonly edgeBonus?: number;
  /** Paid once for entering a frontier place (seen before, never visited). Default 0.5. */
  readonly frontierBonus?: number;
  /** `agent` (default): one map per agent; `team`: one map the team grows together (nobody is paid twice for a place). */
  readonly share?: 'agent' | 'team';
}

/**
 * TopoNav-style topological reward. Each agent (or the team) grows a {@link TopologicalMap} from its observations;
 * on a step that takes the agent into another place it gets
 * `placeBonus / sqrt(n_place) + edgeBonus / sqrt(n_edge) + frontierBonus * [the place was a frontier]`, where the
 * counts include this visit: a new place along a new edge pays the most, going back and forth decays. Staying
 * inside a place pays nothing, so the bonus is per place (a room, a corridor segment) and not per cell.
 * Maps last one episode.
 */
export class TopologicalReward<Obs = unknown, Info extends AgentInfo = AgentInfo> implements IntrinsicReward<Obs, Info> {
  readonly name: string;
  private readonly reader: PlaceReader<Obs, Info>;
  private readonly placeBonus: number;
  private readonly edgeBonus: number;
  private readonly frontierBonus: number;
  private readonly share: 'agent' | 'team';
  private maps = new Map<AgentId, TopologicalMap>();
  private at = new Map<AgentId, PlaceKey | null>();

  constructor(opts: TopologicalRewardOptions<Obs, Info>) {
    this.name = opts.name ?? 'topological';
    this.reader = opts.reader;
    this.placeBonus = opts.placeBonus ?? 1;
    this.edgeBonus = opts.edgeBonus ?? 0.5;
    this.frontierBonus = opts.frontierBonus ?? 0.5;
    this.share = opts.share ?? 'agent';
  }

  /** The map `agent` is growing (the team's when shared). */
  map(agent: AgentId): TopologicalMap {
    const key = this.share === 'team' ? '' : agent;
    let m = this.maps.get(key);
    if (!m) this.maps.set(key, (m = new TopologicalMap()));
    return m;
  }

  reset(start: IntrinsicEpisodeStart<Obs, Info>): void {
    this.maps.clear();
    this.at.clear();
    for (const a of start.agents) {
      const { at, seen } = this.reader.places(start.observations[a] as Obs, start.infos[a] as Info, a);
      this.at.set(a, at);
      if (at === null) continue;
      this.map(a).visit(at, null);
      this.map(a).see(seen, at);
    }
  }

  reward(step: IntrinsicStep<Obs, Info>): Readonly<PerAgent<number>> {
    const out: PerAgent<number> = {};
    for (const a of step.agents) {
      const { at, seen } = this.reader.places(step.observations[a] as Obs, step.infos[a] as Info, a);
      const from = this.at.get(a) ?? null;
      this.at.set(a, at);
      out[a] = 0;
      if (at === null) continue;
      const map = this.map(a);
      if (at !== from) {
        const v = map.visit(at, from);
        out[a] = this.placeBonus / Math.sqrt(v.placeVisits) + (v.moved ? this.edgeBonus / Math.sqrt(v.edgeTraversals) : 0) + (v.wasFrontier ? this.frontierBonus : 0);
      }
      map.see(seen, at);
    }
    return out;
  }

  snapshot(): unknown {
    return { maps: [...this.maps].map(([k, m]) => [k, m.snapshot()]), at: [...this.at] };
  }

  restore(state: unknown): void {
    const s = state as { maps: [AgentId, unknown][]; at: [AgentId, PlaceKey | null][] };
    this.maps = new Map(s.maps.map(([k, m]) => [k, TopologicalMap.restore(m)]));
    this.at = new Map(s.at);
  }
}
