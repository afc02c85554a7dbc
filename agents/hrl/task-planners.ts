import type { Controller, DecisionContext, EpisodeContext, Transition } from '../../core/controller.js';
import type { WorldEventInput } from '../../core/events.js';
import { OptionController, type OptionPlanner, type OptionExecutor, type OptionOutcome } from '../../core/option-controller.js';
import type { AgentInfo } from '../../core/parallel-env.js';
import type { ManagerInfo, ManagerTask } from './manager-env.js';

/**
 * How a planner picks a slot from a {@link ManagerTask}'s features and legal slots: a trained manager network
 * (`policyActor(managerPpo...)`), a scripted rule, or anything else with this shape.
 */
export type SlotChooser = (agent: string, features: Int32Array, info: ManagerInfo) => number;

/**
 * A core {@link OptionPlanner} over a {@link ManagerTask}: the learned manager when `choose` runs the trained
 * manager policy, or a scripted planner (`nearestSlotChooser`) — interchangeable, since the executor and the
 * kernel only see subgoals. `optionEnded` receives the semi-MDP transition of each option. The task's `isDone`
 * sees the world's events of the step just taken (from the kernel's transitions), as it does under `ManagerEnv`.
 */
export class TaskPlanner<Obs, Info extends AgentInfo, Subgoal> implements OptionPlanner<Obs, Subgoal, Info> {
  /** Options that ended, in order (for logs and semi-MDP learning). */
  readonly outcomes: OptionOutcome<Subgoal>[] = [];
  private events: readonly WorldEventInput[] = [];

  constructor(
    private readonly task: ManagerTask<Obs, Info, Subgoal>,
    private readonly choose: SlotChooser,
  ) {}

  plan(ctx: DecisionContext<Obs, Info>): Subgoal {
    const candidates = this.task.candidates(ctx.agent);
    const mask = Uint8Array.from(candidates, (c) => (c === null ? 0 : 1));
    const slot = this.choose(ctx.agent, this.task.features(ctx.agent), { actionMask: mask, optionSteps: 0, optionEnd: 'none' });
    const pick = candidates[slot] ?? candidates.find((c) => c !== null);
    if (pick === undefined || pick === null) throw new Error(`planner: no subgoal available for ${ctx.agent}`);
    return pick;
  }

  reset(): void {
    this.events = [];
  }

  observe(transition: Transition<Obs, Info>): void {
    this.events = transition.events ?? [];
  }

  isDone(subgoal: Subgoal, ctx: DecisionContext<Obs, Info>): boolean {
    return this.task.isDone(ctx.agent, subgoal, { agent: ctx.agent, observation: ctx.observation, info: ctx.info, events: this.events, worldState: ctx.worldState });
  }

  optionEnded(option: OptionOutcome<Subgoal>): void {
    this.outcomes.push(option);
  }
}

/** The first legal slot: with slots ordered as the task orders them (goal, then nearest frontier), a scripted planner. */
export const firstSlotChooser: SlotChooser = (_agent, _features, info) => Math.max(0, info.actionMask.indexOf(1));

/**
 * A hierarchical agent for the kernel: the task sees every observation once, then a core {@link OptionController}
 * runs `planner` (which subgoal, and when it ends) over the task's executor. Swap the planner, keep the rest.
 */
export function hierarchicalController<Obs, Info extends AgentInfo, Subgoal>(task: ManagerTask<Obs, Info, Subgoal>, planner: OptionPlanner<Obs, Subgoal, Info>, opts: { maxOptionSteps?: number } = {}): Controller<Obs, number, Info> {
  const executor: OptionExecutor<Obs, number, Subgoal, Info> = { act: (ctx, subgoal) => task.act(ctx.agent, subgoal, ctx.observation, ctx.info) };
  const options = new OptionController<Obs, number, Subgoal, Info>({ planner, executor, maxOptionSteps: opts.maxOptionSteps ?? 32 });
  let agent = '';
  let last: number | undefined;
  return {
    reset(ctx: EpisodeContext) {
      agent = ctx.agent;
      last = undefined;
      task.reset([agent]);
      options.reset(ctx);
    },
    act(ctx: DecisionContext<Obs, Info>) {
      task.observe(ctx.agent, ctx.observation, ctx.info, last);
      return options.act(ctx);
    },
    observe(t: Transition<Obs, Info>) {
      last = typeof t.action === 'number' ? t.action : undefined;
      options.observe(t);
    },
  };
}
