/**
 * An LLM-labelled intrinsic reward in the manner of ONI (Zheng et al., "Online Intrinsic Rewards for Decision Making
 * Agents from Large Language Model Feedback"): the world's events are described in words, sent in batches to an LLM
 * that labels each helpful or not for the goal, and a helpful event pays `scale / sqrt(n)`, n the times that event
 * occurred in the watched env so far (count-based decay, so a repeated trick stops paying).
 *
 * The learner never waits: `reward` is synchronous; an event whose label has not landed yet pays 0 (and is queued
 * for labelling once); labels land asynchronously and pay from then on. Labels are kept per event description
 * (`snapshot`/`restore` carry them over checkpoints). Replays: a batch whose reply is in the LLM client's on-disk
 * cache is labelled at once, synchronously, when it is sent, so a rerun with a warm cache pays the same rewards at
 * the same steps whatever the event loop does. (A first run against a live server depends on when replies arrive.)
 */
import { z } from 'zod';
import type { WorldEventInput } from '../../../core/events.js';
import type { AgentId, AgentInfo, PerAgent } from '../../../core/parallel-env.js';
import type { LlmClient, LlmReply, LlmRequest } from '../../llm/llm-client.js';
import { extractJson } from '../../llm/plan-schema.js';
import { PromptTemplate } from '../../llm/prompt-template.js';
import type { IntrinsicEpisodeStart, IntrinsicReward, IntrinsicStep } from './intrinsic-reward.js';

export interface LlmLabelRewardOptions {
  /** The run's client (role `labeller`; its model is `models.labeller`, else the planner's). */
  readonly client: LlmClient;
  /** The goal events are judged against, in words (`collect a diamond`). */
  readonly goal: string;
  /** Event -> the acting agent and a description (the label's key), or null to ignore it. Default: {@link describeEvent}. */
  readonly describe?: (event: WorldEventInput) => { readonly agent: AgentId; readonly text: string } | null;
  /** Events per LLM call (default 16). */
  readonly batchSize?: number;
  /** Batches in flight at most (default 2); more events wait in the queue. */
  readonly maxInFlight?: number;
  /** Payout of a helpful event the first time (default 1). */
  readonly scale?: number;
  /** Folder of prompt templates replacing `label-system.md` / `label.md`. */
  readonly promptsDir?: string;
  /** Name in logs and in the client's accounting (default `llm-label`). */
  readonly name?: string;
}

/** Fields that name agents or places: left out of descriptions, so one kind of event is one label. */
const OMIT = new Set(['agent', 'from', 'to', 'pos']);

/** A world event as `collect: material tree, items wood 1`, with the agent it belongs to (`agent` or `from`). */
export function describeEvent(event: WorldEventInput): { agent: AgentId; text: string } | null {
  const data = event.data as unknown as Record<string, unknown>;
  const agent = (data['agent'] ?? data['from']) as AgentId | undefined;
  if (typeof agent !== 'string') return null;
  const fmt = (v: unknown): string => (v !== null && typeof v === 'object' ? Object.entries(v).map(([k, x]) => `${k} ${fmt(x)}`).join(', ') : String(v));
  const parts = Object.keys(data).filter((k) => !OMIT.has(k)).sort().map((k) => `${k} ${fmt(data[k])}`);
  return { agent, text: parts.length > 0 ? `${event.type}: ${parts.join('; ')}` : event.type };
}

const LabelReply = z.object({ helpful: z.array(z.number().int()) });

/** Counters a trainer may log. */
export interface LlmLabelStats { labelled: number; helpful: number; queued: number; inFlight: number; batches: number; failedBatches: number; paidEvents: number }

export class LlmLabelReward<Obs = unknown, Info extends AgentInfo = AgentInfo> implements IntrinsicReward<Obs, Info> {
  readonly name: string;
  private readonly labels = new Map<string, boolean>();
  private readonly counts = new Map<string, number>();
  /** Descriptions waiting for a batch, and those in a batch in flight (neither is queued again). */
  private queue: string[] = [];
  private readonly asked = new Set<string>();
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly system: PromptTemplate;
  private readonly user: PromptTemplate;
  private readonly describe: NonNullable<LlmLabelRewardOptions['describe']>;
  readonly stats: LlmLabelStats = { labelled: 0, helpful: 0, queued: 0, inFlight: 0, batches: 0, failedBatches: 0, paidEvents: 0 };

