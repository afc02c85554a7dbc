import type { AgentId } from './parallel-env.js';

/**
 * The contract for messages between agents (structured communication, as in DAMCS). The kernel knows nothing of
 * what a message says: a channel is created with a `parse` function (a zod schema's `safeParse`, say) and a budget,
 * and the kernel delivers what was accepted at the step boundary, as events on its stream.
 *
 * Life of a message: an agent's controller calls `send` while deciding step t. The channel validates the body and
 * checks the sender's budget for step t (and that the recipient exists and is live); a rejected message raises a
 * `messageRejected` event and `send` returns false; nothing else happens. An accepted one raises `messageSent`,
 * and after the world has stepped it is delivered: it appears in the recipients' `inbox` for their decisions at
 * step t + 1 and a `messageDelivered` event is raised. Inboxes hold one step's deliveries; a controller that wants
 * history keeps it (or reads the episodic memory where a subscriber records the events).
 */

/** A recipient: one agent, or every other live agent of the sender's team. */
export type Recipient = AgentId | { readonly team: true };

/** A message as delivered. `id` is unique in the run and increases in the order messages were accepted. */
export interface Envelope<M> {
  readonly id: number;
  readonly from: AgentId;
  /** The agents it was delivered to (the team, expanded, for a team message). */
  readonly to: readonly AgentId[];
  /** Episode step at which it was sent (delivered for step + 1). */
  readonly step: number;
  readonly body: M;
}

/** Why a message was refused. */
export type MessageRejection = 'malformed' | 'over-budget' | 'unknown-recipient' | 'dead-recipient' | 'dead-sender' | 'self';

/** Result of validating a body: the parsed value, or a one-line reason. */
export type ParseResult<M> = { readonly ok: true; readonly value: M } | { readonly ok: false; readonly error: string };

export interface MessageChannelOptions<M> {
  /** Validates a body (untrusted: it may come from an LLM); the channel stores only what this returns. */
  readonly parse: (body: unknown) => ParseResult<M>;
  /** Messages each agent may send per step; the rest are rejected as `over-budget`. Default 1. */
  readonly budgetPerStep?: number;
  /** Teams: agent -> team name. Agents without a team can only send to named agents. Default: all agents one team. */
  readonly teamOf?: (agent: AgentId) => string | undefined;
}

/** What a controller sees of a channel: send, and read what arrived for this step. */
export interface MessagePort<M> {
  send(from: AgentId, to: Recipient, body: unknown): boolean;
  inbox(agent: AgentId): readonly Envelope<M>[];
}

declare module './events.js' {
  interface WorldEvents {
    /** A message was accepted; it is delivered after this step. `body` is the parsed body. */
    messageSent: { id: number; from: AgentId; to: readonly AgentId[]; body: unknown };
    /** A message reached its recipients' inboxes (for their next decision). */
    messageDelivered: { id: number; from: AgentId; to: readonly AgentId[]; sentStep: number; body: unknown };
    /** A message was refused; `error` says why in words. The body is not kept beyond a short `preview`. */
    messageRejected: { from: AgentId; to: string; reason: MessageRejection; error: string; preview: string };
  }
}
