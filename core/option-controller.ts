import { AsyncSubject, of, switchMap, take } from 'rxjs';
import type { Observable, Subscription } from 'rxjs';
import type { Controller, Decision, DecisionContext, EpisodeContext, Transition } from './controller.js';
import { decision$, isAsyncDecision } from './decision.js';
import type { AgentInfo } from './parallel-env.js';

/** The high level of an {@link OptionController}: picks a subgoal when the previous one ends. */
export interface OptionPlanner<Obs, Subgoal, Info extends AgentInfo = AgentInfo, State = unknown> {
  reset?(ctx: EpisodeContext): void;
  /** The next subgoal; may answer later (an LLM planner): the agent then takes its default action meanwhile. */
  plan(ctx: DecisionContext<Obs, Info, State>): Decision<Subgoal>;
  /** Whether `subgoal` is over (reached or given up), checked before each decision. Without it, options last `maxOptionSteps`. */
  isDone?(subgoal: Subgoal, ctx: DecisionContext<Obs, Info, State>): boolean;
  /** An option ended: its semi-MDP transition, e.g. for h-DQN's meta-controller. */
  optionEnded?(option: OptionOutcome<Subgoal>): void;
  /** Every step's transition, before the next `isDone` (e.g. to end a subgoal on the world's events). */
  observe?(transition: Transition<Obs, Info>): void;
}

/** The low level of an {@link OptionController}: acts every step towards the current subgoal. */
export interface OptionExecutor<Obs, Act, Subgoal, Info extends AgentInfo = AgentInfo, State = unknown> {
  reset?(ctx: EpisodeContext): void;
  act(ctx: DecisionContext<Obs, Info, State>, subgoal: Subgoal): Decision<Act>;
  observe?(transition: Transition<Obs, Info>, subgoal: Subgoal): void;
}

/** How an option went. `reward` is the undiscounted sum of the agent's rewards over its `steps` steps. */
export interface OptionOutcome<Subgoal> {
  readonly subgoal: Subgoal;
  readonly steps: number;
  readonly reward: number;
  /** `done`: `isDone` said so; `timeout`: `maxOptionSteps` reached; `episodeEnd`: the agent terminated or was truncated. */
  readonly reason: 'done' | 'timeout' | 'episodeEnd';
}

export interface OptionControllerOptions<Obs, Act, Subgoal, Info extends AgentInfo, State> {
  readonly planner: OptionPlanner<Obs, Subgoal, Info, State>;
  readonly executor: OptionExecutor<Obs, Act, Subgoal, Info, State>;
  /** An option ends after this many steps even if not done (HIRO's c, FeUdal's horizon). Default: unbounded. */
  readonly maxOptionSteps?: number;
  /** Passed on as the controller's realtime deadline. */
  readonly deadlineMs?: number;
}

interface PendingPlan<Subgoal> {
  result?: { readonly ok: true; readonly subgoal: Subgoal } | { readonly ok: false; readonly error: unknown };
  readonly settled$: AsyncSubject<void>;
  readonly sub: Subscription;
}

/**
 * A two-level controller: a `planner` chooses a subgoal (an option) when the previous one ends — `isDone` or after
 * `maxOptionSteps` steps — and an `executor` acts towards it on every step. The world and the kernel see one
 * ordinary controller, so any world can host hierarchical agents.
 *
 * An async planner is asked once per option: while its answer is pending, decisions wait on it (the kernel's
 * deadline gives the agent its default action meanwhile), and when it lands the executor acts at once.
 *
 * @example
 * const agent = new OptionController({
 *   planner: { plan: (ctx) => nearestFrontier(ctx.observation), isDone: (goal, ctx) => reached(goal, ctx.observation) },
 *   executor: { act: (ctx, goal) => stepTowards(ctx.observation, goal) },
 *   maxOptionSteps: 50,
 * });
 */
export class OptionController<Obs, Act, Subgoal, Info extends AgentInfo = AgentInfo, State = unknown> implements Controller<Obs, Act, Info, State> {
  readonly deadlineMs: number | undefined;
  private readonly planner: OptionPlanner<Obs, Subgoal, Info, State>;
  private readonly executor: OptionExecutor<Obs, Act, Subgoal, Info, State>;
  private readonly maxOptionSteps: number;
  private hasOption = false;
  private current: Subgoal | undefined;
  private steps = 0;
  private reward = 0;
  private pending: PendingPlan<Subgoal> | null = null;

