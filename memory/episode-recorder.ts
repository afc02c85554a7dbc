/**
 * Writes what happens in a simulation into the knowledge graph's episodic level. The kernel's stream carries every
 * world's events; a world-specific `describe` picks the ones that belong in an agent's episode (an achievement, a
 * craft, a death) and says how to name them, so memory stays free of any world's types.
 */
import type { Observable, Subscription } from 'rxjs';
import type { WorldEvent } from '../core/events.js';
import type { EventKind, KnowledgeGraph } from './knowledge-graph.js';
import type { Scope } from './facts.js';

/** One episodic entry for an agent, as `describe` derives it from a kernel event. */
export interface EpisodicEntry {
  readonly agent: string;
  readonly kind: EventKind;
  readonly name: string;
  readonly text?: string;
}

export interface EpisodeRecorderOptions {
  /** The entries an event makes (none for events that are not an agent's experience). */
  readonly describe: (event: WorldEvent) => readonly EpisodicEntry[];
  /** `team` makes the entries visible to the agent's teammates; `private` keeps them to the agent. */
  readonly scope: Scope;
  /** Team of an agent (default: one team, `team`). */
  readonly teamOf?: (agent: string) => string;
}

/**
 * Records, for every event on `events$`, the entries `describe` returns, at the event's episode and step. Writes only
 * queue (the knowledge graph batches them off the simulation's path); `kg.flush()` waits for them.
 */
export function recordEpisodes(kg: KnowledgeGraph, events$: Observable<WorldEvent>, opts: EpisodeRecorderOptions): Subscription {
  const teamOf = opts.teamOf ?? (() => 'team');
  return events$.subscribe((event) => {
    for (const e of opts.describe(event)) {
      kg.recordEvent(
        { agent: e.agent, episode: event.episode, kind: e.kind, name: e.name, ...(e.text !== undefined ? { text: e.text } : {}) },
        { observer: e.agent, step: event.step, scope: opts.scope, team: teamOf(e.agent) },
      );
    }
  });
}
