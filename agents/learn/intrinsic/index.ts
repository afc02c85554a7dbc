/** Intrinsic rewards as pluggable modules: the contract, the shipped modules, their composition and registry. */
export type { IntrinsicEpisodeStart, IntrinsicReward, IntrinsicStep, WeightedIntrinsic } from './intrinsic-reward.js';
export type { PlaceKey, PlaceReader } from './place-reader.js';
export { CountNovelty } from './count-novelty.js';
export type { CountNoveltyOptions } from './count-novelty.js';
export { TeamNovelty } from './team-novelty.js';
export type { TeamNoveltyOptions } from './team-novelty.js';
export { TopologicalMap } from './topological-map.js';
export type { PlaceVisit } from './topological-map.js';
export { TopologicalReward } from './topological-reward.js';
export type { TopologicalRewardOptions } from './topological-reward.js';
export { SubgoalReward } from './subgoal-reward.js';
export type { SubgoalRewardOptions } from './subgoal-reward.js';
export { IntrinsicEnv, withIntrinsic } from './with-intrinsic.js';
export type { IntrinsicEntry } from './with-intrinsic.js';
export { defaultIntrinsicRegistry, IntrinsicRegistry, IntrinsicSpecError, IntrinsicSpecSchema } from './intrinsic-registry.js';
export type { IntrinsicBuildContext, IntrinsicFactory, IntrinsicSpec } from './intrinsic-registry.js';
export { goalInView, navigationPlaceReader } from './navigation-place-reader.js';
export { UntilReward } from './until-reward.js';
