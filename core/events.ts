import type { AgentId, PerAgent } from './parallel-env.js';

/**
 * Everything that happens in a simulation, as one typed map from event type to payload.
 *
 * The kernel's own events are declared here. Each world adds its own by declaration merging, so that the same map
 * types the kernel's stream, metrics, memory, and the viewer's protocol:
 *
 * ```ts
 * declare module '../../core/events.js' {
 *   interface WorldEvents {
 *     goalReached: { agent: AgentId; position: readonly [number, number] };
 *   }
 * }
 * ```
 */
export interface WorldEvents {
  /** An episode began; `seed` is the seed the world was reset with. */
  episodeStart: { seed: number; agents: readonly AgentId[] };
  /** The world advanced one step. Rewards are per live agent before the step. */
  step: { actions: Readonly<PerAgent<unknown>>; rewards: Readonly<PerAgent<number>> };
  /** An episode ended; `returns` are summed rewards, `metrics` come from `episodeMetrics()`. */
  episodeEnd: {
    length: number;
    returns: Readonly<PerAgent<number>>;
    metrics: Readonly<Record<string, number>>;
    /** True when the kernel cut the episode short (a `reset` command), not the world. */
    interrupted?: boolean;
  };
  agentAdded: { agent: AgentId };
  /** The agent left: terminated (task over for it) or truncated (cut off). It is never revived this episode. */
  agentRemoved: { agent: AgentId; reason: 'terminated' | 'truncated' };
  /** The agent did not answer within its deadline; it took `action` (its default) instead. */
  agentLate: { agent: AgentId; deadlineMs: number; action: unknown };
  /** The agent's controller threw or its promise rejected; it took its default action. */
  agentFailed: { agent: AgentId; error: string };
  /** Something stopped the simulation (e.g. a hung agent in lockstep). */
  error: { message: string; agent?: AgentId };
  /** The realtime clock started, was paused or resumed, or changed speed. */
  clock: { paused: boolean; stepsPerSecond: number };
}

export type WorldEventType = keyof WorldEvents;

/** An event as a world reports it from `step`: type and payload; the kernel stamps time. */
export type WorldEventInput = { [K in WorldEventType]: { readonly type: K; readonly data: WorldEvents[K] } }[WorldEventType];

/** An event on the kernel's stream: type, payload, and when it happened. */
export type WorldEvent<K extends WorldEventType = WorldEventType> = {
  [T in K]: {
    readonly type: T;
    readonly data: WorldEvents[T];
    /** Episode index, 0-based, within the run. */
    readonly episode: number;
    /** Step within the episode at which it happened (0 = at reset). */
    readonly step: number;
    /** Total env steps in the run so far. */
    readonly totalSteps: number;
  };
}[K];
