import type { ControllerFactory } from '../../core/agent-runner.js';
import type { AgentId, AgentInfo } from '../../core/parallel-env.js';

/**
 * Keyboard play: actions a viewer queued for an agent, taken one per step instead of asking the agent's controller
 * (Crafter's own GUI lets a human play the same way). Wraps the run's controller factory; empty, it changes nothing.
 */
export class HumanOverride {
  private readonly queued = new Map<AgentId, number[]>();
  /** Actions a viewer may queue ahead per agent. */
  static readonly MAX_QUEUED = 4;

  queue(agent: AgentId, action: number): void {
    const q = this.queued.get(agent) ?? [];
    if (q.length >= HumanOverride.MAX_QUEUED) q.shift();
    q.push(action);
    this.queued.set(agent, q);
  }

  take(agent: AgentId): number | undefined {
    const q = this.queued.get(agent);
    return q?.shift();
  }

  /** The factory's controllers, each answering with a queued action when there is one. */
  wrap<Obs, Act, Info extends AgentInfo, State>(factory: ControllerFactory<Obs, Act, Info, State>): ControllerFactory<Obs, Act, Info, State> {
    return (agent, ctx) => {
      const inner = factory(agent, ctx);
      const wrapped: typeof inner = {
        act: (c) => {
          const human = this.take(agent);
          return human !== undefined ? (human as Act) : inner.act(c);
        },
        ...(inner.reset && { reset: (c) => inner.reset!(c) }),
        ...(inner.observe && { observe: (t) => inner.observe!(t) }),
        ...(inner.deadlineMs !== undefined && { deadlineMs: inner.deadlineMs }),
      };
      return wrapped;
    };
  }
}
