/**
 * Grid navigation worlds: `createNavigationEnv({ layout: 'maze', width: 41, height: 41, agents: 2 })`.
 */
import { NavigationEnv } from './navigation-env.js';
import type { NavigationConfig, NavigationConfigInput } from './navigation-config.js';

export { NavigationEnv } from './navigation-env.js';
export type { NavigationObservation, NavigationInfo, NavigationState } from './navigation-env.js';
export { LAYOUTS, GENERATED_LAYOUTS, NavigationConfigError, NavigationConfigSchema, parseNavigationConfig } from './navigation-config.js';
export type { LayoutName, NavigationConfig, NavigationConfigInput } from './navigation-config.js';
export { Action, ACTION_COUNT, ACTION_NAMES, ACTION_DX, ACTION_DY, Material, ViewCategory, isPassable } from './materials.js';
export type { Position } from './events.js';
export { renderAscii } from './render-ascii.js';

/** Validates `config` (throws `NavigationConfigError` naming the bad field) and builds the environment. */
export function createNavigationEnv(config: NavigationConfigInput | NavigationConfig): NavigationEnv {
  return new NavigationEnv(config);
}
export { navigationSubgoals, NavigationSubgoalSchema, placeOf, describeNavigationSubgoal, isNavigationSubgoalReached } from './navigation-subgoals.js';
export type { NavigationSubgoal, NavigationSubgoalKind, NavigationSubgoals } from './navigation-subgoals.js';
