/**
 * The knowledge graph's write queue: the simulation's writes are synchronous pushes here, and one drain loop writes
 * them to the store in batches (one transaction each) off the simulation's path. While a batch is in flight new
 * records pile up and go in the next, larger batch, so a slow store gets fewer, bigger transactions.
 *
 * Nothing is dropped. A failure the store calls transient (server gone, connection lost) is retried with the same
 * batch after an exponential, capped backoff (writes are idempotent upserts, so a batch that did commit before the
 * connection broke is harmless to replay); any other failure is kept and rejects every later `flush()`. Health and
 * pressure are reported on `status$`; `ready()` is the back-pressure a caller may choose to await.
 */
import { Subject, type Observable } from 'rxjs';
import type { EdgeRecord, GraphStore, NodeRecord, WriteBatch } from './graph-store.js';

export interface WriteQueueOptions {
  /** Most records per transaction (default 2000: on Neo4j, 5000-record transactions measured twice the server CPU per record). */
  batchSize?: number;
  /**
   * A write waits up to this long for company before it is written (default 100 ms). Queries flush first, so a
   * longer wait costs no freshness; it makes fewer, larger transactions (per-transaction cost dominates small ones).
   */
  flushDelayMs?: number;
  /** Queue bound: at this size `queue-full` is reported and `ready()` waits (default 200 000 records). */
  maxQueued?: number;
  /** Past this size `queue-high` is reported; `ready()` resolves again below it (default maxQueued / 4). */
  highWater?: number;
  /** First retry delay after a transient failure (default 100 ms), doubled per attempt ... */
  retryBaseMs?: number;
  /** ... up to this (default 5000 ms). */
  retryMaxMs?: number;
}

export type KgStatusKind = 'unavailable' | 'reconnected' | 'queue-high' | 'queue-full' | 'queue-drained' | 'failed';

/** One health or pressure report of the store under a knowledge graph. */
export interface KgStatus {
  readonly kind: KgStatusKind;
  /** Records queued or in flight when reported. */
  readonly queued: number;
  /** Failed attempts of the current batch (unavailable, reconnected). */
  readonly attempts: number;
  /** Wall-clock ms since the queue was made. */
  readonly atMs: number;
  readonly message: string;
}

interface Waiter { readonly nodes: number; readonly edges: number; readonly ok: () => void; readonly fail: (e: Error) => void }

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

/** Folds repeated upserts of one id in a batch into one record (later properties win), keeping first-seen order. */
function coalesce<T extends NodeRecord | EdgeRecord>(records: T[], kindOf: (r: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const r of records) {
    const k = `${kindOf(r)}\u0000${r.id}`;
    const old = byKey.get(k);
    byKey.set(k, old ? { ...r, props: { ...old.props, ...r.props } } : r);
  }
  return byKey.size === records.length ? records : [...byKey.values()];
}

export class WriteQueue {
  private nodes: NodeRecord[] = [];
  /** Queued node ids the graph knows to be new to the store (see WriteBatch.fresh). */
  private fresh = new Set<string>();
  private edges: EdgeRecord[] = [];
  private inFlight = 0;
  private counts = { nodesIn: 0, edgesIn: 0, nodesDone: 0, edgesDone: 0 };
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private failure: Error | undefined;
  private closed = false;
  private high = false;
  private full = false;
  private waiters: Waiter[] = [];
  private readyWaiters: (() => void)[] = [];
  private readonly subject = new Subject<KgStatus>();
  private readonly t0 = Date.now();
  private readonly batchSize: number;
  private readonly flushDelayMs: number;
  private readonly maxQueued: number;
  private readonly highWater: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  /** Store health and queue pressure. */
  readonly status$: Observable<KgStatus> = this.subject.asObservable();

  constructor(private readonly store: GraphStore, opts: WriteQueueOptions = {}) {
    this.batchSize = opts.batchSize ?? 2000;
    this.flushDelayMs = opts.flushDelayMs ?? 100;
    this.maxQueued = opts.maxQueued ?? 200_000;
    this.highWater = Math.min(opts.highWater ?? Math.floor(this.maxQueued / 4), this.maxQueued);
    this.retryBaseMs = opts.retryBaseMs ?? 100;
    this.retryMaxMs = opts.retryMaxMs ?? 5000;
  }

  /** Records queued or being written. */
  get size(): number {
    return this.nodes.length + this.edges.length + this.inFlight;
  }

  /** Queues a node upsert; `fresh` when the caller knows the store does not hold that id yet. */
  node(r: NodeRecord, fresh = false): void {
    if (fresh) this.fresh.add(r.id);
    this.nodes.push(r);
    this.counts.nodesIn++;
    this.added();
  }

  edge(r: EdgeRecord): void {
    this.edges.push(r);
    this.counts.edgesIn++;
    this.added();
  }

  private emit(kind: KgStatusKind, message: string, attempts = 0): void {
    this.subject.next({ kind, queued: this.size, attempts, atMs: Date.now() - this.t0, message });
  }

