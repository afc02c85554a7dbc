import { asyncScheduler, Observable } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import { z } from 'zod';
import { AgentRunner } from './agent-runner.js';
import type { ControllerFactory } from './agent-runner.js';
import { runLockstep, runLockstepSync } from './clock/lockstep-clock.js';
import { RealtimeClock } from './clock/realtime-clock.js';
import type { RealtimeOptions } from './clock/realtime-clock.js';
import type { Controller } from './controller.js';
import type { MessageChannel } from './message-channel.js';
import { EventBus } from './event-bus.js';
import type { SimulationTime } from './event-bus.js';
import type { WorldEvent } from './events.js';
import type { AgentId, AgentInfo, ParallelEnv } from './parallel-env.js';
import { Rng } from './rng.js';
import type { RunLimits, RunSummary } from './run-summary.js';
import { MAX_STEPS_PER_SECOND, parseSimulationCommand } from './simulation-command.js';
import type { SimulationCommand } from './simulation-command.js';
import { WorldStepper } from './world-stepper.js';
import type { EpisodeReset, StepTransition } from './world-stepper.js';

/** How to build a {@link Simulation}. */
export interface SimulationOptions<Obs, Act, Info extends AgentInfo, State> {
  /** The world. The simulation owns it from now on: only the simulation resets and steps it. */
  readonly env: ParallelEnv<Obs, Act, Info, State>;
  /** Builds one controller per possible agent, once, when the simulation is built. */
  readonly controllers: ControllerFactory<Obs, Act, Info, State>;
  /** The run's seed: the world's reset seeds and every controller's stream derive from it. */
  readonly seed: number;
  /** World-specific options passed to every `env.reset`. */
  readonly resetOptions?: Readonly<Record<string, unknown>>;
  /** Lockstep `run()`: how long to wait for an async controller before stopping with an error. Default 60 000. */
  readonly lockstepTimeoutMs?: number;
  /** Realtime: default deadline of an async controller, in ms. Default: one step period (`1000 / stepsPerSecond`). */
  readonly deadlineMs?: number;
  /**
   * Message channels between the agents (see `MessageChannel`): the simulation binds each to its events and live
   * agents, delivers what was sent at step t after the world step (for the decisions of step t + 1) and clears
   * them when an episode ends. The same on every clock. A channel serves one simulation.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a channel of any message type
  readonly channels?: readonly MessageChannel<any>[];
  /** Timers of the realtime clock and of lockstep timeouts; inject a `TestScheduler` for virtual time. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

const OptionsSchema = z.object({
  seed: z.number().int().refine(Number.isSafeInteger, 'a safe integer'),
  lockstepTimeoutMs: z.number().positive().optional(),
  deadlineMs: z.number().positive().optional(),
});

/** Run limits plus an abort signal (checked between steps). */
export interface AsyncRunOptions extends RunLimits {
  readonly signal?: AbortSignal;
  /**
   * While every controller answers synchronously, yield to the event loop after this many ms of stepping, so that
   * the signal, timers and progress output get a turn. `Infinity`: never. Default 50.
   */
  readonly yieldEveryMs?: number;
  /**
   * Back-pressure from a consumer of the run's events (a store that cannot keep up): called before every step; when
   * it returns a promise the run waits for it before stepping. Returning `undefined` costs nothing.
   */
  readonly pace?: () => PromiseLike<void> | undefined;
}

/** A realtime run's settings plus an abort signal (the run then ends with status `stopped`). */
export interface RealtimeRunOptions extends RealtimeOptions {
  readonly signal?: AbortSignal;
}

/**
 * Runs one world with one controller per agent under one seeded generator, on a lockstep or a realtime clock.
 *
 * The run's {@link Rng} is built from `seed`; every reset seeds the world with a number drawn from it, and each
 * controller gets streams forked from it (at construction and in each `EpisodeContext`), so the same seed gives
 * the same trajectory on every clock, at any pace.
 *
 * @example
 * const sim = new Simulation({ env: new Corridor(), seed: 1, controllers: () => ({ act: () => 1 }) });
 * sim.events$.pipe(ofType('episodeEnd')).subscribe((e) => console.log(e.episode, e.data.returns));
 * const summary = sim.runSync({ episodes: 10 }); // { status: 'completed', steps, episodes: 10, totalSteps }
 * // Async controllers (LLM planners): await sim.run({ episodes: 10 }), bounded by lockstepTimeoutMs.
 * // Realtime, for a viewer: 10 steps/s until stopped, steered by commands.
 * const sub = sim.realtime$({ stepsPerSecond: 10 }).subscribe((s) => console.log(s.status));
 * sim.command({ type: 'pause' }); sim.command({ type: 'step' }); sim.command({ type: 'speed', stepsPerSecond: 30 });
 * sub.unsubscribe(); // stops the clock
 */
export class Simulation<Obs = unknown, Act = unknown, Info extends AgentInfo = AgentInfo, State = unknown> {
  readonly env: ParallelEnv<Obs, Act, Info, State>;
  /** The run's seed (as given): recorders and viewers show it; the reset seeds drawn from it are in `episodeStart`. */
  readonly seed: number;
  /**
   * Every event of the run: the kernel's (see `WorldEvents` in core/events.ts) and the world's own, stamped with
   * episode, step and totalSteps. Hot and synchronous: a subscriber sees events as they happen, nothing is replayed.
   */
  readonly events$: Observable<WorldEvent>;
  /** Every step with its actions and full `StepResult`, synchronously; computed only while subscribed. */
  readonly transitions$: Observable<StepTransition<Obs, Act, Info>>;
  /** Every reset with its seed and `ResetResult`; computed only while subscribed. */
  readonly resets$: Observable<EpisodeReset<Obs, Info>>;

