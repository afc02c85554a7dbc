/**
 * Baseline navigation controllers by name, for the CLI and experiments:
 * `createController('explorer')`, or `createTeamControllers('explorer', env.possibleAgents, { shareMap: true })`.
 */
import type { Controller } from '../core/controller.js';
import type { AgentId } from '../core/parallel-env.js';
import type { NavigationInfo, NavigationObservation, NavigationState } from '../worlds/navigation/navigation-env.js';
import { ExplorerController, ExplorerMap } from './explorer-controller.js';
import { OracleController } from './oracle-controller.js';
import { RandomController } from './random-controller.js';

export { RandomController } from './random-controller.js';
export { OracleController } from './oracle-controller.js';
export { ExplorerController, ExplorerMap } from './explorer-controller.js';
export type { ExplorerOptions } from './explorer-controller.js';

/** Names accepted by {@link createController}. */
export const CONTROLLERS = Object.freeze(['random', 'oracle', 'explorer'] as const);
export type ControllerName = (typeof CONTROLLERS)[number];

export interface ControllerOptions {
  /** explorer only: a seen-map shared with teammates (see {@link createTeamControllers}). */
  readonly map?: ExplorerMap;
}

export type NavigationController = Controller<NavigationObservation, number, NavigationInfo, NavigationState>;

/** A new controller for one agent. @throws Error naming the allowed names for an unknown `name`. */
export function createController(name: string, opts: ControllerOptions = {}): NavigationController {
  switch (name as ControllerName) {
    case 'random':
      return new RandomController() as unknown as NavigationController;
    case 'oracle':
      return new OracleController();
    case 'explorer':
      return new ExplorerController(opts.map ? { map: opts.map } : {});
  }
  throw new Error(`unknown controller "${name}": expected one of ${CONTROLLERS.join(', ')}`);
}

export interface TeamOptions {
  /** explorer only: teammates share one seen-map (default false: each explores alone). */
  readonly shareMap?: boolean;
}

/** One controller per agent; with `shareMap`, explorers share what any of them has seen. */
export function createTeamControllers(name: string, agents: readonly AgentId[], opts: TeamOptions = {}): Record<AgentId, NavigationController> {
  const map = opts.shareMap ? new ExplorerMap() : undefined;
  const out: Record<AgentId, NavigationController> = {};
  for (const a of agents) out[a] = createController(name, map ? { map } : {});
  return out;
}
