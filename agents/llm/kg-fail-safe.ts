/**
 * The kg-planner as the LLM agent's fail-safe. It shadows the agent all episode (it perceives every step and keeps
 * writing what it sees to the knowledge graph, which is also where the LLM's context comes from), and drives the
 * agent when the LLM could not give a valid plan. Shadowing needs it to know which action the world applied and
 * which step it is: it learns both from its own `act`, which it is not asked while the LLM drives, so they are set
 * here through a small adapter over two of its fields (checked when built).
 */
import type { Decision, DecisionContext, EpisodeContext, Transition } from '../../core/controller.js';
import type { CrafterInfo } from '../../worlds/crafter/crafter-env.js';
import type { SymbolicObservation } from '../../worlds/crafter/observation.js';
import { KgPlannerController } from '../crafter/kg-planner.js';
import type { KgPlannerOptions } from '../crafter/kg-planner.js';

/** The kg-planner fields a shadow must keep current: the last applied action (dead reckoning) and the step (fact times). */
interface ShadowFields { lastAction: number; step: number }

export class KgFailSafe {
  readonly planner: KgPlannerController;
  private readonly fields: ShadowFields;

  constructor(opts: KgPlannerOptions) {
    this.planner = new KgPlannerController(opts);
    const f = this.planner as unknown as Record<string, unknown>;
    if (typeof f['lastAction'] !== 'number' || typeof f['step'] !== 'number') {
      throw new Error('KgFailSafe: the kg-planner no longer keeps numeric `lastAction` and `step` fields; update agents/llm/kg-fail-safe.ts');
    }
    this.fields = this.planner as unknown as ShadowFields;
  }

  reset(ctx: EpisodeContext): void {
    this.planner.reset(ctx);
  }

  /** Every step, whoever drove: `step` is the step the new observation belongs to. */
  observe(t: Transition<SymbolicObservation, CrafterInfo>, step: number): void {
    if (typeof t.action === 'number') this.fields.lastAction = t.action;
    this.fields.step = step;
    this.planner.observe(t);
  }

  act(ctx: DecisionContext<SymbolicObservation, CrafterInfo>): Decision<number> {
    return this.planner.act(ctx);
  }
}
