/**
 * Writes the kernel's message events into the knowledge graph's episodic level, so that an agent (or its LLM
 * planner) can recall who told it what after the inbox has moved on. Nothing here sends or changes messages.
 */
import type { Observable, Subscription } from 'rxjs';
import type { AgentId, WorldEvent } from '../core/index.js';
import type { KnowledgeGraph } from './knowledge-graph.js';

export interface RecordMessagesOptions {
  /** The agents' teams (the facts are shared with the team); the channel's `teamOf`. Default: no team. */
  readonly teamOf?: (agent: AgentId) => string | undefined;
  /** Record refused messages in the sender's episode too (`rejected <reason> (to <recipient>)`). Default true. */
  readonly rejections?: boolean;
}

/**
 * Records each delivered message as an episodic `message` event of its sender (at the step it was sent) and of
 * each recipient (at the step it arrived), and each rejection as one of its sender; in stream order, so an agent's
 * events are in the order messages were numbered. `name` says who and what (`received sighting from walker_0`,
 * `sent claim to walker_1,walker_2`), `text` is the body as JSON (for a rejection, the event's short preview).
 * Facts are `team`-scoped. Unsubscribe to stop.
 *
 * @example
 * const sub = recordMessages(kg, sim.events$, { teamOf: (a) => teams[a] });
 * sim.runSync({ episodes: 1 });
 * await kg.events('walker_1', 0); // [..., { kind: 'message', name: 'received sighting from walker_0', text: '{"kind":"sighting",...}' }]
 */
export function recordMessages(kg: KnowledgeGraph, events$: Observable<WorldEvent>, opts: RecordMessagesOptions = {}): Subscription {
  const teamOf = opts.teamOf ?? (() => undefined);
  const rejections = opts.rejections ?? true;
  const fact = (agent: AgentId, step: number) => {
    const team = teamOf(agent);
    return team === undefined ? { observer: agent, step, scope: 'team' as const } : { observer: agent, step, scope: 'team' as const, team };
  };
  return events$.subscribe((e) => {
    if (e.type === 'messageDelivered') {
      const { from, to, body, sentStep } = e.data;
      const kind = kindOf(body);
      const text = JSON.stringify(body) ?? '';
      kg.recordEvent({ agent: from, episode: e.episode, kind: 'message', name: `sent ${kind} to ${to.join(',') || 'nobody'}`, text }, fact(from, sentStep));
      for (const agent of to) {
        kg.recordEvent({ agent, episode: e.episode, kind: 'message', name: `received ${kind} from ${from}`, text }, fact(agent, e.step));
      }
    } else if (e.type === 'messageRejected' && rejections) {
      const { from, to, reason, preview } = e.data;
      kg.recordEvent({ agent: from, episode: e.episode, kind: 'message', name: `rejected ${reason} (to ${to})`, text: preview }, fact(from, e.step));
    }
  });
}

/** The body's `kind` when it has one (team messages do), else `message`. */
function kindOf(body: unknown): string {
  const kind = typeof body === 'object' && body !== null ? (body as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' ? kind : 'message';
}
