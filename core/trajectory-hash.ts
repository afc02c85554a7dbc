import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import type { Observable, Subscription } from 'rxjs';
import type { AgentInfo } from './parallel-env.js';
import type { EpisodeReset, StepTransition } from './world-stepper.js';

const enum Tag {
  Undefined = 0,
  Null = 1,
  False = 2,
  True = 3,
  Number = 4,
  String = 5,
  BigInt = 6,
  Bytes = 7,
  Array = 8,
  Record = 9,
  Reset = 0x52, // 'R'
  Step = 0x53, // 'S'
}

const FLUSH_AT = 1 << 16;

/** What a hasher can follow: a `Simulation` or anything with the same two streams. */
export interface HashableRun<Obs = unknown, Act = unknown, Info extends AgentInfo = AgentInfo> {
  readonly resets$: Observable<EpisodeReset<Obs, Info>>;
  readonly transitions$: Observable<StepTransition<Obs, Act, Info>>;
}

/**
 * A SHA-256 over a whole trajectory, to check determinism: same seed and controllers -> same hex digest, on any
 * clock and at any pace; any changed action, reward, termination, truncation or observation -> another digest.
 *
 * Each reset contributes its episode index, seed and observations; each step its episode, step, actions, rewards,
 * terminations, truncations and observations. Values are encoded canonically: numbers as float64 (-0 as 0),
 * typed arrays by type name and bytes, arrays in order, records by sorted keys. Infos and world events are left
 * out (they may carry diagnostics).
 *
 * @example
 * const hasher = new TrajectoryHasher();
 * hasher.follow(sim);
 * sim.runSync({ episodes: 3 });
 * hasher.digest(); // 'e3b0c442...'
 */
export class TrajectoryHasher {
  private readonly hash: Hash = createHash('sha256');
  private buf = new Uint8Array(FLUSH_AT * 2);
  private view = new DataView(this.buf.buffer);
  private pos = 0;
  private readonly encoder = new TextEncoder();
  /** UTF-8 of strings seen before (agent ids, record keys, dtype names repeat on every step). */
  private readonly utf8 = new Map<string, Uint8Array>();
  /** Number of resets and steps hashed so far. */
  records = 0;

  /** Hashes every reset and step of `run` from now on; unsubscribe to stop. */
  follow(run: HashableRun): Subscription {
    const sub = run.resets$.subscribe((r) => this.addReset(r));
    sub.add(run.transitions$.subscribe((t) => this.addStep(t)));
    return sub;
  }

  addReset(reset: EpisodeReset): void {
    this.byte(Tag.Reset);
    this.number(reset.episode);
    this.number(reset.seed);
    this.value(reset.result.observations);
    this.endRecord();
  }

  addStep(t: StepTransition): void {
    const r = t.result;
    this.byte(Tag.Step);
    this.number(t.episode);
    this.number(t.step);
    this.value(t.actions);
    this.value(r.rewards);
    this.value(r.terminations);
    this.value(r.truncations);
    this.value(r.observations);
    this.endRecord();
  }

  /** Hex digest of everything so far; hashing may continue afterwards. */
  digest(): string {
    this.flush();
    return this.hash.copy().digest('hex');
  }

  /** Adds any value in the canonical encoding (exposed for hashing extra data, e.g. world state). */
  value(v: unknown): void {
    switch (typeof v) {
      case 'undefined':
        return this.byte(Tag.Undefined);
      case 'boolean':
        return this.byte(v ? Tag.True : Tag.False);
      case 'number':
        this.byte(Tag.Number);
        return this.number(v);
      case 'string':
        this.byte(Tag.String);
        return this.string(v);
      case 'bigint':
        this.byte(Tag.BigInt);
        return this.string(v.toString());
      case 'object': {
        if (v === null) return this.byte(Tag.Null);
        if (ArrayBuffer.isView(v)) {
          this.byte(Tag.Bytes);
          this.string(v.constructor.name);
          return this.bytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
        }
        if (Array.isArray(v)) {
          this.byte(Tag.Array);
          this.uint32(v.length);
          for (const item of v) this.value(item);
          return;
        }
        const rec = v as Record<string, unknown>;
        const keys = Object.keys(rec).sort();
        this.byte(Tag.Record);
        this.uint32(keys.length);
        for (const key of keys) {
          this.string(key);
          this.value(rec[key]);
        }
        return;
      }
      default:
        throw new TypeError(`TrajectoryHasher cannot encode a ${typeof v}`);
    }
  }

  private endRecord(): void {
    this.records++;
    if (this.pos >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.pos === 0) return;
    this.hash.update(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) {
      this.buf = new Uint8Array(n * 2);
      this.view = new DataView(this.buf.buffer);
    }
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }

  private uint32(n: number): void {
    this.reserve(4);
    this.view.setUint32(this.pos, n);
    this.pos += 4;
  }

  private number(n: number): void {
    this.reserve(8);
    this.view.setFloat64(this.pos, n === 0 ? 0 : Number.isNaN(n) ? NaN : n);
    this.pos += 8;
  }

  private string(s: string): void {
    let b = this.utf8.get(s);
    if (b === undefined) {
      b = this.encoder.encode(s);
      if (this.utf8.size < 4096) this.utf8.set(s, b);
    }
    this.bytes(b);
  }

  private bytes(b: Uint8Array): void {
    this.uint32(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}
