/**
 * One OpenAI-compatible chat-completions client for a run, shared by its agents: the official `openai` client
 * underneath (so OpenAI, Ollama, vLLM and llama.cpp's server all work by base URL), plus what every LLM project ends
 * up adding by hand: a per-call timeout, backoff on 429 and 5xx (honouring `Retry-After`), a concurrency cap over
 * the run, an on-disk reply cache, token and cost accounting per agent, and a transcript per agent.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LlmCache, cacheKey } from './llm-cache.js';
import type { CachedReply } from './llm-cache.js';
import { modelFor } from './llm-config.js';
import type { LlmConfig, LlmRole } from './llm-config.js';

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface LlmRequest {
  /** Who asks: usage and the transcript are kept per agent. */
  readonly agent: string;
  readonly role: LlmRole;
  /** What the call is for, in the transcript (`plan`, `repair`, `label`). */
  readonly purpose: string;
  readonly messages: readonly ChatMessage[];
  /** Sampling seed (part of the cache key): agents draw it from their own Rng, so runs are deterministic by seed. */
  readonly seed?: number;
}

export interface LlmReply {
  readonly text: string;
  readonly cached: boolean;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** Counters per agent, written to `summary.json` under `llm.agents`. */
export interface LlmUsage {
  /** Completions asked for (cache hits included). */
  calls: number;
  /** HTTP requests sent (retries included); 0 for a run served from the cache. */
  httpCalls: number;
  cacheHits: number;
  /** Attempts repeated after a 429, a 5xx, a timeout or a lost connection. */
  retries: number;
  timeouts: number;
  rateLimited: number;
  serverErrors: number;
  /** Calls that failed after every retry. */
  failures: number;
  /** Replies that were not valid (bad JSON, wrong schema), repair prompts sent, fail-safe takeovers. */
  invalid: number;
  repairs: number;
  fallbacks: number;
  /** Tokens of HTTP calls (cache hits cost nothing and are not counted). */
  promptTokens: number;
  completionTokens: number;
  /** In the currency of `pricePer1kTokens`; absent when no price is configured. */
  cost?: number;
}

/** A call that failed after every retry (or could not be retried). */
export class LlmCallError extends Error {
  override readonly name = 'LlmCallError';
  constructor(message: string, readonly kind: 'timeout' | 'rate-limit' | 'server' | 'client' | 'connection' | 'closed') {
    super(message);
  }
}

export interface LlmClientOptions {
  /** The API key (from the environment variable the config names); a local server takes any. */
  readonly apiKey: string;
  /** Run folder: transcripts go to `<runDir>/transcripts/<agent>.jsonl`. None: no transcripts. */
  readonly runDir?: string;
  /** Replaces the real timer, for tests of the backoff (ms -> a promise that resolves after it). */
  readonly sleep?: (ms: number) => Promise<void>;
}

const USAGE_ZERO: LlmUsage = {
  calls: 0, httpCalls: 0, cacheHits: 0, retries: 0, timeouts: 0, rateLimited: 0, serverErrors: 0, failures: 0,
  invalid: 0, repairs: 0, fallbacks: 0, promptTokens: 0, completionTokens: 0,
};

/** Counts a concurrency cap: at most `limit` holders; others wait in FIFO order. */
class Semaphore {
  private held = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<() => void> {
    if (this.held >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else this.held--;
    };
  }
}

export class LlmClient {
  private readonly openai: OpenAI;
  private readonly cache: LlmCache | null;
  private readonly slots: Semaphore;
  private readonly usage = new Map<string, LlmUsage>();
  private readonly inFlight = new Map<string, Promise<CachedReply>>();
  private readonly transcriptDir: string | null;
  private readonly seq = new Map<string, number>();
  private readonly abort = new AbortController();
  private readonly sleep: (ms: number) => Promise<void>;
  private pending = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(readonly config: LlmConfig, opts: LlmClientOptions) {
    // Retries are ours (counted, Retry-After honoured, bounded by the config), not the SDK's.
    this.openai = new OpenAI({ baseURL: config.baseUrl, apiKey: opts.apiKey, maxRetries: 0, timeout: config.timeoutMs });
    this.cache = config.cacheDir === null ? null : new LlmCache(config.cacheDir);
    this.slots = new Semaphore(config.concurrency);
    this.transcriptDir = opts.runDir !== undefined ? join(opts.runDir, 'transcripts') : null;
    if (this.transcriptDir) mkdirSync(this.transcriptDir, { recursive: true });
    this.sleep = opts.sleep ?? ((t) => new Promise((resolve) => setTimeout(resolve, t)));
  }

