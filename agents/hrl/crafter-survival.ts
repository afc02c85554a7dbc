import type { AgentId } from '../../core/parallel-env.js';
import type { CrafterSubgoal } from '../../worlds/crafter/crafter-subgoals.js';
import type { SymbolicObservation } from '../../worlds/crafter/observation.js';
import type { CrafterRules } from '../../worlds/crafter/rules.js';
import { CrafterLocalView } from './crafter-local-view.js';

/** When the survival rules step in. Vitals run 0..9 in the default rules. */
export interface CrafterSurvivalThresholds {
  /** Drink when drink <= this, and keep drinking until `drinkUntil`. Defaults 4 and 8. */
  readonly drink: number;
  readonly drinkUntil: number;
  /** Eat a cow when food <= this, and keep at it until `foodUntil`. Defaults 4 and 7. */
  readonly food: number;
  readonly foodUntil: number;
  /**
   * Sleep when energy <= `energy`, or nap in daylight (light >= `daylight`) with no zombie in view when energy
   * <= `nap` (<= `firstNap` until the player has slept once this episode: a short nap early, while it is safe):
   * zombies crowd the grass at night and hit a sleeper for 7. Defaults 1, 0.5, 3, 8.
   */
  readonly energy: number;
  readonly daylight: number;
  readonly nap: number;
  readonly firstNap: number;
  /** Fight a zombie within this Chebyshev distance (2: it is about to hit). Default 2. */
  readonly fight: number;
  /** No sleep while a zombie is within this distance (sleepers take 7 damage). Default 4. */
  readonly sleepSafe: number;
  /** Eat a ripe plant in view (food, and the eat_plant achievement) before drinking or eating a cow. Default true. */
  readonly ripePlant: boolean;
  /** Eat a cow in view (within `snackRange`) once food <= this, before hunger calls for a hunt. Default 0 (off). */
  readonly snack: number;
  readonly snackRange: number;
}

export const DEFAULT_SURVIVAL: CrafterSurvivalThresholds = Object.freeze({ drink: 4, drinkUntil: 8, food: 4, foodUntil: 7, energy: 1, daylight: 0.5, nap: 3, firstNap: 8, fight: 2, sleepSafe: 4, ripePlant: true, snack: 0, snackRange: 3 });

const PRIORITY: Partial<Record<CrafterSubgoal['kind'], number>> = { defeat: 3, sleep: 2, eat: 2, shelter: 2 };

/**
 * The kg-planner's survival rules as subgoals (Crafter's "drink when thirsty, eat when hungry, sleep when tired
 * (napping by day, when no zombie is about), fight the zombie at hand"), read from the observation alone: `need(agent, obs)` is the survival
 * subgoal to pursue now, or null when the agent may work on the tech tree. Drinking and eating have hysteresis
 * (start at a low mark, go on to a high one), which is the only per-agent state; `reset` clears it.
 */
export class CrafterSurvival {
  readonly view: CrafterLocalView;
  readonly thresholds: CrafterSurvivalThresholds;
  private readonly topping = new Map<AgentId, Set<'drink' | 'food'>>();
  /** Agents that have slept this episode. */
  private readonly slept = new Set<AgentId>();

  constructor(
    readonly rules: CrafterRules,
    thresholds: Partial<CrafterSurvivalThresholds> = {},
  ) {
    this.view = new CrafterLocalView(rules);
    this.thresholds = Object.freeze({ ...DEFAULT_SURVIVAL, ...thresholds });
  }

  reset(): void {
    this.topping.clear();
    this.slept.clear();
  }

  /** The survival subgoal for this observation, or null. Order: keep sleeping, fight, a ripe plant, drink, eat, sleep, nap. */
  need(agent: AgentId, obs: SymbolicObservation): CrafterSubgoal | null {
    const t = this.thresholds;
    const v = this.view;
    if (obs.sleeping[0] === 1) {
      this.slept.add(agent);
      return SLEEP;
    }
    const zombie = v.distanceTo(obs, 'zombie');
    if (zombie <= t.fight) return DEFEAT_ZOMBIE;
    if (t.ripePlant && v.ripePlantInView(obs)) return EAT_PLANT;
    const topping = this.topping.get(agent) ?? new Set();
    this.topping.set(agent, topping);
    const drink = v.vitalOf(obs, 'drink');
    if (drink <= t.drink) topping.add('drink');
    if (drink >= t.drinkUntil) topping.delete('drink');
    const food = v.vitalOf(obs, 'food');
    if (food <= t.food) topping.add('food');
    if (food >= t.foodUntil) topping.delete('food');
    if (topping.has('drink')) return COLLECT_DRINK;
    if (topping.has('food')) return EAT_COW;
    if (food <= t.snack && v.distanceTo(obs, 'cow') <= t.snackRange) return EAT_COW;
    const energy = v.vitalOf(obs, 'energy');
    if (energy <= t.energy && zombie > t.sleepSafe) return SLEEP;
    if (energy <= (this.slept.has(agent) ? t.nap : t.firstNap) && zombie === Infinity && (obs.light[0] as number) >= t.daylight) return SLEEP;
    return null;
  }

  /**
   * Whether an option pursuing `goal` should end now for a more pressing survival need (the option's termination
   * condition): a fight beats everything, drink / eat / sleep beat tech-tree goals; a sleeper woken by a zombie
   * stops sleeping.
   */
  interrupts(agent: AgentId, goal: CrafterSubgoal, obs: SymbolicObservation): boolean {
    const n = this.need(agent, obs);
    if (goal.kind === 'sleep' && obs.sleeping[0] !== 1 && this.view.distanceTo(obs, 'zombie') <= this.thresholds.sleepSafe) return true;
    if (n === null || sameGoal(n, goal)) return false;
    const rank = (g: CrafterSubgoal) => (g.kind === 'collect' && g.item === 'drink' ? 2 : (PRIORITY[g.kind] ?? 0));
    return rank(n) > rank(goal);
  }
}

const SLEEP: CrafterSubgoal = Object.freeze({ kind: 'sleep' });
const DEFEAT_ZOMBIE: CrafterSubgoal = Object.freeze({ kind: 'defeat', creature: 'zombie' });
export const COLLECT_DRINK: CrafterSubgoal = Object.freeze({ kind: 'collect', item: 'drink' });
export const EAT_COW: CrafterSubgoal = Object.freeze({ kind: 'eat', food: 'cow' });
const EAT_PLANT: CrafterSubgoal = Object.freeze({ kind: 'eat', food: 'plant' });

function sameGoal(a: CrafterSubgoal, b: CrafterSubgoal): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
