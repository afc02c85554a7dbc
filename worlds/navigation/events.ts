import type { AgentId } from '../../core/parallel-env.js';

/** A grid position `[x, y]`. */
export type Position = readonly [number, number];

declare module '../../core/events.js' {
  interface WorldEvents {
    /** A navigation agent stood on its goal (it terminates this step). `step` is 1-based: the step just taken. */
    goalReached: { agent: AgentId; position: Position; step: number };
    /** A navigation agent stepped on a key and picked it up. */
    keyPicked: { agent: AgentId; position: Position };
    /** A navigation agent holding a key walked into a locked door, which is open from now on. */
    doorOpened: { agent: AgentId; position: Position };
  }
}