  constructor(private readonly o: LlmLabelRewardOptions) {
    this.name = o.name ?? 'llm-label';
    this.describe = o.describe ?? describeEvent;
    this.system = PromptTemplate.load('label-system', ['goal'], o.promptsDir);
    this.user = PromptTemplate.load('label', ['events'], o.promptsDir);
  }

  reset(_start: IntrinsicEpisodeStart<Obs, Info>): void {
    this.flush(); // what the last episode queued goes out now, not whenever a batch fills up
  }

  reward(step: IntrinsicStep<Obs, Info>): Readonly<PerAgent<number>> {
    const out: PerAgent<number> = {};
    for (const e of step.events) {
      const d = this.describe(e);
      if (!d) continue;
      const n = (this.counts.get(d.text) ?? 0) + 1;
      this.counts.set(d.text, n);
      const label = this.labels.get(d.text);
      if (label === undefined) {
        if (!this.asked.has(d.text)) {
          this.asked.add(d.text);
          this.queue.push(d.text);
        }
        continue;
      }
      if (!label) continue;
      this.stats.paidEvents++;
      out[d.agent] = (out[d.agent] ?? 0) + (this.o.scale ?? 1) / Math.sqrt(n);
    }
    if (this.queue.length >= (this.o.batchSize ?? 16)) this.pump();
    this.stats.queued = this.queue.length;
    return out;
  }

  /** The label of an event description: true / false, or undefined while unknown. */
  labelOf(text: string): boolean | undefined {
    return this.labels.get(text);
  }

  /** Sends everything queued now (in batches, as slots allow). */
  flush(): void {
    this.pump(true);
  }

  /** Resolves once nothing is queued or in flight (tests, the end of training); never needed by `reward`. */
  settled(): Promise<void> {
    this.flush();
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  snapshot(): unknown {
    return { labels: [...this.labels], counts: [...this.counts] };
  }

  restore(state: unknown): void {
    const s = z.object({ labels: z.array(z.tuple([z.string(), z.boolean()])), counts: z.array(z.tuple([z.string(), z.number()])) }).parse(state);
    this.labels.clear();
    this.counts.clear();
    for (const [k, v] of s.labels) this.labels.set(k, v);
    for (const [k, v] of s.counts) this.counts.set(k, v);
    this.queue = this.queue.filter((t) => !this.labels.has(t));
  }

  private pump(all = false): void {
    const size = this.o.batchSize ?? 16;
    while (this.queue.length > 0 && (all || this.queue.length >= size) && this.inFlight < (this.o.maxInFlight ?? 2)) {
      this.send(this.queue.splice(0, size));
    }
    this.stats.queued = this.queue.length;
    if (this.inFlight === 0 && this.queue.length === 0) for (const w of this.waiters.splice(0)) w();
  }

  private request(batch: readonly string[]): LlmRequest {
    return {
      agent: this.name, role: 'labeller', purpose: 'label',
      messages: [
        { role: 'system', content: this.system.render({ goal: this.o.goal }) },
        { role: 'user', content: this.user.render({ events: batch.map((t, i) => `${i + 1}. ${t}`).join('\n') }) },
      ],
    };
  }

  private send(batch: string[]): void {
    this.stats.batches++;
    const req = this.request(batch);
    const cached = this.o.client.peek(req);
    if (cached) {
      this.land(batch, req, cached);
      return;
    }
    this.inFlight++;
    this.stats.inFlight = this.inFlight;
    this.o.client.complete(req).then(
      (reply) => this.land(batch, req, reply),
      // A call that failed for good (or anything else): the events are asked again when they next occur.
      () => this.failed(batch),
    ).finally(() => {
      this.inFlight--;
      this.stats.inFlight = this.inFlight;
      this.pump(this.waiters.length > 0);
    });
  }

  private land(batch: readonly string[], req: LlmRequest, reply: LlmReply): void {
    let helpful: number[];
    try {
      helpful = LabelReply.parse(extractJson(reply.text)).helpful;
    } catch {
      this.o.client.note(this.name, 'invalid');
      this.o.client.forget(req); // a replay must not get the same unusable answer forever
      this.failed(batch);
      return;
    }
    const yes = new Set(helpful);
    batch.forEach((text, i) => {
      const label = yes.has(i + 1);
      this.labels.set(text, label);
      this.stats.labelled++;
      if (label) this.stats.helpful++;
    });
  }

  /** A batch that got no usable answer: its events may be asked again when they next occur. */
  private failed(batch: readonly string[]): void {
    this.stats.failedBatches++;
    for (const t of batch) this.asked.delete(t);
  }
}
