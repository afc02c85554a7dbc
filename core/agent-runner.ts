import { catchError, defaultIfEmpty, forkJoin, map, of, take, timeout } from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import type { Controller, DecisionContext } from './controller.js';
import { decision$, errorMessage, isAsyncDecision } from './decision.js';
import type { EventBus, SimulationTime } from './event-bus.js';
import type { AgentId, AgentInfo, ParallelEnv, PerAgent, StepResult } from './parallel-env.js';
import type { Rng } from './rng.js';

/** What the simulation's controller factory gets besides the agent id. */
export interface ControllerFactoryContext {
  /** A stream forked from the run's generator for this agent, for randomness that lives longer than an episode (weight init). */
  readonly rng: Rng;
  /** The world, e.g. to read its spaces. */
  readonly env: ParallelEnv<unknown, unknown, AgentInfo, unknown>;
}

/** Builds the controller of one possible agent, once per simulation. */
export type ControllerFactory<Obs, Act, Info extends AgentInfo, State> = (
  agent: AgentId,
  ctx: ControllerFactoryContext,
) => Controller<Obs, Act, Info, State>;

/** A controller's answer that has not arrived yet. */
export interface PendingDecision<Act> {
  readonly agent: AgentId;
  readonly answer$: Observable<Act>;
  /** The controller's own deadline, if it declares one. */
  readonly deadlineMs: number | undefined;
}

/** How a pending decision ended. */
export type DecisionOutcome<Act> =
  | { readonly agent: AgentId; readonly kind: 'ok'; readonly action: Act }
  | { readonly agent: AgentId; readonly kind: 'late'; readonly deadlineMs: number }
  | { readonly agent: AgentId; readonly kind: 'failed'; readonly error: string };

/**
 * Owns the controllers: resets them per episode, asks the live ones for actions, and tells them what happened.
 * A controller that throws takes its default action (and an `agentFailed` event is emitted); one that answers
 * later is returned as a {@link PendingDecision} for the clock to wait on in its own way.
 */
export class AgentRunner<Obs, Act, Info extends AgentInfo, State> {
  private readonly controllers = new Map<AgentId, Controller<Obs, Act, Info, State>>();
  private readonly anyObserver: boolean;
  private readonly worldState: () => State;

  constructor(
    private readonly env: ParallelEnv<Obs, Act, Info, State>,
    factory: ControllerFactory<Obs, Act, Info, State>,
    rng: Rng,
    private readonly bus: EventBus,
    private readonly time: Readonly<SimulationTime>,
  ) {
    const erased = env as unknown as ParallelEnv<unknown, unknown, AgentInfo, unknown>;
    for (const agent of env.possibleAgents) {
      this.controllers.set(agent, factory(agent, { rng: rng.fork(`controller/${agent}`), env: erased }));
    }
    this.anyObserver = [...this.controllers.values()].some((c) => typeof c.observe === 'function');
    this.worldState = () => env.state();
  }

  controller(agent: AgentId): Controller<Obs, Act, Info, State> {
    const c = this.controllers.get(agent);
    if (!c) throw new RangeError(`no controller for agent "${agent}": it is not in the world's possibleAgents`);
    return c;
  }

  /** Gives each live agent's controller its episode context; `rng` is the run's generator after the reset seed was drawn. */
  resetEpisode(live: readonly AgentId[], rng: Rng): void {
    const episode = this.time.episode;
    for (const agent of live) {
      const c = this.controller(agent);
      if (!c.reset) continue;
      try {
        c.reset({
          agent,
          episode,
          observationSpace: this.env.observationSpace(agent),
          actionSpace: this.env.actionSpace(agent),
          rng: rng.fork(`episode/${agent}`),
        });
      } catch (error) {
        this.bus.emit('agentFailed', { agent, error: `reset: ${errorMessage(error)}` });
      }
    }
  }

