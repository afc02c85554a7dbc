import type { ControllerFactory } from '../core/agent-runner.js';
import type { AgentInfo } from '../core/parallel-env.js';
import { createController } from '../agents/index.js';
import { CliError, listAllowed } from './errors.js';

/** Controllers `canopy run --agent` accepts. */
export const CONTROLLER_NAMES: readonly string[] = Object.freeze(['random', 'oracle', 'explorer']);

/** Checks `--agent` before anything is built. */
export function checkControllerName(name: string): void {
  if (!CONTROLLER_NAMES.includes(name)) throw new CliError(`--agent: unknown agent "${name}"; expected ${listAllowed(CONTROLLER_NAMES)}`);
}

/** One controller of kind `name` per agent, each with the stream the kernel forked for it. */
export function controllerFactory(name: string): ControllerFactory<unknown, unknown, AgentInfo, unknown> {
  checkControllerName(name);
  return (agent, ctx) => createController(name, { agent, rng: ctx.rng, env: ctx.env }) as never;
}