  constructor(options: OptionControllerOptions<Obs, Act, Subgoal, Info, State>) {
    const k = options.maxOptionSteps ?? Infinity;
    if (!(k >= 1 && (Number.isInteger(k) || k === Infinity))) throw new RangeError(`maxOptionSteps must be a positive integer, got ${k}`);
    this.planner = options.planner;
    this.executor = options.executor;
    this.maxOptionSteps = k;
    this.deadlineMs = options.deadlineMs;
  }

  /** The subgoal being pursued, if any. */
  get subgoal(): Subgoal | undefined {
    return this.current;
  }

  /** Steps taken in the current option. */
  get optionSteps(): number {
    return this.steps;
  }

  reset(ctx: EpisodeContext): void {
    this.pending?.sub.unsubscribe();
    this.pending = null;
    this.hasOption = false;
    this.current = undefined;
    this.planner.reset?.(ctx);
    this.executor.reset?.(ctx);
  }

  act(ctx: DecisionContext<Obs, Info, State>): Decision<Act> {
    if (this.hasOption) {
      if (this.steps >= this.maxOptionSteps) this.endOption('timeout');
      else if (this.planner.isDone?.(this.current as Subgoal, ctx)) this.endOption('done');
    }
    if (!this.hasOption) {
      if (this.pending === null) {
        const decision = this.planner.plan(ctx);
        if (!isAsyncDecision(decision)) this.adopt(decision);
        else this.pending = this.startPlan(decision);
      }
      const p = this.pending;
      if (p !== null) {
        if (!p.result) return this.afterPlan(p, ctx);
        this.settle(p);
      }
    }
    return this.executor.act(ctx, this.current as Subgoal);
  }

  observe(transition: Transition<Obs, Info>): void {
    this.planner.observe?.(transition);
    if (!this.hasOption) return;
    this.steps++;
    this.reward += transition.reward;
    this.executor.observe?.(transition, this.current as Subgoal);
    if (transition.terminated || transition.truncated) this.endOption('episodeEnd');
  }

  private adopt(subgoal: Subgoal): void {
    this.hasOption = true;
    this.current = subgoal;
    this.steps = 0;
    this.reward = 0;
  }

  private endOption(reason: OptionOutcome<Subgoal>['reason']): void {
    const outcome = { subgoal: this.current as Subgoal, steps: this.steps, reward: this.reward, reason };
    this.hasOption = false;
    this.current = undefined;
    this.planner.optionEnded?.(outcome);
  }

  /** Subscribes to the planner's answer ourselves, so that it survives the kernel dropping a late decision. */
  private startPlan(decision: PromiseLike<Subgoal> | Observable<Subgoal>): PendingPlan<Subgoal> {
    const settled$ = new AsyncSubject<void>();
    const plan: { result?: PendingPlan<Subgoal>['result'] } = {};
    const settle = (result: NonNullable<PendingPlan<Subgoal>['result']>) => {
      plan.result ??= result;
      settled$.next();
      settled$.complete();
    };
    const sub = decision$(decision)
      .pipe(take(1))
      .subscribe({
        next: (subgoal) => settle({ ok: true, subgoal }),
        error: (error: unknown) => settle({ ok: false, error }),
        complete: () => settle({ ok: false, error: new Error('the planner completed without a subgoal') }),
      });
    return Object.assign(plan, { settled$, sub });
  }

  /** Adopts a settled plan (or rethrows its failure, so the kernel reports agentFailed and the next act re-plans). */
  private settle(p: PendingPlan<Subgoal>): void {
    if (this.pending === p) this.pending = null;
    const result = p.result as NonNullable<PendingPlan<Subgoal>['result']>;
    if (!result.ok) throw result.error;
    if (!this.hasOption) this.adopt(result.subgoal);
  }

  private afterPlan(p: PendingPlan<Subgoal>, ctx: DecisionContext<Obs, Info, State>): Observable<Act> {
    return p.settled$.pipe(
      switchMap(() => {
        this.settle(p);
        const action = this.executor.act(ctx, this.current as Subgoal);
        return isAsyncDecision(action) ? decision$(action) : of(action);
      }),
    );
  }
}
