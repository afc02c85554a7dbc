import type { AgentId } from '../../core/parallel-env.js';

/** Crafter's world events, merged into the kernel's {@link WorldEvents} map. Positions are `[x, y]`. */
declare module '../../core/events.js' {
  interface WorldEvents {
    /** A player unlocked an achievement for the first time this episode. */
    achievementUnlocked: { agent: AgentId; achievement: string };
    /** `do` on a material gave items (`material` is the cell's material before). */
    collect: { agent: AgentId; material: string; items: Readonly<Record<string, number>>; pos: readonly [number, number] };
    place: { agent: AgentId; name: string; pos: readonly [number, number] };
    make: { agent: AgentId; item: string };
    eat: { agent: AgentId; food: 'cow' | 'plant' };
    /** A creature's health reached zero from a player's hit. */
    defeat: { agent: AgentId; creature: 'zombie' | 'skeleton' | 'cow' };
    death: { agent: AgentId; pos: readonly [number, number] };
    wakeUp: { agent: AgentId };
    /** One unit of `item` moved from `from` to `to` (MAC rules). */
    share: { from: AgentId; to: AgentId; item: string };
    /** A share action that did nothing, and why. */
    shareRejected: { from: AgentId; to: string; item: string; reason: 'unknown-teammate' | 'dead-teammate' | 'self' | 'unshareable' | 'empty' | 'full' };
  }
}

export {};
