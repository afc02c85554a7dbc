import type { SubgoalContext } from '../../core/subgoal-vocabulary.js';
import type { Rng } from '../../core/rng.js';
import { box, type BoxSpace } from '../../core/spaces.js';
import type { CrafterInfo, CrafterState } from '../../worlds/crafter/crafter-env.js';
import type { CrafterSubgoal, CrafterSubgoals } from '../../worlds/crafter/crafter-subgoals.js';
import { describeCrafterSubgoal, isCrafterSubgoalReached } from '../../worlds/crafter/crafter-subgoals.js';
import type { SymbolicObservation } from '../../worlds/crafter/observation.js';
import type { GoalTask } from './goal-conditioned-env.js';
import type { CrafterPrimitiveOptions } from './crafter-primitive-options.js';
import type { CrafterRecipePlanner } from './crafter-recipe-planner.js';
import type { CrafterShelter } from './crafter-shelter.js';
import { COLLECT_DRINK, EAT_COW, type CrafterSurvival } from './crafter-survival.js';

export interface CrafterGoalTaskOptions {
  /** Share of goals drawn uniformly among the feasible ones instead of the recipe regression's next step. Default 0.3. */
  readonly randomShare?: number;
  /** Of the random draws, the share taken among feasible places and makes when there are any. Default 0.5. */
  readonly craftShare?: number;
  /** Steps allowed per goal kind (collect of iron, coal and diamond gets twice the collect time). Defaults: collect 60, place 20, make 40. */
  readonly timeouts?: Partial<Record<'collect' | 'place' | 'make' | 'eat' | 'defeat' | 'sleep' | 'shelter', number>>;
  /**
   * The survival rules (drink, eat, sleep, fight): when given, their subgoal comes before any other, it ends a
   * less pressing goal early (`interrupt`), and the goals include the vocabulary's survival subgoals.
   */
  readonly survival?: CrafterSurvival;
  /**
   * One-step options: a make / place whose action would succeed now, and sleep, are played as the primitive
   * action (`primitive`) instead of by the policy, and the policy itself acts with the rest (noop, moves, do:
   * `policyActions`).
   */
  readonly primitives?: CrafterPrimitiveOptions;
  /**
   * Before the regression's next step, take any feasible make of a tool not held yet (swords too, which are off
   * the diamond's path) and place a held sapling: the kg-planner's "ready recipes first", over every recipe.
   * Default false.
   */
  readonly readyCraftsFirst?: boolean;
  /**
   * The night option: at dusk the agent seals itself into a pocket of stone and stays there (asleep or waiting)
   * until morning, played by the scripted shelter routine as primitive actions (`shelter` subgoal, one more goal
   * slot). Inside, only water or food at the shelter's `urgent` level makes it go out. Default none.
   */
  readonly shelter?: CrafterShelter;
  /**
   * Until the agent has planted a sapling this episode (seen as a sapling leaving its inventory), collect one right
   * after the urgent needs; a held sapling is planted by `readyCraftsFirst`. Default false.
   */
  readonly plantOnce?: boolean;
}

const SHELTER: CrafterSubgoal = Object.freeze({ kind: 'shelter' });

const SLOW = new Set(['iron', 'coal', 'diamond']);

/**
 * The Crafter low level's task over the world's subgoal vocabulary (collect X, place X, make X): goals are drawn
 * feasible and useful — the next step of the recipe regression toward the diamond from the agent's inventory and
 * the stations in view, or with `randomShare` a random feasible one (half of those a place or make when one is
 * feasible) — reached from the world's collect / place /
 * make events (the env must report events), timed out per kind. The goal is one integer, `1 + index` in
 * `goals` (0: none) — `vocab.tasks`, then `vocab.survival` when survival rules are given — which the encoder turns
 * into a category. With `survival`, `primitives` and `readyCraftsFirst` it is the kg manager of the full
 * hierarchy: survival first, ready crafts next, then the regression.
 */
