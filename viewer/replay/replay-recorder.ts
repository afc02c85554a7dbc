import { closeSync, openSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Subscription } from 'rxjs';
import type { Simulation } from '../../core/simulation.js';
import { TrajectoryHasher } from '../../core/trajectory-hash.js';
import type { WriteBatch } from '../../memory/graph-store.js';
import { encodeBatch, REPLAY_VERSION } from './replay-file.js';
import type { ReplayLine } from './replay-file.js';

export interface ReplayRecorderOptions {
  /** The run's seed, for the header (default: the simulation's; the world's reset seeds are recorded per episode). */
  readonly seed?: number;
  /** A state hash every this many run steps (default 100). */
  readonly keyframeEvery?: number;
}

/** Text buffered before a gzip member is written: larger compresses better, smaller loses less to a hard kill. */
const FLUSH_AT = 1 << 17;

/**
 * Records a run as a compact, gzipped replay (see `replay-file.ts`): the seeds and every step's actions, state hashes as
 * keyframes, and the knowledge graph's write batches with their step. Writes are buffered and synchronous, so a
 * lockstep run that never yields still writes in bounded memory.
 */
export class ReplayRecorder {
  private readonly fd: number;
  private buf: string[] = [];
  private chars = 0;
  private readonly sub: Subscription;
  private closed = false;
  readonly keyframeEvery: number;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any world's simulation
  constructor(readonly path: string, private readonly sim: Simulation<any, any, any, any>, o: ReplayRecorderOptions = {}) {
    this.keyframeEvery = o.keyframeEvery ?? 100;
    this.fd = openSync(path, 'w');
    const agents = sim.env.possibleAgents;
    this.line({ t: 'header', version: REPLAY_VERSION, world: sim.env.metadata.name, agents: [...agents], seed: o.seed ?? sim.seed, keyframeEvery: this.keyframeEvery });
    this.sub = sim.events$.subscribe((e) => {
      if (e.type === 'episodeStart') this.line({ t: 'episode', episode: e.episode, seed: e.data.seed });
      else if (e.type === 'step') {
        const acts = e.data.actions;
        this.line({ t: 'step', a: agents.map((a) => (Object.hasOwn(acts, a) ? acts[a] : null)) });
        if (e.totalSteps % this.keyframeEvery === 0) this.line({ t: 'key', total: e.totalSteps, hash: stateHash(sim.env.state()) });
      }
    });
  }

  /** Records a knowledge-graph batch (from a `GraphTap`) at the current run step. */
  graph(batch: WriteBatch): void {
    if (this.closed) return;
    this.line({ t: 'graph', total: this.sim.totalSteps, ...encodeBatch(batch) });
  }

  private line(l: ReplayLine): void {
    const s = JSON.stringify(l, (_k, v: unknown) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v)) + '\n';
    this.buf.push(s);
    this.chars += s.length;
    if (this.chars >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    // One gzip member per buffer (a gzip file may be a series of them): synchronous, bounded, and a file cut by a
    // hard kill keeps every member written before.
    writeSync(this.fd, gzipSync(this.buf.join('')));
    this.buf = [];
    this.chars = 0;
  }

  /** Stops recording, writes `end` and closes the file. */
  close(): void {
    if (this.closed) return;
    this.sub.unsubscribe();
    this.line({ t: 'end', total: this.sim.totalSteps });
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }
}

/** The hash keyframes hold: the state in the trajectory hasher's canonical encoding. */
export function stateHash(state: unknown): string {
  const h = new TrajectoryHasher();
  h.value(state);
  return h.digest();
}
