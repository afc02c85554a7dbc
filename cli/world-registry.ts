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
  /** Builds the world; a world's own config error must come out as a {@link CliError} (see `wrapConfigErrors`). */
  create(request: WorldBuildRequest): ParallelEnv;
}

const navigation: WorldEntry = {
  name: 'navigation',
  description: 'grid rooms, mazes and key-door puzzles where agents reach goals',
  layouts: NAVIGATION_LAYOUTS,
  defaultLayout: 'four-rooms',
  create: ({ layout, agents, params }) =>
    wrapConfigErrors(NavigationConfigError, () => createNavigationEnv({ ...params, layout, agents } as never) as ParallelEnv),
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

/** Runs `build`, turning the world's own config error (bad `params`) into a one-line {@link CliError}. */
function wrapConfigErrors<T>(errorClass: abstract new (...args: never[]) => Error, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof errorClass) throw new CliError(`params: ${err.message}`);
    throw err;
  }
}
