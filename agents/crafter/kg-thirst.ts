/**
 * When the kg-planner goes for water. A MAC episode lasts 350 steps: drink falls by one about every 21 steps
 * (9 -> 3 by step ~127), and with drink at 0 health falls by one about every 16 steps, so an agent that never drinks
 * lives to ~330. The walk to water at drink 3 cost 8-20 steps in most 1-agent episodes (bench/coop, seeds 0-19),
 * once with a known diamond 8 steps away. `at` sets that threshold; `sipAt` drinks opportunistically when water is
 * within `sipReach` steps, where a sip costs little more than the step itself.
 */

/** Thirst settings (planner option `thirst`). */
export interface ThirstTuning {
  /** Go for water within `reach` steps when drink is at or below this (default 3). */
  readonly at?: number;
  readonly reach?: number;
  /** Drink up when water is within `sipReach` steps and drink is at or below this (default 0: off). */
  readonly sipAt?: number;
  readonly sipReach?: number;
}

/** Once drinking, the agent drinks up to 8 (one sip per step): leaving at 4 would bring it back every 20 steps. */
export class Thirst {
  private drinking = false;

  constructor(private readonly t: ThirstTuning = {}) {}

  /** Whether the agent is on its way to water or drinking. */
  get active(): boolean {
    return this.drinking;
  }

  reset(): void {
    this.drinking = false;
  }

  /**
   * The action towards water (or the sip), or null to go on with the plan. `toWater(maxCost)` answers the action
   * that walks next to water within that cost and drinks, or null when none is that close.
   */
  act(drink: number, toWater: (maxCost: number) => number | null): number | null {
    const at = this.t.at ?? 3;
    if (drink <= at) this.drinking = true;
    else if (drink >= 8) this.drinking = false;
    if (this.drinking) {
      const a = toWater(this.t.reach ?? 25);
      if (a !== null) return a;
      if (drink > at) this.drinking = false;
    }
    if (drink <= (this.t.sipAt ?? 0)) {
      const a = toWater(this.t.sipReach ?? 2);
      if (a !== null) {
        this.drinking = true;
        return a;
      }
    }
    return null;
  }
}

/**
 * Whether water and food wait: the MAC episode ends the step a diamond is collected, so with the iron pickaxe in hand
 * and a known diamond targeted, a walk to water or to a cow only delays the end (drink 3 lasts ~60 steps before
 * health starts to fall, by one every ~16 steps). On seeds 10 and 11 (1 agent) the agent walked to water 8 and 5
 * cells away from a diamond it had just seen and came back: 26 and 19 steps from seen to taken. Needs come first
 * again at `minHealth` or below.
 */
export function needsWait(holdsPickaxe: boolean, diamondTargeted: boolean, health: number, minHealth = 3): boolean {
  return holdsPickaxe && diamondTargeted && health > minHealth;
}
