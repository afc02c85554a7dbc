import type { WorldEventInput } from './events.js';
import type { AgentId, AgentInfo } from './parallel-env.js';

/**
 * What a subgoal's `isReached` may look at: the agent's observation and info after a step, the world's events of
 * that step and, for worlds whose observations do not say where the agent is (Crafter), the world state on demand.
 */
export interface SubgoalContext<Obs = unknown, Info extends AgentInfo = AgentInfo, State = unknown> {
  readonly agent: AgentId;
  readonly observation: Obs;
  readonly info: Info;
  /** The world's events of the step just taken (empty right after a reset). */
  readonly events: readonly WorldEventInput[];
  readonly worldState?: () => State;
}

/** A subgoal a world does not offer, or one that is malformed; the message names the world and what it offers. */
export class SubgoalError extends Error {
  override readonly name = 'SubgoalError';
}

/**
 * The subgoals a world offers to hierarchical agents (h-DQN's goal set, GMAH's {key, door, goal}): a typed
 * subgoal, its validation, and when it is reached. A world builds one from its config (a maze offers no key); a
 * planner proposes subgoals, `parse` rejects the ones the world does not offer with a {@link SubgoalError}.
 */
export interface SubgoalVocabulary<Subgoal, Obs = unknown, Info extends AgentInfo = AgentInfo, State = unknown> {
  /** The world's name, used in error messages. */
  readonly world: string;
  /** Subgoal kinds this world (as configured) offers. */
  readonly kinds: readonly string[];
  /** Validates an untrusted subgoal (a config, an LLM's answer). @throws SubgoalError naming what is offered. */
  parse(input: unknown): Subgoal;
  /** Whether `subgoal` holds after the step described by `ctx`. */
  isReached(subgoal: Subgoal, ctx: SubgoalContext<Obs, Info, State>): boolean;
  /** A short stable text form (`collect:wood`, `place:3,4`), for logs and counting. */
  describe(subgoal: Subgoal): string;
}
