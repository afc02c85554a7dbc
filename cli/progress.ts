import { SingleBar } from 'cli-progress';
import type { OutputStream } from './cli-io.js';

/** Counters of a run so far, as the progress display shows them. */
export interface RunProgress {
  readonly steps: number;
  readonly episodes: number;
  /** Share of finished episodes that succeeded, if the world reports success. */
  readonly successRate: number | undefined;
}

/** What the run is bounded by: total env steps or finished episodes. */
export interface RunBudget {
  readonly unit: 'steps' | 'episodes';
  readonly total: number;
}

/** Shows a run's progress. `update` is called on every step, so implementations throttle themselves. */
export interface ProgressReporter {
  start(budget: RunBudget): void;
  update(progress: RunProgress): void;
  stop(progress: RunProgress): void;
}

/** Chooses the display: a live bar on a terminal, periodic plain lines in a pipe or log, nothing with --quiet. */
export function createProgressReporter(opts: { quiet: boolean; stream: OutputStream }): ProgressReporter {
  const stream = opts.stream;
  if (opts.quiet) return new SilentProgress();
  return stream.isTTY === true ? new BarProgress(stream as NodeJS.WriteStream) : new LineProgress(stream);
}

class SilentProgress implements ProgressReporter {
  start(): void {}
  update(): void {}
  stop(): void {}
}

/** Tracks time and derived rates; shared by both displays. */
class Clock {
  readonly startedAt = performance.now();
  lastShown = this.startedAt;

  /** Whether at least `ms` passed since the last display; checked every 64 updates to keep per-step cost low. */
  private calls = 0;
  due(ms: number): boolean {
    if ((++this.calls & 63) !== 0) return false;
    const now = performance.now();
    if (now - this.lastShown < ms) return false;
    this.lastShown = now;
    return true;
  }

  elapsedSeconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }
}

function successText(p: RunProgress): string {
  return p.successRate === undefined ? '-' : `${Math.round(100 * p.successRate)}%`;
}

function done(p: RunProgress, budget: RunBudget): number {
  return budget.unit === 'steps' ? p.steps : p.episodes;
}

/** Remaining time from the share of the budget done so far; '?' until something is done. */
function etaText(p: RunProgress, budget: RunBudget, elapsedSeconds: number): string {
  const fraction = Math.min(1, done(p, budget) / budget.total);
  if (fraction <= 0) return '?';
  const seconds = Math.ceil((elapsedSeconds * (1 - fraction)) / fraction);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)}h${pad(Math.floor(seconds / 60) % 60)}m`;
  return seconds >= 120 ? `${Math.floor(seconds / 60)}m${pad(seconds % 60)}s` : `${seconds}s`;
}

class BarProgress implements ProgressReporter {
  private readonly bar: SingleBar;
  private budget: RunBudget = { unit: 'steps', total: 1 };
  private clock = new Clock();

  constructor(stream: NodeJS.WriteStream) {
    this.bar = new SingleBar({
      stream,
      format: '{bar} {percentage}% | {steps} steps | {sps} steps/s | {episodes} episodes | success {success} | ETA {eta}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    });
  }

  start(budget: RunBudget): void {
    this.budget = budget;
    this.clock = new Clock();
    this.bar.start(budget.total, 0, { steps: 0, sps: 0, episodes: 0, success: '-', eta: '?' });
  }

  update(p: RunProgress): void {
    if (!this.clock.due(100)) return;
    this.bar.update(done(p, this.budget), this.payload(p));
  }

  stop(p: RunProgress): void {
    this.bar.update(done(p, this.budget), this.payload(p));
    this.bar.stop();
  }

  private payload(p: RunProgress) {
    const elapsed = this.clock.elapsedSeconds();
    const sps = p.steps / Math.max(elapsed, 1e-9);
    return { steps: p.steps, sps: Math.round(sps), episodes: p.episodes, success: successText(p), eta: etaText(p, this.budget, elapsed) };
  }
}

/** For logs and pipes: one line every few seconds, no control characters. */
class LineProgress implements ProgressReporter {
  private budget: RunBudget = { unit: 'steps', total: 1 };
  private clock = new Clock();

  constructor(private readonly stream: OutputStream) {}

  start(budget: RunBudget): void {
    this.budget = budget;
    this.clock = new Clock();
    this.stream.write(`running: ${budget.total} ${budget.unit}\n`);
  }

  update(p: RunProgress): void {
    if (this.clock.due(2000)) this.stream.write(this.line(p) + '\n');
  }

  stop(p: RunProgress): void {
    this.stream.write(this.line(p) + '\n');
  }

  private line(p: RunProgress): string {
    const elapsed = this.clock.elapsedSeconds();
    const fraction = Math.min(1, done(p, this.budget) / this.budget.total);
    const sps = p.steps / Math.max(elapsed, 1e-9);
    const eta = etaText(p, this.budget, elapsed);
    const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
    return `[${pct}] ${p.steps} steps | ${Math.round(sps)} steps/s | ${p.episodes} episodes | success ${successText(p)} | ETA ${eta}`;
  }
}
