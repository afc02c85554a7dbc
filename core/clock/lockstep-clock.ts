import { firstValueFrom, fromEvent, takeUntil } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import { awaitDecisions } from '../agent-runner.js';
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
}

/**
 * Lockstep as fast as possible, fully synchronous: no promise, timer or microtask per step. A controller that
 * answers asynchronously stops the run with an `error` event, since nothing here can wait for it.
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
      const agent = pending[0]?.agent as string;
      const message = `agent "${agent}" answered with a Promise/Observable; runSync needs synchronous controllers (use run())`;
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
  while (!run.done) {
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
