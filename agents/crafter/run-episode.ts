import type { Rng } from '../../core/rng.js';
import type { CrafterEnv } from '../../worlds/crafter/crafter-env.js';
import { ScriptedCrafterController } from './scripted.js';

export interface ScriptedEpisodeResult {
  readonly unlocked: string[];
  readonly length: number;
  readonly died: boolean;
  /** What the agent believes it unlocked (from its own observations). */
  readonly believed: string[];
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
  let step = 0;
  for (; step < maxSteps; step++) {
    const action = agent.act({ agent: id, observation: observations[id]!, info: infos[id]!, step, episode: 0, worldState });
    const r = env.step({ [id]: action });
    agent.observe({ action, reward: r.rewards[id]!, terminated: r.terminations[id]!, truncated: r.truncations[id]!, observation: r.observations[id]!, info: r.infos[id]! });
    observations = r.observations;
    infos = r.infos;
    if (r.terminations[id]) {
      died = true;
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
  return { unlocked, length: step, died, believed: [...agent.achievements] };
}
