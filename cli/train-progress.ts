import { SingleBar } from 'cli-progress';
import type { OutputStream } from './cli-io.js';

/** What the training display shows after each update. */
export interface TrainProgress {
  readonly steps: number;
  /** Mean return of the episodes finished in the last updates (NaN before any). */
  readonly meanReturn: number;
  readonly successRate: number;
}

/** A live bar on a terminal, a plain line every few seconds in a log, nothing with --quiet. */
export class TrainProgressReporter {
  private readonly bar: SingleBar | null;
  private startedAt = performance.now();
  private startSteps = 0;
  private lastLine = 0;

  constructor(
    private readonly stream: OutputStream,
    private readonly total: number,
    private readonly quiet: boolean,
  ) {
    this.bar = !quiet && stream.isTTY === true
      ? new SingleBar({ stream: stream as NodeJS.WriteStream, format: '{bar} {percentage}% | {steps} steps | {sps} steps/s | return {ret} | success {success} | ETA {eta}', barsize: 24, hideCursor: true, clearOnComplete: false })
      : null;
  }

  /** `from`: env steps already done (a resumed run), so steps/s and ETA count this session only. */
  start(from: number): void {
    this.startedAt = performance.now();
    this.startSteps = from;
    if (this.quiet) return;
    if (this.bar) this.bar.start(this.total, from, this.payload({ steps: from, meanReturn: NaN, successRate: NaN }));
    else this.stream.write(`training: ${this.total} env steps${from > 0 ? ` (resuming at ${from})` : ''}\n`);
  }

  update(p: TrainProgress, force = false): void {
    if (this.quiet) return;
    if (this.bar) return this.bar.update(p.steps, this.payload(p));
    const now = performance.now();
    if (!force && now - this.lastLine < 2000) return;
    this.lastLine = now;
    const x = this.payload(p);
    this.stream.write(`[${String(Math.floor((100 * p.steps) / this.total)).padStart(3)}%] ${x.steps} steps | ${x.sps} steps/s | return ${x.ret} | success ${x.success} | ETA ${x.eta}\n`);
  }

  stop(p: TrainProgress): void {
    if (this.bar) {
      this.bar.update(p.steps, this.payload(p));
      this.bar.stop();
    } else this.update(p, true);
  }

  /** Env steps per second of this session. */
  stepsPerSecond(steps: number): number {
    return (steps - this.startSteps) / Math.max(1e-9, (performance.now() - this.startedAt) / 1000);
  }

  private payload(p: TrainProgress) {
    const sps = this.stepsPerSecond(p.steps);
    const left = sps > 0 ? Math.ceil((this.total - p.steps) / sps) : NaN;
    const eta = !Number.isFinite(left) ? '?' : left >= 3600 ? `${Math.floor(left / 3600)}h${String(Math.floor(left / 60) % 60).padStart(2, '0')}m` : left >= 120 ? `${Math.floor(left / 60)}m${String(left % 60).padStart(2, '0')}s` : `${left}s`;
    return {
      steps: p.steps,
      sps: Math.round(sps),
      ret: Number.isFinite(p.meanReturn) ? p.meanReturn.toFixed(2) : '-',
      success: Number.isFinite(p.successRate) ? `${Math.round(100 * p.successRate)}%` : '-',
      eta,
    };
  }
}
