import { firstValueFrom, fromEvent, takeUntil } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import { awaitDecisions } from '../agent-runner.js';
import type { AgentRunner, PendingDecision } from '../agent-runner.js';
import { errorMessage } from '../decision.js';
import type { EventBus, SimulationTime } from '../event-bus.js';
import type { AgentInfo, PerAgent } from '../parallel-env.js';
import { RunCounter } from '../run-summary.js';
import type { RunLimits, RunSummary } from '../run-summary.js';
import type { WorldStepper } from '../world-stepper.js';

/** Settings of an asynchronous lockstep run. */
export interface LockstepOptions {
  /** How long to wait for an agent that answers with a Promise/Observable before the run stops with an error. */
  readonly timeoutMs: number;
  /** Timers for the timeout. */
  readonly scheduler: SchedulerLike;
  /** Checked between steps and while waiting for an agent. */
  readonly signal?: AbortSignal;
  /**
   * While every controller answers synchronously, yield to the event loop (one `setImmediate`) after this many ms of
   * stepping, so that signals, timers and progress output get a turn. `Infinity` never yields. Default 50.
   */
  readonly yieldEveryMs?: number;
  /** Called before every step; a returned promise is awaited first (back-pressure, e.g. a store's full write queue). */
  readonly pace?: () => PromiseLike<void> | undefined;
}

/** How many steps pass between two looks at the clock (reading it every step would cost more than it saves). */
const YIELD_CHECK_STEPS = 256;

/**
 * Lockstep as fast as possible, fully synchronous: no promise, timer or microtask per step. An Observable answer
 * that emits during subscribe counts as synchronous; a controller that answers later stops the run with an `error`
 * event, since nothing here can wait for it.
 */
export function runLockstepSync<Obs, Act, Info extends AgentInfo, State>(
  stepper: WorldStepper<Obs, Act, Info, State>,
  bus: EventBus,
  time: Readonly<SimulationTime>,
  limits: RunLimits,
): RunSummary {
  const run = new RunCounter(limits);
  const runner = stepper.runner;
  while (!run.done) {
    if (!stepper.active) stepper.beginEpisode();
    const actions: PerAgent<Act> = {};
    const pending = runner.request(stepper.live, stepper.observations, stepper.infos, actions);
    if (pending !== null) {
      const agent = answerNow(pending, actions, runner);
      if (agent === null) {
        if (stepper.applyStep(actions)) run.episodes++;
        run.steps++;
        continue;
      }
      const message = `agent "${agent}" did not answer synchronously (a Promise, or an Observable that did not emit on subscribe); runSync needs synchronous controllers (use run())`;
      bus.emit('error', { message, agent });
      return run.summary('error', time.totalSteps, { message, agent });
    }
    if (stepper.applyStep(actions)) run.episodes++;
    run.steps++;
  }
  return run.summary('completed', time.totalSteps);
}

/**
 * Lockstep that waits for asynchronous controllers, each step up to `timeoutMs`. While every controller answers
 * synchronously it runs as tight as {@link runLockstepSync} (it only awaits when someone answered later).
 * An agent that misses the timeout stops the run: `error` event and an `error` summary, the step not taken.
 */
export async function runLockstep<Obs, Act, Info extends AgentInfo, State>(
  stepper: WorldStepper<Obs, Act, Info, State>,
  bus: EventBus,
  time: Readonly<SimulationTime>,
  limits: RunLimits,
  options: LockstepOptions,
): Promise<RunSummary> {
  const run = new RunCounter(limits);
  const runner = stepper.runner;
  const { signal, timeoutMs, scheduler } = options;
  const yieldEveryMs = options.yieldEveryMs ?? 50;
  let lastYield = performance.now();
  while (!run.done) {
    if (yieldEveryMs !== Infinity && run.steps % YIELD_CHECK_STEPS === 0 && performance.now() - lastYield >= yieldEveryMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
    if (options.pace) {
      const wait = options.pace();
      if (wait) await wait;
    }
    if (signal?.aborted) return run.summary('stopped', time.totalSteps);
    if (!stepper.active) stepper.beginEpisode();
    const actions: PerAgent<Act> = {};
    const pending = runner.request(stepper.live, stepper.observations, stepper.infos, actions);
    if (pending !== null) {
      let outcomes$ = awaitDecisions(pending, () => timeoutMs, scheduler);
      if (signal) outcomes$ = outcomes$.pipe(takeUntil(fromEvent(signal, 'abort')));
      const outcomes = await firstValueFrom(outcomes$, { defaultValue: null });
      if (outcomes === null) return run.summary('stopped', time.totalSteps);
      let late: string | undefined;
      for (const o of outcomes) {
        if (o.kind === 'ok') actions[o.agent] = o.action;
        else if (o.kind === 'failed') runner.fail(o.agent, o.error, actions);
        else late ??= o.agent;
      }
      if (late !== undefined) {
        const message = `agent "${late}" did not answer within ${timeoutMs} ms (lockstepTimeoutMs)`;
        bus.emit('error', { message, agent: late });
        return run.summary('error', time.totalSteps, { message, agent: late });
      }
    }
    if (stepper.applyStep(actions)) run.episodes++;
    run.steps++;
  }
  return run.summary('completed', time.totalSteps);
}

/**
 * Takes the answers that are already there: an Observable may emit during subscribe (`of(action)`). Returns the
 * first agent that has not answered, or null when all did (failures take their default action).
 */
function answerNow<Act>(pending: readonly PendingDecision<Act>[], actions: PerAgent<Act>, runner: AgentRunner<unknown, Act, AgentInfo, unknown>): string | null {
  for (const p of pending) {
    let settled = false;
    const sub = p.answer$.subscribe({
      next: (action) => {
        if (settled) return;
        settled = true;
        actions[p.agent] = action;
      },
      error: (error: unknown) => {
        settled = true;
        runner.fail(p.agent, errorMessage(error), actions);
      },
      complete: () => {
        if (settled) return;
        settled = true;
        runner.fail(p.agent, 'answered with an Observable that completed without an action', actions);
      },
    });
    sub.unsubscribe();
    if (!settled) return p.agent;
  }
  return null;
}
