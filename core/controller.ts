import type { Observable } from 'rxjs';
import type { WorldEventInput } from './events.js';
import type { AgentId, AgentInfo } from './parallel-env.js';
import type { Space } from './spaces.js';
import type { Rng } from './rng.js';

/** What a controller may answer: an action now, or later through a Promise or an Observable (first value). */
export type Decision<Act> = Act | PromiseLike<Act> | Observable<Act>;

/** Given once per episode, before the first decision. */
export interface EpisodeContext {
  readonly agent: AgentId;
  readonly episode: number;
  readonly observationSpace: Space;
  readonly actionSpace: Space;
  /** This controller's own stream, forked from the run's generator: the only randomness a controller may use. */
  readonly rng: Rng;
}

/** Given on every step the agent is live. */
export interface DecisionContext<Obs, Info extends AgentInfo = AgentInfo, State = unknown> {
  readonly agent: AgentId;
  readonly observation: Obs;
  readonly info: Info;
  /** Step within the episode (0 for the first decision). */
  readonly step: number;
  readonly episode: number;
  /** The world's global state, for privileged controllers such as an oracle. Computed on demand. */
  readonly worldState: () => State;
}

/** What the agent's last action led to. */
export interface Transition<Obs, Info extends AgentInfo = AgentInfo> {
  readonly action: unknown;
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  readonly observation: Obs;
  readonly info: Info;
  /**
   * The world's events of this step, every agent's (a world without events: absent). Controllers that end
   * subgoals on events (a Crafter craft, a collected item) read them here.
   */
  readonly events?: readonly WorldEventInput[];
}

/**
 * Decides one agent's actions. The kernel calls `act` on every step the agent is live; a hierarchical controller
 * keeps its own subgoal and re-plans only when it chooses to, so the world never knows who decides when.
 * `act` may answer synchronously (the fast lockstep path) or with a Promise/Observable (async agents such as LLM
 * planners, bounded by the kernel's deadline).
 */
export interface Controller<Obs = unknown, Act = unknown, Info extends AgentInfo = AgentInfo, State = unknown> {
  reset?(ctx: EpisodeContext): void;
  act(ctx: DecisionContext<Obs, Info, State>): Decision<Act>;
  observe?(transition: Transition<Obs, Info>): void;
  /** Overrides the simulation's default deadline for this controller, in milliseconds. */
  readonly deadlineMs?: number;
}