  protected readonly time: SimulationTime = { episode: -1, step: 0, totalSteps: 0 };
  protected readonly bus: EventBus;
  protected readonly stepper: WorldStepper<Obs, Act, Info, State>;
  protected readonly runner: AgentRunner<Obs, Act, Info, State>;
  protected readonly scheduler: SchedulerLike;
  protected readonly lockstepTimeoutMs: number;
  protected readonly deadlineMs: number | undefined;
  protected running: string | null = null;
  protected clock: RealtimeClock<Obs, Act, Info, State> | null = null;

  constructor(options: SimulationOptions<Obs, Act, Info, State>) {
    const parsed = OptionsSchema.safeParse(options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TypeError(`Simulation options.${issue?.path.join('.')}: ${issue?.message}`);
    }
    this.env = options.env;
    this.seed = options.seed;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.lockstepTimeoutMs = options.lockstepTimeoutMs ?? 60_000;
    this.deadlineMs = options.deadlineMs;
    const rng = Rng.fromSeed(options.seed);
    this.bus = new EventBus(this.time);
    this.events$ = this.bus.events$;
    this.runner = new AgentRunner(options.env, options.controllers, rng, this.bus, this.time);
    this.stepper = new WorldStepper(options.env, this.runner, rng, this.bus, this.time, options.resetOptions, options.channels ?? []);
    this.transitions$ = this.stepper.transitions.asObservable();
    this.resets$ = this.stepper.resets.asObservable();
  }

  /** Episode index, 0-based; -1 before the first reset. */
  get episode(): number {
    return this.time.episode;
  }

  /** Steps taken in the current (or last) episode. */
  get step(): number {
    return this.time.step;
  }

  /** Steps taken since the simulation was built. */
  get totalSteps(): number {
    return this.time.totalSteps;
  }

  /** Live agents of the current episode (empty between episodes). */
  get agents(): readonly AgentId[] {
    return this.stepper.live;
  }

  /** Whether an episode is in progress. */
  get inEpisode(): boolean {
    return this.stepper.active;
  }

  /** The controller of a possible agent. */
  controller(agent: AgentId): Controller<Obs, Act, Info, State> {
    return this.runner.controller(agent);
  }

  /**
   * Starts a new episode now. An episode in progress ends first (`agentRemoved` as truncated, then `episodeEnd`
   * with `interrupted: true`). Runs start an episode by themselves when none is in progress. During a realtime run
   * this is the `reset` command; during a lockstep run it throws (stop the run first).
   */
  reset(): void {
    if (this.clock) {
      this.clock.command({ type: 'reset' });
      return;
    }
    if (this.running !== null) throw new Error(`cannot reset during ${this.running}: stop the run first`);
    this.stepper.interrupt();
    this.stepper.beginEpisode();
  }

  /**
   * Runs lockstep, synchronously, as fast as the world and controllers allow, until `steps` more steps or `episodes`
   * more episodes (default: one episode). An episode cut by `steps` continues at the next run. Every controller must
   * answer synchronously; one that does not stops the run with an `error` event and status.
   */
  runSync(limits: RunLimits = {}): RunSummary {
    this.claim('runSync');
    try {
      return runLockstepSync(this.stepper, this.bus, this.time, limits);
    } catch (error) {
      this.reportCrash(error);
      throw error;
    } finally {
      this.running = null;
    }
  }

