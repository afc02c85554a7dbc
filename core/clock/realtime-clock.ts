import type { SchedulerLike, Subscription } from 'rxjs';
import { awaitDecisions } from '../agent-runner.js';
import type { DecisionOutcome } from '../agent-runner.js';
import type { EventBus, SimulationTime } from '../event-bus.js';
import type { AgentInfo, PerAgent } from '../parallel-env.js';
import { RunCounter } from '../run-summary.js';
import type { RunLimits, RunSummary } from '../run-summary.js';
import type { SimulationCommand } from '../simulation-command.js';
import type { WorldStepper } from '../world-stepper.js';

/** Longest run of back-to-back ticks (when behind schedule) before the clock yields to the event loop. */
const MAX_BURST_MS = 20;
/** How far behind schedule the clock catches up; further behind, it restarts the schedule from now. */
const MAX_LAG_MS = 50;

/** Settings of a realtime run. Without `steps` or `episodes` it runs until stopped. */
export interface RealtimeOptions extends RunLimits {
  readonly stepsPerSecond: number;
  /** Start paused (then `step` or `resume`). */
  readonly paused?: boolean;
}

/** Callbacks through which the clock reports its end. */
export interface RealtimeClockHooks {
  done(summary: RunSummary): void;
  crashed(error: unknown): void;
}

/**
 * Steps the world `stepsPerSecond` times per second on a scheduler (virtual time under `TestScheduler`).
 *
 * A tick asks the live agents for actions. If all answer synchronously the world steps at once; otherwise it steps
 * when every async answer is in or its deadline passed (the controller's `deadlineMs`, else the simulation's, else
 * one period); a late agent takes its default action (`agentLate`) and its answer is dropped (unsubscribed).
 * Ticks follow an ideal schedule `last + period`; the clock catches up small lags (coarse timers at fast paces) and
 * restarts the schedule after big ones (pauses, slow agents) instead of bursting. Pace and pauses change *when*
 * steps happen, never *what* happens. Commands that arrive in the middle of a step (from an event subscriber)
 * apply right after it.
 */
export class RealtimeClock<Obs, Act, Info extends AgentInfo, State> {
  private paused: boolean;
  private stepsPerSecond: number;
  private period: number;
  private lastTick = -Infinity;
  private target = 0;
  private tickSub: Subscription | null = null;
  private inFlight: Subscription | null = null;
  private stepRequests = 0;
  private busy = false;
  private finished = false;
  /** The next tick is due already: run it right after the current critical section instead of through a timer. */
  private dueNow = false;
  /** When the current run of back-to-back ticks began (scheduler time). */
  private burstStart = -Infinity;
  private readonly queue: SimulationCommand[] = [];
  private readonly run: RunCounter;

  constructor(
    private readonly stepper: WorldStepper<Obs, Act, Info, State>,
    private readonly bus: EventBus,
    private readonly time: Readonly<SimulationTime>,
    private readonly scheduler: SchedulerLike,
    private readonly defaultDeadlineMs: number | undefined,
    options: RealtimeOptions,
    private readonly hooks: RealtimeClockHooks,
  ) {
    this.paused = options.paused ?? false;
    this.stepsPerSecond = options.stepsPerSecond;
    this.period = 1000 / options.stepsPerSecond;
    this.run = new RunCounter(options, true);
  }

  start(): void {
    this.emitClock();
    if (this.run.done) return this.finish('completed');
    this.guard(() => this.scheduleNext());
  }

  /** Ends the run now with `status` (reported through `hooks.done`). */
  finish(status: RunSummary['status'], error?: RunSummary['error']): void {
    if (this.finished) return;
    this.dispose();
    this.hooks.done(this.run.summary(status, this.time.totalSteps, error));
  }

  /** Cancels the pending tick and any outstanding answers, silently. */
  dispose(): void {
    this.finished = true;
    this.tickSub?.unsubscribe();
    this.tickSub = null;
    this.inFlight?.unsubscribe();
    this.inFlight = null;
  }

  command(cmd: SimulationCommand): void {
    if (this.finished) return;
    if (this.busy) {
      this.queue.push(cmd);
      return;
    }
    this.guard(() => this.apply(cmd));
  }

