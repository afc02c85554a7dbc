import { SingleBar } from 'cli-progress';
import type { OutputStream } from './cli-io.js';

/** What the progress display needs to know of a run. */
interface RunRef {
  readonly condition: { readonly id: string };
  readonly seed: number;
}

/** Progress over an experiment's runs (not over each run's steps: the runs print those to their own logs). */
export interface ExperimentProgress {
  start(): void;
  started(run: RunRef): void;
  finished(run: RunRef, result: 'done' | 'failed'): void;
  stop(): void;
}

/** A live bar on a terminal; on a pipe or in a log, one line per finished run; nothing with --quiet. */
export function createExperimentProgress(opts: { quiet: boolean; stream: OutputStream; total: number; done: number }): ExperimentProgress {
  if (opts.quiet) return { start() {}, started() {}, finished() {}, stop() {} };
  return opts.stream.isTTY === true ? new BarProgress(opts.stream as NodeJS.WriteStream, opts.total, opts.done) : new LineProgress(opts.stream, opts.total, opts.done);
}

/** Remaining time from the runs finished in this session (runs found complete took no time here). */
function eta(startedAt: number, finishedHere: number, remaining: number): string {
  if (finishedHere === 0) return '?';
  const s = Math.ceil(((performance.now() - startedAt) / 1000 / finishedHere) * remaining);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m` : s >= 120 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

class Counts {
  readonly startedAt = performance.now();
  running = 0;
  failed = 0;
  finishedHere = 0;
  constructor(readonly total: number, public done: number) {}
  finish(result: 'done' | 'failed'): void {
    this.running--;
    this.finishedHere++;
    if (result === 'done') this.done++;
    else this.failed++;
  }
  eta(): string {
    return eta(this.startedAt, this.finishedHere, this.total - this.done - this.failed);
  }
}

class BarProgress implements ExperimentProgress {
  private readonly bar: SingleBar;
  private readonly c: Counts;

  constructor(stream: NodeJS.WriteStream, total: number, done: number) {
    this.c = new Counts(total, done);
    this.bar = new SingleBar({
      stream,
      format: '{bar} {value}/{total} runs | {running} running | {failed} failed | ETA {eta} | {last}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
    });
  }

  start(): void {
    this.bar.start(this.c.total, this.c.done, this.payload(''));
  }

  started(): void {
    this.c.running++;
    this.bar.update(this.c.done, this.payload());
  }

  finished(run: RunRef, result: 'done' | 'failed'): void {
    this.c.finish(result);
    this.bar.update(this.c.done, this.payload(`${result === 'done' ? 'done' : 'FAILED'}: ${run.condition.id} seed ${run.seed}`));
  }

  stop(): void {
    this.bar.stop();
  }

  private last = '';
  private payload(last?: string) {
    if (last !== undefined) this.last = last;
    return { running: this.c.running, failed: this.c.failed, eta: this.c.eta(), last: this.last };
  }
}

class LineProgress implements ExperimentProgress {
  private readonly c: Counts;
  private readonly width: number;

  constructor(private readonly stream: OutputStream, total: number, done: number) {
    this.c = new Counts(total, done);
    this.width = String(total).length;
  }

  start(): void {
    const resumed = this.c.done > 0 ? ` (${this.c.done} already complete, skipped)` : '';
    this.stream.write(`experiment: ${this.c.total} runs${resumed}\n`);
  }

  started(): void {
    this.c.running++;
  }

  finished(run: RunRef, result: 'done' | 'failed'): void {
    this.c.finish(result);
    const n = String(this.c.done + this.c.failed).padStart(this.width);
    this.stream.write(`[${n}/${this.c.total}] ${result === 'done' ? 'done' : 'FAILED'}: ${run.condition.id} seed ${run.seed} | ${this.c.running} running | ETA ${this.c.eta()}\n`);
  }

  stop(): void {}
}
