import type { EventBus, SimulationTime } from './event-bus.js';
import type { Envelope, MessageChannelOptions, MessagePort, MessageRejection, ParseResult, Recipient } from './messages.js';
import type { AgentId } from './parallel-env.js';

/** Longest `preview` (and `error`) a `messageRejected` event carries, so junk bodies cannot flood the stream. */
export const MESSAGE_PREVIEW_CHARS = 200;

/** What a channel needs of the simulation it is bound to; the kernel builds it (see `Simulation`'s `channels`). */
export interface ChannelHost {
  readonly bus: EventBus;
  readonly time: Readonly<SimulationTime>;
  /** Every agent the world may have, in the world's order (the order messages of one step are numbered in). */
  readonly possibleAgents: readonly AgentId[];
  /** Agents live now. */
  live(): readonly AgentId[];
  /** Whether an episode is in progress. */
  active(): boolean;
}

/** What one send call came to, kept until the step is sealed. */
type Outcome<M> =
  | { readonly ok: true; readonly to: readonly AgentId[]; readonly body: M }
  | { readonly ok: false; readonly to: string; readonly reason: MessageRejection; readonly error: string; readonly preview: string };

const NO_MAIL: readonly Envelope<never>[] = Object.freeze([]);

/**
 * Typed messages between agents with a per-agent budget per step, delivered by the kernel at the step boundary
 * (the contract is in core/messages.ts). Build one per kind of traffic, hand it to the controllers (their factory
 * closes over it) and to the simulation in `SimulationOptions.channels`; the simulation binds it to its events and
 * live agents, seals each step's messages just before the world steps, delivers them just after it, and clears
 * everything at reset.
 *
 * Numbering is independent of timing: the messages of a step get their ids (and their `messageSent` /
 * `messageRejected` events) when the step is sealed, in the world's agent order and, per sender, in the order it
 * sent them, so `runSync`, `run()` with async agents and the realtime clock number the same messages alike.
 * A send is checked at once (so `send` can answer true or false): dead sender, over budget, bad recipient, then
 * the body; only accepted messages count against the budget.
 *
 * @example
 * const channel = new MessageChannel({ parse: parseTeamMessage, budgetPerStep: 2, teamOf: (a) => teams[a] });
 * const sim = new Simulation({ env, seed: 1, channels: [channel], controllers: (agent) => ({
 *   act: (ctx) => {
 *     for (const m of channel.inbox(agent)) console.log(`${m.from} says`, m.body); // sent at step ctx.step - 1
 *     channel.send(agent, { team: true }, { kind: 'sighting', what: 'diamond', place: '12,40' });
 *     return 0;
 *   } }) });
 */
export class MessageChannel<M> implements MessagePort<M> {
  readonly budgetPerStep: number;
  private readonly parse: (body: unknown) => ParseResult<M>;
  private readonly teamOf: (agent: AgentId) => string | undefined;
  private host: ChannelHost | null = null;
  private nextId = 0;
  /** This step's send outcomes by sender, in send order; sealed before the world steps. */
  private queued = new Map<AgentId, Outcome<M>[]>();
  /** Accepted messages per sender this step (the budget). */
  private accepted = new Map<AgentId, number>();
  /** Sealed messages waiting for the world step to pass. */
  private outgoing: Envelope<M>[] = [];
  private inboxes = new Map<AgentId, Envelope<M>[]>();
  /** The host's live array (replaced, never mutated, when agents leave) and a set of it, for O(1) checks. */
  private liveRef: readonly AgentId[] | null = null;
  private liveSetCache = new Set<AgentId>();
  /** Team name -> its possible agents, in world order (teams are fixed, so computed once per team). */
  private teams = new Map<string, readonly AgentId[]>();
  private possible = new Set<AgentId>();

  constructor(options: MessageChannelOptions<M>) {
    const budget = options.budgetPerStep ?? 1;
    if (!Number.isInteger(budget) || budget < 0) throw new RangeError(`MessageChannel budgetPerStep: expected an integer >= 0, got ${budget}`);
    this.budgetPerStep = budget;
    this.parse = options.parse;
    this.teamOf = options.teamOf ?? (() => 'all');
  }

