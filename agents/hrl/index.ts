/** Hierarchical RL: semi-MDP returns, goal-conditioned low level, manager env, planners over core's OptionController. */
export { discountedOptionReward, smdpGae, smdpReturns } from './smdp.js';
export { GoalConditionedEnv } from './goal-conditioned-env.js';
export type { GoalConditionedEnvOptions, GoalObservation, GoalTask } from './goal-conditioned-env.js';
export { ManagerEnv } from './manager-env.js';
export type { ManagerInfo, ManagerTask } from './manager-env.js';
export { NavigationMemory } from './navigation-memory.js';
export type { Cell } from './navigation-memory.js';
export { encodeOffset, NavigationGoalTask } from './navigation-goal-task.js';
export type { NavigationGoalTaskOptions, Waypoint } from './navigation-goal-task.js';
export { NavigationManagerTask } from './navigation-manager-task.js';
export type { GoalPolicy, NavigationManagerTaskOptions } from './navigation-manager-task.js';
export { policyActor } from './policy-actor.js';
export { firstSlotChooser, hierarchicalController, TaskPlanner } from './task-planners.js';
export type { SlotChooser } from './task-planners.js';
export { kgOptionPair } from './kg-option-planner.js';
export type { KgSubgoal } from './kg-option-planner.js';