export class CrafterGoalTask implements GoalTask<SymbolicObservation, CrafterInfo, CrafterSubgoal> {
  readonly goalSpace: BoxSpace;
  /** The goals in encoding order: `vocab.tasks`, then `vocab.survival` when survival rules are given, then `shelter` with a shelter. */
  readonly goals: readonly CrafterSubgoal[];
  private readonly index = new Map<string, number>();
  /** Saplings held at the last observation, and agents that planted one this episode (for `plantOnce`). */
  private readonly saplings = new Map<string, number>();
  private readonly planted = new Set<string>();

  constructor(
    readonly planner: CrafterRecipePlanner,
    private readonly opts: CrafterGoalTaskOptions = {},
  ) {
    this.goals = [...planner.vocab.tasks, ...(opts.survival ? planner.vocab.survival : []), ...(opts.shelter ? [SHELTER] : [])];
    this.goals.forEach((t, i) => this.index.set(describeCrafterSubgoal(t), i));
    this.goalSpace = box([1], 0, this.goals.length, 'int32');
  }

  get vocab(): CrafterSubgoals {
    return this.planner.vocab;
  }

  reset(): void {
    this.opts.survival?.reset();
    this.opts.shelter?.reset();
    this.saplings.clear();
    this.planted.clear();
  }

  observe(agent: string, obs: SymbolicObservation, _info: CrafterInfo, action?: number): void {
    this.opts.shelter?.track(agent, obs, action);
    const n = this.planner.view.held(obs, 'sapling');
    if (n < (this.saplings.get(agent) ?? 0)) this.planted.add(agent);
    this.saplings.set(agent, n);
  }

  /**
   * What cannot wait: at night (with a shelter option) stay sealed in, going out only for urgent water or food;
   * outside, fight a zombie at hand, else seal in when a pocket can be had (water and food wait unless urgent),
   * else the survival rules' need; by day, the survival rules' need. Null when nothing is urgent.
   */
  urgent(agent: string, obs: SymbolicObservation): CrafterSubgoal | null {
    const { survival, shelter } = this.opts;
    const need = survival?.need(agent, obs) ?? null;
    if (!shelter) return need;
    if (!shelter.night(agent)) {
      shelter.morning(agent);
      return need;
    }
    const view = this.planner.view;
    const outFor = view.vitalOf(obs, 'drink') <= shelter.thresholds.urgent ? COLLECT_DRINK : view.vitalOf(obs, 'food') <= shelter.thresholds.urgent ? EAT_COW : null;
    if (shelter.sealed(agent)) return outFor ?? SHELTER;
    // Outside at night: fight what is at hand, else seal in; water and food wait for the morning unless urgent.
    if (need?.kind === 'defeat') return need;
    const ready = shelter.thresholds.after.every((item) => this.planner.view.held(obs, item) > 0);
    if (outFor === null && ready && shelter.action(agent, obs) !== null) return SHELTER;
    return need;
  }

  /**
   * The kg manager's pick without practice draws: a survival need, else a sapling to plant (with `plantOnce`), else a
   * ready craft (with `readyCraftsFirst`), else the regression's next step.
   */
  choose(agent: string, obs: SymbolicObservation): CrafterSubgoal | null {
    const urgent = this.urgent(agent, obs);
    if (urgent !== null) return urgent;
    if (this.opts.plantOnce && !this.planted.has(agent) && this.planner.view.held(obs, 'sapling') === 0 && this.planner.isFeasible(COLLECT_SAPLING, obs)) return COLLECT_SAPLING;
    if (this.opts.readyCraftsFirst) {
      const ready = this.planner.feasible(obs).find((s) => s.kind === 'make' || (s.kind === 'place' && s.what === 'plant'));
      if (ready) return ready;
    }
    return this.planner.next(obs);
  }

