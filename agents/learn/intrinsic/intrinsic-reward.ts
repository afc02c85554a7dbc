import type { WorldEventInput } from '../../../core/events.js';
import type { AgentId, AgentInfo, PerAgent } from '../../../core/parallel-env.js';

/**
 * The contract of an intrinsic-reward module: it watches one environment's steps (observations, infos and the
 * world's typed events) and pays each agent a bonus on top of the extrinsic reward. Modules compose with weights
 * ({@link WeightedIntrinsic}); a trainer logs each module's payout apart from the extrinsic reward.
 *
 * One module instance watches one environment (a vector of N envs holds N instances, built by a factory), so a
 * module keeps per-episode and per-run state (visit counts) without knowing about batching. Modules that share
 * state across a team (team novelty) key it by agent inside the one env they watch.
 *
 * Determinism: a module uses no clock and no `Math.random`; if it needs randomness it takes an `Rng` when built.
 */
export interface IntrinsicReward<Obs = unknown, Info extends AgentInfo = AgentInfo> {
  /** Name used in logs and metrics (`intrinsic/<name>`); unique within a composition. */
  readonly name: string;
  /** A new episode starts in the watched env with these agents and first observations. */
  reset(start: IntrinsicEpisodeStart<Obs, Info>): void;
  /** The env stepped: the bonus for each agent that acted this step (missing agents get 0). */
  reward(step: IntrinsicStep<Obs, Info>): Readonly<PerAgent<number>>;
  /** Everything the module needs to continue exactly after a checkpoint (JSON-serialisable). */
  snapshot?(): unknown;
  /** Restore what {@link snapshot} returned. */
  restore?(state: unknown): void;
}

export interface IntrinsicEpisodeStart<Obs = unknown, Info extends AgentInfo = AgentInfo> {
  /** Episode index of the watched env, 0-based. */
  readonly episode: number;
  readonly agents: readonly AgentId[];
  readonly observations: Readonly<PerAgent<Obs>>;
  readonly infos: Readonly<PerAgent<Info>>;
}

export interface IntrinsicStep<Obs = unknown, Info extends AgentInfo = AgentInfo> {
  readonly episode: number;
  /** Step within the episode after this step (1 for the first step). */
  readonly step: number;
  /** Agents that acted this step. */
  readonly agents: readonly AgentId[];
  readonly actions: Readonly<PerAgent<number>>;
  /** Observations and infos after the step. */
  readonly observations: Readonly<PerAgent<Obs>>;
  readonly infos: Readonly<PerAgent<Info>>;
  /** The world's extrinsic rewards for this step. */
  readonly rewards: Readonly<PerAgent<number>>;
  /** The world's events of this step (achievements, crafts, doors opened, ...), in order. */
  readonly events: readonly WorldEventInput[];
}

/** A module with its weight in a composition. */
export interface WeightedIntrinsic<Obs = unknown, Info extends AgentInfo = AgentInfo> {
  readonly module: IntrinsicReward<Obs, Info>;
  readonly weight: number;
}