  /**
   * Sends `body` from `from` to one agent or to its live teammates. Returns whether it was accepted; either way an
   * event follows (`messageSent` or `messageRejected`) when the step is sealed.
   */
  send(from: AgentId, to: Recipient, body: unknown): boolean {
    const outcome = this.check(from, to, body);
    // A sender that is no agent (junk from a bad caller) is named, clipped, in its event only.
    const key = outcome.ok || outcome.reason !== 'dead-sender' ? from : clip(String(from), 60);
    let list = this.queued.get(key);
    if (!list) this.queued.set(key, (list = []));
    list.push(outcome);
    if (outcome.ok) this.accepted.set(from, (this.accepted.get(from) ?? 0) + 1);
    // Outside an episode no step will seal it: say so now.
    if (!this.host?.active()) this.seal();
    return outcome.ok;
  }

  /** Messages delivered to `agent` for its decision at this step (those sent at the previous step). */
  inbox(agent: AgentId): readonly Envelope<M>[] {
    return this.inboxes.get(agent) ?? NO_MAIL;
  }

  /** Binds the channel to a simulation (the kernel calls this; one simulation at a time). */
  attach(host: ChannelHost): void {
    if (this.host !== null && this.host !== host) throw new Error('MessageChannel is already bound to another simulation');
    this.host = host;
    this.teams = new Map();
    this.possible = new Set(host.possibleAgents);
  }

  /**
   * Numbers this step's messages and raises their events, in agent order (the kernel calls this just before the
   * world steps). Budgets start again for the next step.
   */
  seal(): void {
    if (this.queued.size === 0) return;
    const host = this.host;
    const step = host?.time.step ?? 0;
    // The world's agent order, then senders that are not agents (rejected), in the order they first sent.
    const order = host ? [...host.possibleAgents, ...[...this.queued.keys()].filter((a) => !this.possible.has(a))] : [...this.queued.keys()];
    for (const from of order) {
      const list = this.queued.get(from);
      if (!list) continue;
      for (const o of list) {
        if (!o.ok) {
          host?.bus.emit('messageRejected', { from, to: o.to, reason: o.reason, error: o.error, preview: o.preview });
          continue;
        }
        const envelope: Envelope<M> = Object.freeze({ id: this.nextId++, from, to: o.to, step, body: o.body });
        this.outgoing.push(envelope);
        host?.bus.emit('messageSent', { id: envelope.id, from, to: o.to, body: o.body });
      }
    }
    this.queued = new Map();
    this.accepted = new Map();
  }

  /**
   * The world has stepped: last step's inboxes are emptied and the sealed messages go to those of their recipients
   * still live, each with a `messageDelivered` event (the kernel calls this).
   */
  deliver(): void {
    if (this.inboxes.size > 0) this.inboxes = new Map();
    if (this.outgoing.length === 0) return;
    const host = this.host;
    const live = this.liveSet();
    const inboxes = this.inboxes;
    for (const sent of this.outgoing) {
      let to = sent.to;
      let envelope = sent;
      // Recipients rarely leave between send and delivery: copy only when one did.
      for (let i = 0; i < to.length; i++) {
        if (live.has(to[i] as AgentId)) continue;
        to = Object.freeze(to.filter((a) => live.has(a)));
        envelope = Object.freeze({ ...sent, to });
        break;
      }
      for (let i = 0; i < to.length; i++) {
        const agent = to[i] as AgentId;
        const box = inboxes.get(agent);
        if (box) box.push(envelope);
        else inboxes.set(agent, [envelope]);
      }
      host?.bus.emit('messageDelivered', { id: sent.id, from: sent.from, to, sentStep: sent.step, body: sent.body });
    }
    this.outgoing = [];
  }

  /**
   * The episode ended (the kernel calls this): what is still in flight is delivered to nobody (so every
   * `messageSent` has its `messageDelivered`, with `to` empty), and every inbox is emptied. Ids keep increasing.
   */
  clear(): void {
    this.seal();
    this.deliver();
    this.inboxes = new Map();
  }

  /** Live agents as a set (empty outside an episode), rebuilt only when the host's live array changes. */
  private liveSet(): ReadonlySet<AgentId> {
    const host = this.host;
    const live = host?.active() ? host.live() : [];
    if (live !== this.liveRef) {
      this.liveRef = live;
      this.liveSetCache = new Set(live);
    }
    return this.liveSetCache;
  }

