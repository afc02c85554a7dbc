import type { Space } from './spaces.js';
import type { WorldEventInput } from './events.js';

/** Name of an agent, stable for the life of an environment (e.g. `"agent_0"`). */
export type AgentId = string;

/** A per-agent record. Keys are agent ids. */
export type PerAgent<T> = Record<AgentId, T>;

/** What every world puts in an agent's info; worlds add their own fields. */
export interface AgentInfo {
  /**
   * `actionMask[a] === 1` when action `a` is legal for this agent now (PettingZoo's `action_mask`), for worlds
   * whose action space is discrete. A learner may mask logits with it; taking a masked action is still allowed
   * and is a no-op or a failed action, never an error.
   */
  readonly actionMask?: Uint8Array;
  readonly [key: string]: unknown;
}

export interface ResetArgs {
  /**
   * Seed for this and (unless another seed is given) all later episodes. Without a seed, `reset` continues the
   * environment's own generator, so a sequence of resets after one seeded reset is deterministic.
   */
  readonly seed?: number;
  /** World-specific options, validated by the world. */
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface ResetResult<Obs, Info extends AgentInfo = AgentInfo> {
  readonly observations: PerAgent<Obs>;
  readonly infos: PerAgent<Info>;
}

export interface StepResult<Obs, Info extends AgentInfo = AgentInfo> {
  readonly observations: PerAgent<Obs>;
  readonly rewards: PerAgent<number>;
  readonly terminations: PerAgent<boolean>;
  readonly truncations: PerAgent<boolean>;
  readonly infos: PerAgent<Info>;
  /** What happened in the world this step (goal reached, door opened, ...), in order. canopy's extension. */
  readonly events?: readonly WorldEventInput[];
}

/** Static facts about a world. */
export interface EnvMetadata {
  readonly name: string;
  /** Whether a world may be stepped with only some live agents' actions (the rest take their default). */
  readonly allowsPartialActions?: boolean;
  readonly [key: string]: unknown;
}

/**
 * The parallel multi-agent contract, in the shape of PettingZoo's `ParallelEnv`: every live agent acts at once.
 *
 * Invariants (checked by the conformance kit, `core/conformance/`):
 * - `possibleAgents` is fixed for the environment's life and lists every agent that can ever appear.
 * - `agents` lists the live agents, a subset of `possibleAgents` in the same order. It is valid after `reset`.
 * - `observationSpace(a)` and `actionSpace(a)` return the *same object* on every call, for every possible agent.
 * - `reset` returns an observation and an info for exactly the agents in `agents`; every observation is contained
 *   in its agent's observation space.
 * - `step(actions)` takes one action per live agent (an action for a dead or unknown agent is an error). It returns
 *   observations, rewards, terminations, truncations and infos for exactly the agents that were live before the
 *   step; all rewards are finite numbers.
 * - Termination means the agent reached a terminal state of the task (goal, death); truncation means it was cut
 *   off from outside the task (a step limit). An agent that is terminated or truncated leaves `agents` after that
 *   step and is never revived until the next `reset`.
 * - When `agents` is empty the episode is over; stepping again is an error until `reset`.
 * - `infos[a].actionMask`, when present, is a `Uint8Array` of length `actionSpace(a).n`.
 * - `state()` returns a global view for centralised training or the viewer; it never changes the world.
 * - Same seed, same actions: same observations, rewards, terminations, truncations, infos and events.
 */
export interface ParallelEnv<Obs = unknown, Act = unknown, Info extends AgentInfo = AgentInfo, State = unknown> {
  readonly metadata: EnvMetadata;
  readonly possibleAgents: readonly AgentId[];
  readonly agents: readonly AgentId[];
  observationSpace(agent: AgentId): Space;
  actionSpace(agent: AgentId): Space;
  reset(args?: ResetArgs): ResetResult<Obs, Info>;
  step(actions: Readonly<PerAgent<Act>>): StepResult<Obs, Info>;
  state(): State;
  /** Action every agent takes when it has none (late, failed, or not deciding): e.g. noop. */
  defaultAction(agent: AgentId): Act;
  /** Per-episode metrics of the episode so far (success, coverage, ...), numeric so they can be averaged. */
  episodeMetrics?(): Readonly<Record<string, number>>;
  close?(): void;
}
