import type { DiscreteEnv } from '../agents/learn/rollout/vector-env.js';
import type { ResolvedTrainConfig } from './train-config.js';
import { findWorld } from './world-registry.js';

/**
 * One env of a train config, built by the CLI's world registry (bad `params` become a CliError). A module-level
 * function, so that env worker threads (`--workers`) can build the same envs from the config alone.
 */
export function makeTrainEnv(config: ResolvedTrainConfig): DiscreteEnv {
  const world = findWorld(config.world);
  const variant = config.layout ?? config.rules ?? world.variant.default;
  return world.create({ variant, agents: config.agents, params: config.params }) as unknown as DiscreteEnv;
}
