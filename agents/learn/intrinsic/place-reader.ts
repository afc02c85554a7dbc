import type { AgentId, AgentInfo } from '../../../core/parallel-env.js';

/** A place key (a cell `"3,4"`, a region, a landmark id). */
export type PlaceKey = string;

/**
 * How novelty modules read where an agent is from its own observation: the world-specific part, kept out of the
 * modules so they work on any world that can say where its agents are.
 */
export interface PlaceReader<Obs = unknown, Info extends AgentInfo = AgentInfo> {
  /** The agent's cell (count-based novelty), or `null` when unknown. */
  cell(observation: Obs, info: Info, agent: AgentId): PlaceKey | null;
  /** The agent's place in the topological map and the places it sees from there (for frontiers). */
  places(observation: Obs, info: Info, agent: AgentId): { readonly at: PlaceKey | null; readonly seen: readonly PlaceKey[] };
}
