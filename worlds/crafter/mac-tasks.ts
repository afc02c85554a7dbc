/**
 * The ten tasks of the MAC/DAMCS benchmark (the tech tree up to a diamond), in tree order, each with the Crafter
 * achievement that completes it. `CrafterEnv.episodeMetrics()` reports the step at which the team first completed
 * each one as `firstStep_<task>`.
 */
export const MAC_TASKS = Object.freeze([
  { task: 'wood', achievement: 'collect_wood' },
  { task: 'table', achievement: 'place_table' },
  { task: 'wood_pickaxe', achievement: 'make_wood_pickaxe' },
  { task: 'stone', achievement: 'collect_stone' },
  { task: 'stone_pickaxe', achievement: 'make_stone_pickaxe' },
  { task: 'iron', achievement: 'collect_iron' },
  { task: 'coal', achievement: 'collect_coal' },
  { task: 'furnace', achievement: 'place_furnace' },
  { task: 'iron_pickaxe', achievement: 'make_iron_pickaxe' },
  { task: 'diamond', achievement: 'collect_diamond' },
] as const);

export type MacTask = (typeof MAC_TASKS)[number]['task'];

/** The `episodeMetrics()` key of a task's first-completion step. */
export const firstStepKey = (task: MacTask): `firstStep_${MacTask}` => `firstStep_${task}`;