  private teamMembers(team: string): readonly AgentId[] {
    let members = this.teams.get(team);
    if (!members) this.teams.set(team, (members = this.host?.possibleAgents.filter((a) => this.teamOf(a) === team) ?? []));
    return members;
  }

  private check(from: AgentId, to: Recipient, body: unknown): Outcome<M> {
    const toText = recipientText(to);
    const reject = (reason: MessageRejection, error: string): Outcome<M> => ({
      ok: false, to: toText, reason, error: clip(error), preview: preview(body),
    });
    const live = this.liveSet();
    if (!live.has(from)) return reject('dead-sender', `sender "${clip(String(from), 60)}" is not a live agent`);
    if ((this.accepted.get(from) ?? 0) >= this.budgetPerStep) {
      return reject('over-budget', `"${from}" already sent ${this.budgetPerStep} message(s) this step (budgetPerStep ${this.budgetPerStep})`);
    }
    let recipients: readonly AgentId[];
    if (typeof to === 'string') {
      if (to === from) return reject('self', `"${from}" sent a message to itself`);
      if (!this.possible.has(to)) return reject('unknown-recipient', `no agent "${toText}" in this world`);
      if (!live.has(to)) return reject('dead-recipient', `"${to}" is not live`);
      recipients = Object.freeze([to]);
    } else if (isTeam(to)) {
      const team = this.teamOf(from);
      if (team === undefined) return reject('unknown-recipient', `"${from}" has no team; it can only send to named agents`);
      const mates = (this.teamMembers(team)).filter((a) => a !== from);
      if (mates.length === 0) return reject('unknown-recipient', `"${from}" has no teammates (team "${team}")`);
      recipients = Object.freeze(mates.filter((a) => live.has(a)));
      if (recipients.length === 0) return reject('dead-recipient', `no teammate of "${from}" (team "${team}") is live`);
    } else {
      return reject('unknown-recipient', `recipient must be an agent id or { team: true }, got ${toText}`);
    }
    let parsed: ParseResult<M>;
    try {
      parsed = this.parse(body);
    } catch (error) {
      parsed = { ok: false, error: `parse threw: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (!parsed.ok) return reject('malformed', parsed.error);
    return { ok: true, to: recipients, body: deepFreeze(parsed.value) };
  }
}

function isTeam(to: unknown): to is { team: true } {
  return typeof to === 'object' && to !== null && (to as { team?: unknown }).team === true;
}

function recipientText(to: unknown): string {
  if (typeof to === 'string') return clip(to, 60);
  if (isTeam(to)) return 'team';
  return preview(to, 60);
}

function clip(text: string, max = MESSAGE_PREVIEW_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A short JSON-like rendering of an untrusted value, at most `max` characters. It walks only as far as the budget
 * allows, so a huge string, a deep or cyclic object or a getter-laden junk value costs little.
 */
export function preview(value: unknown, max = MESSAGE_PREVIEW_CHARS): string {
  let out = '';
  const seen = new Set<object>();
  const write = (s: string): boolean => {
    out += s;
    return out.length <= max;
  };
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v === 'string') return write(JSON.stringify(v.length > max ? v.slice(0, max) : v));
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return write(String(v));
    if (typeof v === 'undefined') return write('undefined');
    if (typeof v === 'bigint') return write(`${v}n`);
    if (typeof v === 'function' || typeof v === 'symbol') return write(`[${typeof v}]`);
    const obj = v as object;
    if (seen.has(obj)) return write('[cycle]');
    if (depth > 8) return write('…');
    seen.add(obj);
    try {
      if (Array.isArray(obj)) {
        if (!write('[')) return false;
        for (let i = 0; i < obj.length; i++) if (!(i > 0 ? write(',') : true) || !walk(obj[i], depth + 1)) return false;
        return write(']');
      }
      if (!write('{')) return false;
      let first = true;
      for (const key in obj) {
        if (!(first ? true : write(',')) || !write(`${JSON.stringify(clip(key, max))}:`)) return false;
        first = false;
        if (!walk((obj as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return write('}');
    } catch {
      return write('[unreadable]');
    } finally {
      seen.delete(obj);
    }
  };
  walk(value, 0);
  return clip(out, max);
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}