  private apply(cmd: SimulationCommand): void {
    switch (cmd.type) {
      case 'pause':
        if (this.paused) return;
        this.paused = true;
        this.stepRequests = 0;
        this.cancelTick();
        this.emitClock();
        return;
      case 'resume':
        if (!this.paused) return;
        this.paused = false;
        this.stepRequests = 0;
        this.cancelTick();
        this.emitClock();
        this.scheduleNext();
        return;
      case 'step':
        if (!this.paused) return;
        this.stepRequests++;
        this.scheduleNext();
        return;
      case 'speed':
        this.stepsPerSecond = cmd.stepsPerSecond;
        this.period = 1000 / cmd.stepsPerSecond;
        this.emitClock();
        if (!this.paused && this.tickSub) {
          this.cancelTick();
          this.scheduleNext();
        }
        return;
      case 'reset': {
        // A step waiting for answers is dropped with them: the new episode must not get the old one's actions.
        this.inFlight?.unsubscribe();
        this.inFlight = null;
        if (this.stepper.active) {
          this.stepper.interrupt();
          this.run.episodes++;
          if (this.run.done) return this.finish('completed');
        }
        this.stepper.beginEpisode();
        this.scheduleNext();
        return;
      }
    }
  }

  private scheduleNext(): void {
    if (this.finished || this.tickSub !== null || this.inFlight !== null || this.dueNow) return;
    if (this.paused) {
      if (this.stepRequests === 0) return;
      this.stepRequests--;
      this.scheduleAt(this.scheduler.now());
      return;
    }
    const now = this.scheduler.now();
    let target = this.lastTick + this.period;
    // Far behind (start, resume, a slow step or agent): restart the schedule from now rather than burst to catch up.
    if (target < now - MAX_LAG_MS) target = now;
    // Slightly behind (timers are too coarse for fast paces, Node's are >= 1 ms): take the due tick at once, for up
    // to MAX_BURST_MS in a row, then let the event loop (commands, sockets) in through the scheduler.
    if (target <= now && now - this.burstStart < MAX_BURST_MS) {
      this.target = target;
      this.dueNow = true;
      return;
    }
    this.scheduleAt(target);
  }

  private scheduleAt(target: number): void {
    const now = this.scheduler.now();
    this.target = target;
    this.tickSub = this.scheduler.schedule(this.tick, Math.max(0, target - now));
  }

  private cancelTick(): void {
    this.tickSub?.unsubscribe();
    this.tickSub = null;
    this.dueNow = false;
  }

  private readonly tick = (): void => {
    this.tickSub = null;
    if (this.finished) return;
    this.burstStart = this.scheduler.now();
    this.lastTick = this.target;
    this.guard(() => this.beginStep());
  };

  private beginStep(): void {
    const { stepper } = this;
    if (!stepper.active) stepper.beginEpisode();
    const actions: PerAgent<Act> = {};
    const pending = stepper.runner.request(stepper.live, stepper.observations, stepper.infos, actions);
    if (pending === null) return this.endStep(actions);
    const period = this.period;
    let answered = false;
    const sub = awaitDecisions(pending, (p) => p.deadlineMs ?? this.defaultDeadlineMs ?? period, this.scheduler).subscribe((outcomes) => {
      answered = true;
      this.inFlight = null;
      this.guard(() => this.resolve(outcomes, actions));
    });
    // Observables such as `of(action)` answer during subscribe: then nothing is in flight.
    if (!answered) this.inFlight = sub;
  }

  private resolve(outcomes: readonly DecisionOutcome<Act>[], actions: PerAgent<Act>): void {
    const runner = this.stepper.runner;
    for (const o of outcomes) {
      if (o.kind === 'ok') actions[o.agent] = o.action;
      else if (o.kind === 'late') runner.late(o.agent, o.deadlineMs, actions);
      else runner.fail(o.agent, o.error, actions);
    }
    this.endStep(actions);
  }

  private endStep(actions: PerAgent<Act>): void {
    if (this.stepper.applyStep(actions)) this.run.episodes++;
    this.run.steps++;
    if (this.run.done) return this.finish('completed');
    this.scheduleNext();
  }

  /**
   * Runs `fn` as the clock's critical section: commands that arrive meanwhile wait, and a crash of the world ends
   * the run. The outermost call then applies waiting commands and takes ticks that are already due, one by one.
   */
  private guard(fn: () => void): void {
    if (this.busy) return fn();
    if (!this.critical(fn)) return;
    for (;;) {
      while (this.queue.length > 0 && !this.finished) {
        const cmd = this.queue.shift() as SimulationCommand;
        if (!this.critical(() => this.apply(cmd))) return;
      }
      if (!this.dueNow || this.finished) return;
      this.dueNow = false;
      this.lastTick = this.target;
      if (!this.critical(() => this.beginStep())) return;
    }
  }

  private critical(fn: () => void): boolean {
    this.busy = true;
    try {
      fn();
      return true;
    } catch (error) {
      this.dispose();
      this.hooks.crashed(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  private emitClock(): void {
    this.bus.emit('clock', { paused: this.paused, stepsPerSecond: this.stepsPerSecond });
  }
}
