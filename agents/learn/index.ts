/**
 * Learning agents on TensorFlow.js: backend selection, networks, PPO, and trained policies as core Controllers.
 * See agents/learn/README.md.
 */
export { BACKENDS, BackendError, initBackend, parseBackendName } from './backend.js';
export type { BackendInfo, BackendName, ConcreteBackend } from './backend.js';
export { ActorCritic } from './networks/actor-critic.js';
export type { ActorCriticSpec, NetworkInput } from './networks/actor-critic.js';
export { embeddingBag } from './networks/embedding-bag.js';
export { linear } from './networks/linear.js';
export { networkInput } from './networks/network-input.js';
export { ObservationEncoder } from './observation-encoder.js';
export type { EncoderOptions } from './observation-encoder.js';
export { agreement, collectDemonstrations, imitate } from './imitation.js';
export type { Demonstration, ImitationOptions, ImitationStats, Teacher } from './imitation.js';
export { PolicyController } from './policy-controller.js';
export type { PolicyControllerOptions } from './policy-controller.js';
export { Ppo, PpoConfigError, PpoConfigSchema, gae, parsePpoConfig } from './ppo.js';
export type { PpoConfig, PpoConfigInput, PpoUpdateStats } from './ppo.js';
export { hasRunState, VectorEnv } from './rollout/vector-env.js';
export type { DiscreteEnv, EpisodeStats, ObsBuffer, RunStateEnv, VectorStep } from './rollout/vector-env.js';
export { getAdamState, setAdamState } from './adam-state.js';
export type { AdamState } from './adam-state.js';
export { CheckpointError, isCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
export type { PpoState } from './ppo.js';
export type { VectorEnvState } from './rollout/vector-env.js';
export { WorkerVectorEnv } from './rollout/worker-vector-env.js';
export type { RolloutEnv } from './rollout/worker-vector-env.js';
export type { WorkerEnvSpec } from './rollout/worker-protocol.js';
