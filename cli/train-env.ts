import { crafterPlaceReader, defaultIntrinsicRegistry, IntrinsicSpecError, navigationPlaceReader, withIntrinsic } from '../agents/learn/intrinsic/index.js';
import { CrafterEnv } from '../worlds/crafter/crafter-env.js';
import type { IntrinsicBuildContext, IntrinsicReward } from '../agents/learn/intrinsic/index.js';
import type { DiscreteEnv } from '../agents/learn/rollout/vector-env.js';
import type { ParallelEnv } from '../core/parallel-env.js';
import { CliError } from './errors.js';
import type { ResolvedTrainConfig } from './train-config.js';
import { findWorld } from './world-registry.js';

/** Place size of the navigation place reader the intrinsic modules use (the hierarchy's default too). */
export const NAVIGATION_PLACE_SIZE = 3;
/** Place size of the Crafter place reader (the kg-planner's regions are 4x4 cells too). */
export const CRAFTER_PLACE_SIZE = 4;

/** What the intrinsic modules of a world can read: where its agents are (navigation and Crafter say so). */
function intrinsicContext(world: string, env: ParallelEnv): IntrinsicBuildContext<never, never> {
  if (world === 'navigation') return { reader: navigationPlaceReader(NAVIGATION_PLACE_SIZE) } as IntrinsicBuildContext<never, never>;
  if (env instanceof CrafterEnv) return { reader: crafterPlaceReader(env.rules, CRAFTER_PLACE_SIZE) } as IntrinsicBuildContext<never, never>;
  return {} as IntrinsicBuildContext<never, never>;
}

/** The world of a train config, built by the CLI's world registry (bad `params` become a CliError). */
export function makeTrainWorld(config: ResolvedTrainConfig): ParallelEnv {
  const world = findWorld(config.world);
  const variant = config.layout ?? config.rules ?? world.variant.default;
  return world.create({ variant, agents: config.agents, params: config.params });
}

/**
 * The world wrapped in the config's intrinsic-reward modules (`intrinsic: [{ name, weight, ... }]`, built by
 * {@link defaultIntrinsicRegistry}; one fresh set per env, as modules keep per-env state), each passed through
 * `wrap` when given. A bad or unknown module is a CliError with the registry's message.
 */
export function withTrainIntrinsic(config: ResolvedTrainConfig, env: ParallelEnv, wrap?: (module: IntrinsicReward<never, never>) => IntrinsicReward<never, never>): ParallelEnv {
  if (config.intrinsic.length === 0) return env;
  try {
    const modules = defaultIntrinsicRegistry().build(config.intrinsic, intrinsicContext(config.world, env));
    const wrapped = wrap ? modules.map((m) => ({ ...m, module: wrap(m.module) })) : modules;
    return withIntrinsic(env as ParallelEnv<never, unknown, never>, wrapped) as unknown as ParallelEnv;
  } catch (err) {
    if (err instanceof IntrinsicSpecError) throw new CliError(`${err.message} (world ${config.world})`);
    throw err;
  }
}

/**
 * One env of a train config: the world with its intrinsic rewards. A module-level function, so that env worker
 * threads (`--workers`) build the same envs from the config alone.
 */
export function makeTrainEnv(config: ResolvedTrainConfig): DiscreteEnv {
  return withTrainIntrinsic(config, makeTrainWorld(config)) as unknown as DiscreteEnv;
}
