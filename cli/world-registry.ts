import type { ParallelEnv } from '../core/parallel-env.js';
import { createNavigationEnv, LAYOUTS as NAVIGATION_LAYOUTS, NavigationConfigError } from '../worlds/navigation/index.js';
import { CliError, listAllowed } from './errors.js';

/** What the CLI asks a world for. */
export interface WorldBuildRequest {
  readonly layout: string;
  readonly agents: number;
  /** World-specific parameters from the config file's `params`, unvalidated: the world checks them. */
  readonly params: Readonly<Record<string, unknown>>;
}

/** One world the CLI can run. Adding a world to `canopy run` is adding one entry to {@link WORLDS}. */
export interface WorldEntry {
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  readonly layouts: readonly string[];
  readonly defaultLayout: string;
  /** Builds the world; its config errors come out as {@link CliError}s (see {@link asUserError}). */
  create(request: WorldBuildRequest): ParallelEnv;
  /** Whether `err` is the world's own report of a bad config (a user's mistake, not a bug), also at reset time. */
  isConfigError(err: unknown): boolean;
}

const navigation: WorldEntry = {
  name: 'navigation',
  description: 'grid rooms, mazes and key-door puzzles where agents reach goals',
  layouts: NAVIGATION_LAYOUTS,
  defaultLayout: 'four-rooms',
  create({ layout, agents, params }) {
    return asUserError(this, () => createNavigationEnv({ ...params, layout, agents } as never) as ParallelEnv);
  },
  isConfigError: (err) => err instanceof NavigationConfigError,
};

/** The worlds `canopy run --world` accepts, by name. */
export const WORLDS: Readonly<Record<string, WorldEntry>> = Object.freeze({ navigation });

export function worldNames(): string[] {
  return Object.keys(WORLDS);
}

/** The world called `name`, or a {@link CliError} listing the worlds there are. */
export function findWorld(name: string): WorldEntry {
  const world = Object.hasOwn(WORLDS, name) ? WORLDS[name] : undefined;
  if (!world) throw new CliError(`--world: unknown world "${name}"; expected ${listAllowed(worldNames())}`);
  return world;
}

/** Checks `--layout` against the world's layouts before building anything. */
export function checkLayout(world: WorldEntry, layout: string): void {
  if (!world.layouts.includes(layout)) {
    throw new CliError(`--layout: world "${world.name}" has no layout "${layout}"; expected ${listAllowed(world.layouts)}`);
  }
}

/** Runs `fn`, turning the world's own config error (bad `params`, a map too small for the agents) into a one-line {@link CliError}. */
export function asUserError<T>(world: WorldEntry, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (world.isConfigError(err)) throw new CliError(`${world.name}: ${(err as Error).message}`);
    throw err;
  }
}
