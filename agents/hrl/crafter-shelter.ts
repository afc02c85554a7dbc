import type { AgentId } from '../../core/parallel-env.js';
import { ScriptedCrafterController } from '../crafter/scripted.js';
import type { SymbolicObservation } from '../../worlds/crafter/observation.js';

/** When the night starts and ends for the shelter option, by the observation's light (0..1). */
export interface CrafterShelterThresholds {
  /** Light below which, while it is getting darker, the agent seals itself in. Default 0.7 (step ~135 of 300). */
  readonly dusk: number;
  /** Light above which, once it is getting lighter, the night is over. Default 0.6 (step ~280 of 300). */
  readonly dawn: number;
  /** At night a sealed agent goes out for water or food only when that vital is at or below this. Default 1. */
  readonly urgent: number;
  /** Items the agent must hold before it shelters (e.g. `stone_pickaxe`: only agents far up the tech tree). Default none. */
  readonly after: readonly string[];
}

export const DEFAULT_SHELTER: CrafterShelterThresholds = Object.freeze({ dusk: 0.7, dawn: 0.6, urgent: 1, after: [] as readonly string[] });

interface Track {
  readonly shadow: ScriptedCrafterController;
  light: number;
  darkening: boolean;
  /** The routine's answer for the last observation asked about (the manager, the option and its termination all ask). */
  asked: SymbolicObservation | null;
  answer: number | null;
}

/**
 * A scripted multi-step option for Crafter's nights: the scripted agent's shelter routine (walk to or dig out a
 * two-cell pocket, seal it with stones, sleep inside), played as the `shelter` subgoal's primitive actions. Zombies
 * crowd the grass at night and bite a sleeper for 7; a sealed pocket keeps them out.
 *
 * The routine needs a map and a position, which the egocentric observation does not hold: a shadow of the scripted
 * agent follows every observation and the action that led to it (`track`, whoever chose it), so the option can
 * take over at any step. It reads the default Crafter rules' ids, as the scripted agent does.
 */
export class CrafterShelter {
  readonly thresholds: CrafterShelterThresholds;
  private readonly tracks = new Map<AgentId, Track>();

  constructor(thresholds: Partial<CrafterShelterThresholds> = {}) {
    this.thresholds = Object.freeze({ ...DEFAULT_SHELTER, ...thresholds });
  }

  reset(): void {
    this.tracks.clear();
  }

  /** Every observation of the episode, with the action that led to it (none for the first). */
  track(agent: AgentId, obs: SymbolicObservation, action?: number): void {
    let t = this.tracks.get(agent);
    const light = obs.light[0] as number;
    if (!t || action === undefined) {
      t = { shadow: new ScriptedCrafterController(), light, darkening: false, asked: null, answer: null };
      this.tracks.set(agent, t);
    } else {
      if (light !== t.light) t.darkening = light < t.light;
      t.light = light;
    }
    t.shadow.track(obs, action);
  }

  /** Night for this agent: darker than `dusk` and getting darker, or not yet lighter than `dawn`. */
  night(agent: AgentId): boolean {
    const t = this.tracks.get(agent);
    if (!t) return false;
    return t.light < (t.darkening ? this.thresholds.dusk : this.thresholds.dawn);
  }

  /** True when the agent stands in a sealed pocket, by its shadow's map. */
  sealed(agent: AgentId): boolean {
    return this.tracks.get(agent)?.shadow.sealed ?? false;
  }

  /** The shelter routine's action now (seal in, then sleep or wait), or null when no pocket can be had. */
  action(agent: AgentId, obs: SymbolicObservation): number | null {
    const t = this.tracks.get(agent);
    if (!t) return null;
    if (t.asked !== obs) {
      t.asked = obs;
      t.answer = t.shadow.shelterStep(obs);
    }
    return t.answer;
  }

  /** A new day: pockets given up on last night may be tried again. */
  morning(agent: AgentId): void {
    this.tracks.get(agent)?.shadow.forgetPockets();
  }
}
