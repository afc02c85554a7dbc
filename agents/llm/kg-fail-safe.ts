/**
 * The kg-planner as the LLM agent's fail-safe. It shadows the agent all episode (it perceives every step and keeps
 * writing what it sees to the knowledge graph, which is also where the LLM's context comes from), and drives the
 * agent when the LLM could not give a valid plan.
 */
import type { Decision, DecisionContext, EpisodeContext, Transition } from '../../core/controller.js';
import type { CrafterInfo } from '../../worlds/crafter/crafter-env.js';
import type { SymbolicObservation } from '../../worlds/crafter/observation.js';
import { KgPlannerController } from '../crafter/kg-planner.js';
import type { KgPlannerOptions } from '../crafter/kg-planner.js';

export class KgFailSafe {
  readonly planner: KgPlannerController;

  constructor(opts: KgPlannerOptions) {
    this.planner = new KgPlannerController(opts);
  }

  reset(ctx: EpisodeContext): void {
    this.planner.reset(ctx);
  }

  /** Every step, whoever drove: `step` is the step the new observation belongs to. */
  observe(t: Transition<SymbolicObservation, CrafterInfo>, step: number): void {
    this.planner.shadow(t, step);
  }

  act(ctx: DecisionContext<SymbolicObservation, CrafterInfo>): Decision<number> {
    return this.planner.act(ctx);
  }
}