  sample(agent: string, obs: SymbolicObservation, _info: CrafterInfo, rng: Rng): CrafterSubgoal | null {
    const urgent = this.urgent(agent, obs);
    if (urgent !== null) return urgent;
    const next = this.choose(agent, obs);
    if (next !== null && rng.float() >= (this.opts.randomShare ?? 0.3)) return next;
    const feasible = this.planner.feasible(obs);
    // Collects are feasible almost always, a place or make only for a few steps after its inputs are in hand: a
    // uniform draw would hardly ever practise the crafts off the diamond path (swords, plants).
    const crafts = feasible.filter((s) => s.kind !== 'collect');
    if (crafts.length > 0 && rng.float() < (this.opts.craftShare ?? 0.5)) return rng.pick(crafts);
    return feasible.length > 0 ? rng.pick(feasible) : next;
  }

  encode(goal: CrafterSubgoal | null): Int32Array {
    return Int32Array.of(goal === null ? 0 : 1 + this.slotOf(goal));
  }

  /** The index of `goal` in `goals`. @throws RangeError for a subgoal outside them (goto; survival without survival rules). */
  slotOf(goal: CrafterSubgoal): number {
    const i = this.index.get(describeCrafterSubgoal(goal));
    if (i === undefined) throw new RangeError(`crafter goal task: ${describeCrafterSubgoal(goal)} is not one of the goal task's goals`);
    return i;
  }

  /** As the world says; a `shelter` option with a shelter lasts the night: reached when morning finds the agent sealed in. */
  isReached(goal: CrafterSubgoal, ctx: SubgoalContext<SymbolicObservation, CrafterInfo>): boolean {
    const reached = isCrafterSubgoalReached(goal, ctx as SubgoalContext<SymbolicObservation, CrafterInfo, CrafterState>, this.vocab.placeSize, this.planner.rules);
    return goal.kind === 'shelter' && this.opts.shelter ? reached && !this.opts.shelter.night(ctx.agent) : reached;
  }

  timeout(goal: CrafterSubgoal): number {
    const t = this.opts.timeouts ?? {};
    switch (goal.kind) {
      case 'collect':
        return (t.collect ?? 60) * (SLOW.has(goal.item) ? 2 : 1);
      case 'place':
        return t.place ?? 20;
      case 'make':
        return t.make ?? 40;
      case 'eat':
        return t.eat ?? 100;
      case 'defeat':
        return t.defeat ?? 40;
      case 'sleep':
        return t.sleep ?? 300;
      case 'shelter':
        return t.shelter ?? 200;
      case 'goto':
        return 60;
    }
  }

  primitive(goal: CrafterSubgoal, agent: string, obs: SymbolicObservation, info: CrafterInfo): number | null {
    if (goal.kind === 'shelter') return this.opts.shelter?.action(agent, obs) ?? null;
    return this.opts.primitives?.action(goal, info, obs) ?? null;
  }

  policyActions(): Uint8Array | null {
    return this.opts.primitives?.policyActions ?? null;
  }

  interrupt(goal: CrafterSubgoal, agent: string, obs: SymbolicObservation): boolean {
    const shelter = this.opts.shelter;
    if (shelter && goal.kind === 'shelter') {
      // Sealed in, only urgent water or food ends the night; on the way, a fight or a lost pocket does.
      if (shelter.sealed(agent)) return this.urgent(agent, obs)?.kind !== 'shelter';
      return shelter.action(agent, obs) === null || (this.opts.survival?.interrupts(agent, goal, obs) ?? false);
    }
    if (shelter?.night(agent) && shelter.sealed(agent)) return false;
    return this.opts.survival?.interrupts(agent, goal, obs) ?? false;
  }

  describe(goal: CrafterSubgoal): string {
    return describeCrafterSubgoal(goal);
  }
}

const COLLECT_SAPLING: CrafterSubgoal = Object.freeze({ kind: 'collect', item: 'sapling' });