  private added(): void {
    const n = this.size;
    if (!this.high && n >= this.highWater) {
      this.high = true;
      this.emit('queue-high', `write queue at ${n} records (high-water mark ${this.highWater}); the store is behind`);
    }
    if (!this.full && n >= this.maxQueued) {
      this.full = true;
      this.emit('queue-full', `write queue at its bound of ${this.maxQueued} records: ready() now waits; writes are still kept`);
    }
    if (this.nodes.length + this.edges.length >= this.batchSize) {
      // Not inline: a write call must only queue; the batch is packed and sent once the caller's turn ends.
      if (!this.running && !this.immediate) this.immediate = setImmediate(() => { this.immediate = undefined; this.kick(); });
    } else if (!this.timer && !this.running) {
      this.timer = setTimeout(() => { this.timer = undefined; this.kick(); }, this.flushDelayMs);
      this.timer.unref();
    }
  }

  private kick(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    if (this.running || this.failure || this.closed) return;
    this.running = true;
    void this.drain().finally(() => {
      this.running = false;
      // Records pushed between the loop's last look and now would otherwise wait for the next push.
      if (this.nodes.length + this.edges.length > 0) this.kick();
    });
  }

  /** Resolves once everything queued before the call is written; rejects on a non-transient failure. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const { nodesIn, edgesIn, nodesDone, edgesDone } = this.counts;
    if (nodesDone >= nodesIn && edgesDone >= edgesIn) return Promise.resolve();
    return new Promise((ok, fail) => {
      this.waiters.push({ nodes: nodesIn, edges: edgesIn, ok, fail });
      this.kick();
    });
  }

  /** Undefined while the queue is below its bound (no wait); else `ready()`. For a run's `pace` hook. */
  backpressure(): Promise<void> | undefined {
    return this.size < this.maxQueued && !this.full ? undefined : this.ready();
  }

  /** Resolves at once below `maxQueued`; else once the queue has drained below `highWater`. */
  ready(): Promise<void> {
    if (this.size < this.maxQueued && !this.full) return Promise.resolve();
    return new Promise((ok) => this.readyWaiters.push(ok));
  }

  /** Stops retrying and rejects pending flushes (after `flush()` has resolved nothing is pending). */
  close(): void {
    this.closed = true;
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    if (this.immediate) { clearImmediate(this.immediate); this.immediate = undefined; }
    const err = new Error('knowledge graph closed with writes still queued');
    for (const w of this.waiters.splice(0)) w.fail(err);
    this.subject.complete();
  }

  private async drain(): Promise<void> {
    while (this.nodes.length + this.edges.length > 0 && !this.closed) {
      // Nodes before edges: edges join a batch only once every node queued before them is in it or written.
      const nodes = this.nodes.splice(0, this.batchSize);
      const edges = this.nodes.length === 0 ? this.edges.splice(0, this.batchSize - nodes.length) : [];
      this.inFlight = nodes.length + edges.length;
      // A fresh id's first record is in the earliest batch that holds it; later records of it are upserts.
      let fresh: Set<string> | undefined;
      if (this.fresh.size > 0) {
        for (const n of nodes) {
          if (!this.fresh.delete(n.id)) continue;
          (fresh ??= new Set()).add(n.id);
        }
      }
      const batch = { nodes: coalesce(nodes, (n) => n.label), edges: coalesce(edges, (e) => `${e.type}\u0000${e.from}\u0000${e.to}`) };
      const ok = await this.writeWithRetry(fresh ? { ...batch, fresh } : batch);
      this.inFlight = 0;
      if (!ok) return;
      this.counts.nodesDone += nodes.length;
      this.counts.edgesDone += edges.length;
      this.settle();
    }
  }

  private async writeWithRetry(batch: WriteBatch): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.write(batch);
        if (attempt > 0) this.emit('reconnected', `store answers again after ${attempt} failed attempt(s); writing the backlog`, attempt);
        return true;
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        if (this.closed) return false;
        if (!this.store.isTransient?.(err)) {
          this.failure = e;
          this.emit('failed', `write failed and will not be retried: ${e.message}`, attempt + 1);
          for (const w of this.waiters.splice(0)) w.fail(e);
          return false;
        }
        const delay = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.min(attempt, 30));
        if (attempt === 0) this.emit('unavailable', `store unavailable (${e.message.split('\n')[0]}); retrying with backoff, writes keep queueing`, 1);
        await sleep(delay);
      }
    }
  }

  private settle(): void {
    const { nodesDone, edgesDone } = this.counts;
    this.waiters = this.waiters.filter((w) => {
      if (nodesDone < w.nodes || edgesDone < w.edges) return true;
      w.ok();
      return false;
    });
    const n = this.size;
    if (n < this.highWater) {
      if (this.high || this.full) this.emit('queue-drained', `write queue back to ${n} records`);
      this.high = false;
      this.full = false;
      for (const r of this.readyWaiters.splice(0)) r();
    }
  }
}
