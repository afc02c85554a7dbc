/** Crafter for canopy: a faithful, fast, multi-agent port of the reference (PyPI crafter 1.8.3). */
export { CrafterEnv, spawnPositions } from './crafter-env.js';
export type { CrafterEnvConfig, CrafterInfo, CrafterState } from './crafter-env.js';
export { actionIndex, shareAction } from './actions.js';
export type { CrafterAction, ShareCommand } from './actions.js';
export { loadRules, compileRules, deepMerge, RulesError } from './rules.js';
export type { CrafterRules, LoadRulesOptions, RulesData, RulesetName } from './rules.js';
export { loadScenario, playerSnapshot, scenarioSchema } from './scenario.js';
export type { PlayerSnapshot, Scenario, ScenarioStep } from './scenario.js';
export { firstStepKey, MAC_TASKS } from './mac-tasks.js';
export type { MacTask } from './mac-tasks.js';
export type { SymbolicObservation } from './observation.js';
import './events.js';
export { createCrafterEnv, CrafterConfigError, RULESETS } from './create-crafter-env.js';
export type { CrafterConfigInput } from './create-crafter-env.js';
export { crafterSubgoals, describeCrafterSubgoal, isCrafterSubgoalReached } from './crafter-subgoals.js';
export type { CrafterSubgoal, CrafterSubgoals } from './crafter-subgoals.js';
