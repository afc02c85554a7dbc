/**
 * A minimal stand-in for the kernel's MessageChannel (core/message-channel.ts, landing from another branch), for the
 * coop bench and the kg-planner tests only: validates bodies, keeps a per-agent budget per step, and delivers what
 * was accepted when `deliver()` is called after the world stepped (so it reaches the recipients' next decision).
 */
import type { Envelope, MessagePort, ParseResult, Recipient } from '../../core/messages.js';
import type { AgentId } from '../../core/parallel-env.js';

export class StepMessagePort<M> implements MessagePort<M> {
  private pending: Envelope<M>[] = [];
  private inboxes = new Map<AgentId, Envelope<M>[]>();
  private sentThisStep = new Map<AgentId, number>();
  private nextId = 0;
  step = 0;
  accepted = 0;
  rejected = 0;

  constructor(
    private readonly agents: readonly AgentId[],
    private readonly parse: (body: unknown) => ParseResult<M>,
    private readonly budgetPerStep = 1,
  ) {}

  send(from: AgentId, to: Recipient, body: unknown): boolean {
    const r = this.parse(body);
    const used = this.sentThisStep.get(from) ?? 0;
    const recipients = typeof to === 'string' ? [to] : this.agents.filter((a) => a !== from);
    if (!r.ok || used >= this.budgetPerStep || recipients.some((a) => a === from || !this.agents.includes(a))) {
      this.rejected++;
      return false;
    }
    this.sentThisStep.set(from, used + 1);
    this.pending.push({ id: this.nextId++, from, to: recipients, step: this.step, body: r.value });
    this.accepted++;
    return true;
  }

  inbox(agent: AgentId): readonly Envelope<M>[] {
    return this.inboxes.get(agent) ?? [];
  }

  /** Moves this step's accepted messages into the inboxes (replacing last step's) and starts the next step. */
  deliver(): void {
    this.inboxes = new Map();
    for (const e of this.pending) for (const a of e.to) this.inboxes.set(a, [...(this.inboxes.get(a) ?? []), e]);
    this.pending = [];
    this.sentThisStep.clear();
    this.step++;
  }
}
