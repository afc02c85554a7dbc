import type { Decision, DecisionContext, EpisodeContext, Transition } from '../../core/controller.js';
import type { OptionExecutor, OptionOutcome, OptionPlanner } from '../../core/option-controller.js';
import type { CrafterInfo } from '../../worlds/crafter/crafter-env.js';
import type { CrafterSubgoal } from '../../worlds/crafter/crafter-subgoals.js';
import { describeCrafterSubgoal } from '../../worlds/crafter/crafter-subgoals.js';
import type { SymbolicObservation } from '../../worlds/crafter/observation.js';
import type { KgPlannerController } from '../crafter/kg-planner.js';

/** The kg-planner's subgoals: the world's vocabulary, plus `explore` while it looks for what it needs. */
export type KgSubgoal = CrafterSubgoal | { readonly kind: 'explore' };

const describe = (s: KgSubgoal): string => (s.kind === 'explore' ? 'explore' : describeCrafterSubgoal(s));

/**
 * The kg-planner as an interchangeable high level of core's `OptionController`: its recipe regression over the
 * knowledge graph picks the subgoal (`planner`), and an option ends when it moves on to another one. Its own
 * step-by-step actions are offered as `executor` (a scripted low level); a learned pi(a | o, g) over the same
 * vocabulary can replace it without touching the planner. The kg-planner must see every step, so both halves
 * share one decision per step.
 *
 * @example
 * const { planner, executor } = kgOptionPair(createKgPlannerController(opts));
 * const agent = new OptionController({ planner, executor });
 */
export function kgOptionPair(kg: KgPlannerController): { planner: OptionPlanner<SymbolicObservation, KgSubgoal, CrafterInfo> & { readonly outcomes: OptionOutcome<KgSubgoal>[] }; executor: OptionExecutor<SymbolicObservation, number, KgSubgoal, CrafterInfo> } {
  let key = '';
  let decision: number | Promise<number> = 0;
  const decide = (ctx: DecisionContext<SymbolicObservation, CrafterInfo>): number | Promise<number> => {
    const k = `${ctx.episode}:${ctx.step}`;
    if (k !== key) {
      key = k;
      decision = kg.act(ctx);
    }
    return decision;
  };
  const current = (): KgSubgoal => kg.currentSubgoal ?? { kind: 'explore' };
  const outcomes: OptionOutcome<KgSubgoal>[] = [];
  const planner = {
    outcomes,
    reset(ctx: EpisodeContext) {
      key = '';
      kg.reset(ctx);
    },
    plan(ctx: DecisionContext<SymbolicObservation, CrafterInfo>): Decision<KgSubgoal> {
      const d = decide(ctx);
      return typeof d === 'number' ? current() : d.then(current);
    },
    isDone(subgoal: KgSubgoal): boolean {
      return describe(subgoal) !== describe(current());
    },
    optionEnded(o: OptionOutcome<KgSubgoal>) {
      outcomes.push(o);
    },
  };
  const executor: OptionExecutor<SymbolicObservation, number, KgSubgoal, CrafterInfo> = {
    act: (ctx) => decide(ctx),
    observe: (t: Transition<SymbolicObservation, CrafterInfo>) => kg.observe(t),
  };
  return { planner, executor };
}
