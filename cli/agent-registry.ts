import type { ControllerFactory } from '../core/agent-runner.js';
import type { AgentInfo } from '../core/parallel-env.js';
import { CONTROLLERS, createController } from '../agents/index.js';
import { CliError, listAllowed } from './errors.js';

/** Controllers `canopy run --agent` accepts. */
export const CONTROLLER_NAMES: readonly string[] = CONTROLLERS;

/** Checks `--agent` before anything is built. */
export function checkControllerName(name: string): void {
  if (!CONTROLLER_NAMES.includes(name)) throw new CliError(`--agent: unknown agent "${name}"; expected ${listAllowed(CONTROLLER_NAMES)}`);
}

/**
 * One controller of kind `name` per agent. Controllers draw randomness only from the streams the kernel gives them
 * in each episode's context, so the run's seed decides everything.
 */
export function controllerFactory(name: string): ControllerFactory<unknown, unknown, AgentInfo, unknown> {
  checkControllerName(name);
  return () => createController(name) as unknown as ReturnType<ControllerFactory<unknown, unknown, AgentInfo, unknown>>;
}