  /** One agent's counters (created on first use). */
  usageOf(agent: string): LlmUsage {
    let u = this.usage.get(agent);
    if (!u) this.usage.set(agent, (u = { ...USAGE_ZERO }));
    return u;
  }

  /** Counts a planner-level outcome (invalid reply, repair sent, fail-safe takeover) for an agent. */
  note(agent: string, what: 'invalid' | 'repairs' | 'fallbacks'): void {
    this.usageOf(agent)[what]++;
  }

  /** Every agent's counters, with cost when a price is configured, and the totals. */
  summary(): { baseUrl: string; models: LlmConfig['models']; agents: Record<string, LlmUsage>; total: LlmUsage } {
    const agents: Record<string, LlmUsage> = {};
    const total: LlmUsage = { ...USAGE_ZERO };
    for (const [a, u] of [...this.usage].sort(([x], [y]) => (x < y ? -1 : 1))) {
      const withCost = { ...u, ...this.costOf(u) };
      agents[a] = withCost;
      for (const k of Object.keys(USAGE_ZERO) as (keyof LlmUsage)[]) (total[k] as number) += u[k] as number;
    }
    return { baseUrl: this.config.baseUrl, models: this.config.models, agents, total: { ...total, ...this.costOf(total) } };
  }

  private costOf(u: LlmUsage): { cost?: number } {
    const p = this.config.pricePer1kTokens;
    if (!p) return {};
    return { cost: Math.round(((u.promptTokens * p.input + u.completionTokens * p.output) / 1000) * 1e6) / 1e6 };
  }

  /** Resolves once no call is in flight (tests and shutdown). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels calls in flight (they reject with kind `closed`); the client is unusable afterwards. */
  close(): void {
    this.abort.abort();
  }

  /**
   * The reply to a chat, from the cache or the server.
   * @throws LlmCallError after the last retry (or at once for a 4xx other than 429).
   */
  async complete(req: LlmRequest): Promise<LlmReply> {
    const { model, params, key } = this.keyOf(req);
    const started = performance.now();
    const hit = this.peek(req);
    if (hit) return hit;
    const u = this.usageOf(req.agent);
    u.calls++;
    // The same question asked twice at once (two agents, one prompt and seed) is one HTTP call.
    let call = this.inFlight.get(key);
    const shared = call !== undefined;
    if (!call) {
      call = this.fetch(req.agent, model, req.messages, params);
      this.inFlight.set(key, call);
      this.track(call.finally(() => this.inFlight.delete(key)));
    }
    try {
      const r = await call;
      if (!shared) {
        u.promptTokens += r.promptTokens;
        u.completionTokens += r.completionTokens;
        this.cache?.set(key, r);
      } else u.cacheHits++;
      const reply = { ...r, cached: shared };
      this.transcribe(req, model, reply, started);
      return reply;
    } catch (err) {
      if (!shared) u.failures++;
      this.transcribe(req, model, { error: (err as Error).message }, started);
      throw err;
    }
  }

  private keyOf(req: LlmRequest) {
    const model = modelFor(this.config, req.role);
    const params = {
      temperature: this.config.temperature, [this.config.maxTokensField]: this.config.maxTokens,
      ...(req.seed !== undefined && { seed: req.seed }),
      ...(this.config.jsonMode && { response_format: { type: 'json_object' as const } }),
    };
    return { model, params, key: cacheKey(model, req.messages, params) };
  }

  /**
   * The cached reply, synchronously, or undefined (nothing is sent). Callers that must not depend on when an answer
   * lands (a replay) use it to apply cached answers at once. A hit counts as a call.
   */
  peek(req: LlmRequest): LlmReply | undefined {
    if (!this.cache) return undefined;
    const { model, key } = this.keyOf(req);
    const hit = this.cache.get(key);
    if (!hit) return undefined;
    const u = this.usageOf(req.agent);
    u.calls++;
    u.cacheHits++;
    const reply = { ...hit, cached: true };
    this.transcribe(req, model, reply, performance.now());
    return reply;
  }

  /** Drops a cached reply that turned out unusable, so that asking again asks the server. */
  forget(req: LlmRequest): void {
    this.cache?.delete(this.keyOf(req).key);
  }