  /**
   * Runs lockstep like {@link runSync}, but waits for controllers that answer with a Promise or an Observable, up to
   * `lockstepTimeoutMs` per step; an agent that misses it stops the run (`error` event, status `error`). A throwing or
   * rejecting controller takes its default action (`agentFailed`) and the run goes on. `signal` stops it (`stopped`).
   */
  async run(options: AsyncRunOptions = {}): Promise<RunSummary> {
    this.claim('run');
    try {
      return await runLockstep(this.stepper, this.bus, this.time, options, {
        timeoutMs: this.lockstepTimeoutMs,
        scheduler: this.scheduler,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.yieldEveryMs !== undefined ? { yieldEveryMs: options.yieldEveryMs } : {}),
        ...(options.pace ? { pace: options.pace } : {}),
      });
    } catch (error) {
      this.reportCrash(error);
      throw error;
    } finally {
      this.running = null;
    }
  }

  /**
   * A realtime run, started on subscribe: `stepsPerSecond` steps per second on the simulation's scheduler, until
   * `steps`/`episodes` (if given; otherwise until unsubscribed or aborted), steered by {@link command}. Emits one
   * {@link RunSummary} and completes; errors if the world throws. Unsubscribing stops the clock and drops any answer
   * still awaited. Async controllers get a deadline per step (see `SimulationOptions.deadlineMs`); a late one takes
   * its default action (`agentLate`) and the world goes on.
   */
  realtime$(options: RealtimeRunOptions): Observable<RunSummary> {
    if (!(options.stepsPerSecond > 0 && options.stepsPerSecond <= MAX_STEPS_PER_SECOND)) {
      throw new RangeError(`realtime stepsPerSecond must be in (0, ${MAX_STEPS_PER_SECOND}], got ${options.stepsPerSecond}`);
    }
    return new Observable<RunSummary>((subscriber) => {
      this.claim('realtime');
      const release = () => {
        if (this.clock === clock) {
          this.clock = null;
          this.running = null;
        }
      };
      const clock = new RealtimeClock(this.stepper, this.bus, this.time, this.scheduler, this.deadlineMs, options, {
        done: (summary) => {
          release();
          subscriber.next(summary);
          subscriber.complete();
        },
        crashed: (error) => {
          release();
          this.reportCrash(error);
          subscriber.error(error);
        },
      });
      this.clock = clock;
      const { signal } = options;
      const onAbort = () => clock.finish('stopped');
      if (signal?.aborted) clock.finish('stopped');
      else {
        signal?.addEventListener('abort', onAbort, { once: true });
        clock.start();
      }
      return () => {
        signal?.removeEventListener('abort', onAbort);
        clock.dispose();
        release();
      };
    });
  }

  /** {@link realtime$} as a Promise of its summary. */
  runRealtime(options: RealtimeRunOptions): Promise<RunSummary> {
    return new Promise((resolve, reject) => {
      this.realtime$(options).subscribe({ next: resolve, error: reject });
    });
  }

  /**
   * Steers the running realtime clock. `input` is validated (it may come from a socket): an invalid command throws a
   * `TypeError` naming the field; a command with no realtime run going throws an `Error`. Returns the parsed command.
   */
  command(input: unknown): SimulationCommand {
    const cmd = parseSimulationCommand(input);
    if (!this.clock) throw new Error(`command "${cmd.type}": no realtime run is going (start one with realtime$ or runRealtime)`);
    this.clock.command(cmd);
    return cmd;
  }

  /** Whether a realtime run is going (so {@link command} applies). */
  get realtime(): boolean {
    return this.clock !== null;
  }

  /** Completes the streams and closes the world. */
  close(): void {
    this.clock?.finish('stopped');
    this.bus.complete();
    this.stepper.complete();
    this.env.close?.();
  }

  protected claim(what: string): void {
    if (this.running !== null) throw new Error(`cannot ${what}: the simulation is already running (${this.running})`);
    this.running = what;
  }

  /** The world (or a kernel invariant) threw: say so on the stream before the exception propagates. */
  protected reportCrash(error: unknown): void {
    this.bus.emit('error', { message: error instanceof Error ? error.message : String(error) });
  }
}
