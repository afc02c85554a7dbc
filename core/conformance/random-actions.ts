import type { AgentInfo, ParallelEnv, PerAgent } from '../parallel-env.js';
import type { Rng } from '../rng.js';
import { sample } from '../spaces.js';

/** Any environment, as the conformance kit sees it. */
export type AnyEnv = ParallelEnv<unknown, unknown, AgentInfo, unknown>;
/** Builds a fresh environment; called once per check (never reused between checks). */
export type EnvFactory = () => AnyEnv;

/**
 * One action per live agent: uniform over the legal ones when `infos[a].actionMask` is given for a discrete
 * space, otherwise a uniform sample of the action space.
 */
export function randomActions(env: AnyEnv, infos: Readonly<PerAgent<AgentInfo>>, rng: Rng): PerAgent<unknown> {
  const actions: PerAgent<unknown> = {};
  for (const a of env.agents) {
    const space = env.actionSpace(a);
    const mask = infos[a]?.actionMask;
    if (space.kind === 'discrete' && mask instanceof Uint8Array) {
      const legal: number[] = [];
      for (let i = 0; i < mask.length; i++) if (mask[i] === 1) legal.push(space.start + i);
      if (legal.length > 0) {
        actions[a] = rng.pick(legal);
        continue;
      }
    }
    actions[a] = sample(space, rng);
  }
  return actions;
}