  /**
   * Asks every live agent for an action. Synchronous answers (and defaults for failures) go into `actions`;
   * the rest are returned, or `null` when everyone answered now (the allocation-free fast path).
   */
  request(
    live: readonly AgentId[],
    observations: Readonly<PerAgent<Obs>>,
    infos: Readonly<PerAgent<Info>>,
    actions: PerAgent<Act>,
  ): PendingDecision<Act>[] | null {
    let pending: PendingDecision<Act>[] | null = null;
    const { step, episode } = this.time;
    for (let i = 0; i < live.length; i++) {
      const agent = live[i] as AgentId;
      const c = this.controllers.get(agent) as Controller<Obs, Act, Info, State>;
      const ctx: DecisionContext<Obs, Info, State> = {
        agent,
        observation: observations[agent] as Obs,
        info: infos[agent] as Info,
        step,
        episode,
        worldState: this.worldState,
      };
      let decision;
      try {
        decision = c.act(ctx);
      } catch (error) {
        this.fail(agent, errorMessage(error), actions);
        continue;
      }
      if (isAsyncDecision(decision)) {
        (pending ??= []).push({ agent, answer$: decision$(decision), deadlineMs: c.deadlineMs });
      } else {
        actions[agent] = decision;
      }
    }
    return pending;
  }

  /** The agent's controller failed: record its default action and say so. */
  fail(agent: AgentId, error: string, actions: PerAgent<Act>): void {
    actions[agent] = this.env.defaultAction(agent);
    this.bus.emit('agentFailed', { agent, error });
  }

  /** The agent did not answer in time: record its default action and say so. */
  late(agent: AgentId, deadlineMs: number, actions: PerAgent<Act>): void {
    const action = this.env.defaultAction(agent);
    actions[agent] = action;
    this.bus.emit('agentLate', { agent, deadlineMs, action });
  }

  /** Tells the controllers of the agents that acted what their action led to. */
  observe(acted: readonly AgentId[], actions: Readonly<PerAgent<Act>>, result: StepResult<Obs, Info>): void {
    if (!this.anyObserver) return;
    for (const agent of acted) {
      const c = this.controllers.get(agent) as Controller<Obs, Act, Info, State>;
      if (!c.observe) continue;
      try {
        c.observe({
          action: actions[agent],
          reward: result.rewards[agent] ?? 0,
          terminated: result.terminations[agent] === true,
          truncated: result.truncations[agent] === true,
          observation: result.observations[agent] as Obs,
          info: result.infos[agent] as Info,
          ...(result.events !== undefined && { events: result.events }),
        });
      } catch (error) {
        this.bus.emit('agentFailed', { agent, error: `observe: ${errorMessage(error)}` });
      }
    }
  }
}

/**
 * Waits for pending decisions, each up to its deadline, on `scheduler`. Emits once, with one outcome per pending
 * decision in order. Unsubscribing drops every answer still outstanding (Observables are unsubscribed; Promises
 * already have a handler, so a late rejection is swallowed).
 */
export function awaitDecisions<Act>(
  pending: readonly PendingDecision<Act>[],
  deadlineOf: (p: PendingDecision<Act>) => number,
  scheduler: SchedulerLike,
): Observable<DecisionOutcome<Act>[]> {
  return forkJoin(
    pending.map((p) => {
      const deadlineMs = deadlineOf(p);
      return p.answer$.pipe(
        take(1),
        map((action): DecisionOutcome<Act> => ({ agent: p.agent, kind: 'ok', action })),
        timeout({ first: deadlineMs, scheduler, with: () => of<DecisionOutcome<Act>>({ agent: p.agent, kind: 'late', deadlineMs }) }),
        defaultIfEmpty<DecisionOutcome<Act>, DecisionOutcome<Act>>({ agent: p.agent, kind: 'failed', error: 'answered with an Observable that completed without an action' }),
        catchError((error: unknown) => of<DecisionOutcome<Act>>({ agent: p.agent, kind: 'failed', error: errorMessage(error) })),
      );
    }),
  );
}