  private track(p: Promise<unknown>): void {
    this.pending++;
    const done = () => {
      if (--this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
    };
    p.then(done, done);
  }

  private async fetch(agent: string, model: string, messages: readonly ChatMessage[], params: Record<string, unknown>): Promise<CachedReply> {
    const u = this.usageOf(agent);
    for (let attempt = 0; ; attempt++) {
      if (this.abort.signal.aborted) throw new LlmCallError('the LLM client was closed', 'closed');
      let waitMs: number;
      let failure: LlmCallError;
      const release = await this.slots.acquire();
      // One signal per request, tied to close(): the SDK leaves its listener on the signal it is given.
      const call = new AbortController();
      const cancel = () => call.abort();
      this.abort.signal.addEventListener('abort', cancel, { once: true });
      try {
        u.httpCalls++;
        const res = await this.openai.chat.completions.create(
          { model, messages: messages.map((m) => ({ role: m.role, content: m.content })), ...params } as OpenAI.ChatCompletionCreateParamsNonStreaming,
          { timeout: this.config.timeoutMs, signal: call.signal },
        );
        const text = res.choices[0]?.message?.content ?? '';
        return { text, promptTokens: res.usage?.prompt_tokens ?? 0, completionTokens: res.usage?.completion_tokens ?? 0 };
      } catch (err) {
        ({ failure, waitMs } = this.classify(err, attempt, u));
      } finally {
        this.abort.signal.removeEventListener('abort', cancel);
        release();
      }
      const retryable = failure.kind !== 'client' && failure.kind !== 'closed';
      if (!retryable || attempt >= this.config.retries) throw failure;
      u.retries++;
      await this.sleep(waitMs);
    }
  }

  /** What went wrong, counted, and how long to wait before the next attempt. */
  private classify(err: unknown, attempt: number, u: LlmUsage): { failure: LlmCallError; waitMs: number } {
    const backoff = Math.min(this.config.maxBackoffMs, this.config.backoffMs * 2 ** attempt);
    if (this.abort.signal.aborted) return { failure: new LlmCallError('the LLM client was closed', 'closed'), waitMs: 0 };
    if (err instanceof APIConnectionTimeoutError) {
      u.timeouts++;
      return { failure: new LlmCallError(`no reply within ${this.config.timeoutMs} ms`, 'timeout'), waitMs: backoff };
    }
    if (err instanceof APIError && err.status !== undefined) {
      const status = err.status;
      const hinted = retryAfterMs(err.headers);
      const waitMs = Math.min(this.config.maxBackoffMs, hinted ?? backoff);
      if (status === 429) {
        u.rateLimited++;
        return { failure: new LlmCallError(`rate limited (429): ${err.message}`, 'rate-limit'), waitMs };
      }
      if (status >= 500) {
        u.serverErrors++;
        return { failure: new LlmCallError(`server error ${status}: ${err.message}`, 'server'), waitMs };
      }
      return { failure: new LlmCallError(`request refused (${status}): ${err.message}`, 'client'), waitMs: 0 };
    }
    if (err instanceof APIConnectionError) return { failure: new LlmCallError(`connection failed: ${err.message}`, 'connection'), waitMs: backoff };
    return { failure: new LlmCallError(`LLM call failed: ${(err as Error)?.message ?? String(err)}`, 'connection'), waitMs: backoff };
  }

  /** Appends a record (a fallback, a repair) to an agent's transcript, between its calls. */
  log(agent: string, record: object): void {
    if (!this.transcriptDir) return;
    appendFileSync(join(this.transcriptDir, `${safeName(agent)}.jsonl`), JSON.stringify({ event: record }) + '\n');
  }

  private transcribe(req: LlmRequest, model: string, outcome: Partial<LlmReply> & { error?: string }, started: number): void {
    if (!this.transcriptDir) return;
    const n = this.seq.get(req.agent) ?? 0;
    this.seq.set(req.agent, n + 1);
    const line = {
      seq: n, role: req.role, purpose: req.purpose, model, ...(req.seed !== undefined && { seed: req.seed }),
      messages: req.messages, ...outcome, ms: Math.round(performance.now() - started),
    };
    appendFileSync(join(this.transcriptDir, `${safeName(req.agent)}.jsonl`), JSON.stringify(line) + '\n');
  }
}

/** `Retry-After` (seconds or an HTTP date) or `retry-after-ms`, in ms; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headers.get('retry-after');
  if (ra === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(ra)) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function safeName(agent: string): string {
  return agent.replace(/[^A-Za-z0-9_.-]/g, '_');
}
