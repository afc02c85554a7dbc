import type { Rng } from '../../core/rng.js';
import type { CrafterEnv } from '../../worlds/crafter/crafter-env.js';
import type { SymbolicObservation } from '../../worlds/crafter/observation.js';
import { ScriptedCrafterController } from './scripted.js';

export interface ScriptedEpisodeResult {
  readonly unlocked: string[];
  readonly length: number;
  readonly died: boolean;
  /** What the agent believes it unlocked (from its own observations). */
  readonly believed: string[];
  /** Likely cause of death read from the last observation (harness-side diagnostics), or '' when it survived. */
  readonly cause: string;
}

/** Guess what killed the player from its last observation: an empty vital, an adjacent zombie, arrows in view. */
export function deathCause(obs: SymbolicObservation): string {
  const [, food, drink, energy] = obs.vitals;
  let zombie = false;
  let arrows = false;
  for (let r = 0; r < 7; r++) {
    for (let c = 0; c < 9; c++) {
      const v = obs.map[r * 9 + c]!;
      if (v === 15 && Math.abs(r - 3) + Math.abs(c - 4) <= 1) zombie = true;
      if (v === 16 || v === 17) arrows = true;
    }
  }
  const parts: string[] = [];
  if (zombie) parts.push('zombie');
  if (arrows) parts.push('arrows');
  if (food === 0) parts.push('starving');
  if (drink === 0) parts.push('thirst');
  if (energy === 0) parts.push('exhaustion');
  const dark = obs.light[0]! < 0.5 ? ' at night' : '';
  return (parts.join('+') || 'unknown') + (obs.sleeping[0] ? ' asleep' : '') + dark;
}

/**
 * Plays one single-player episode with the scripted controller (used by the eval script and tests). The
 * controller gets a `worldState` that throws: it must decide from its observations alone.
 */
export function runScriptedEpisode(env: CrafterEnv, seed: number, rng: Rng, maxSteps = 10000, agent = new ScriptedCrafterController()): ScriptedEpisodeResult {
  const id = env.possibleAgents[0]!;
  let { observations, infos } = env.reset({ seed });
  const worldState = (): never => {
    throw new Error('the scripted agent must not read the world state');
  };
  agent.reset({ agent: id, episode: 0, observationSpace: env.observationSpace(id), actionSpace: env.actionSpace(id), rng });
  let died = false;
  let cause = '';
  let step = 0;
  for (; step < maxSteps; step++) {
    const action = agent.act({ agent: id, observation: observations[id]!, info: infos[id]!, step, episode: 0, worldState });
    const r = env.step({ [id]: action });
    agent.observe({ action, reward: r.rewards[id]!, terminated: r.terminations[id]!, truncated: r.truncations[id]!, observation: r.observations[id]!, info: r.infos[id]! });
    observations = r.observations;
    infos = r.infos;
    if (r.terminations[id]) {
      died = true;
      cause = deathCause(r.observations[id]!);
      step++;
      break;
    }
    if (r.truncations[id]) {
      step++;
      break;
    }
  }
  const m = env.episodeMetrics();
  const unlocked = env.rules.achievements.filter((n) => m[`achievement_${n}`] === 1);
  return { unlocked, length: step, died, believed: [...agent.achievements], cause };
}
