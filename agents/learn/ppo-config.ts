/**
 * PPO's config: every hyperparameter, documented where declared, validated with zod (`canopy train` reads its
 * `ppo:` mapping through {@link parsePpoConfig}).
 */
import { z } from 'zod';
import { BackendNameSchema } from './backend.js';

export const PpoConfigSchema = z.strictObject({
  /** TensorFlow.js backend (see backend.ts); recorded in `Ppo.runConfig` with the one that actually ran. */
  backend: BackendNameSchema.default('auto'),
  /** Env steps of the whole run; sets the number of updates and the learning-rate schedule. */
  totalSteps: z.int().positive().default(500_000),
  /** Copies of the world stepped together; inference is batched over all their agents. */
  numEnvs: z.int().positive().default(8),
  /** Steps per env in each rollout; a batch has `numEnvs * numSteps * agents` samples. */
  numSteps: z.int().positive().default(128),
  /** Adam step size at the start. */
  learningRate: z.number().positive().default(2.5e-4),
  /** `linear`: decays to 0 at `totalSteps` (CleanRL's anneal_lr); `constant`: never changes. */
  lrSchedule: z.enum(['linear', 'constant']).default('linear'),
  /** Discount factor. */
  gamma: z.number().gt(0).max(1).default(0.99),
  /** GAE's lambda: 0 is one-step TD, 1 is Monte Carlo. */
  gaeLambda: z.number().min(0).max(1).default(0.95),
  /** Minibatches per epoch (per policy). */
  numMinibatches: z.int().positive().default(4),
  /** Passes over each batch. */
  updateEpochs: z.int().positive().default(4),
  /** Normalise advantages to zero mean, unit variance within each minibatch. */
  normAdvantages: z.boolean().default(true),
  /** Surrogate clipping range epsilon: the ratio pi/pi_old is kept in [1 - clipCoef, 1 + clipCoef]. */
  clipCoef: z.number().positive().default(0.2),
  /** Clip the value update around the old values by `clipCoef` too (CleanRL's clip_vloss). */
  clipValueLoss: z.boolean().default(true),
  /** Weight of the entropy bonus. */
  entCoef: z.number().min(0).default(0.01),
  /** Weight of the value loss. */
  vfCoef: z.number().min(0).default(0.5),
  /** Global gradient-norm clip. */
  maxGradNorm: z.number().positive().default(0.5),
  /** Stop an update's epochs early when the approximate KL exceeds this (off when absent). */
  targetKl: z.number().positive().optional(),
  /** Widths of the shared torso (first = input layer). */
  hidden: z.array(z.int().positive()).min(1).default([64, 64]),
  activation: z.enum(['tanh', 'relu']).default('tanh'),
  /** First layer: `embedding-bag` for categorical views, `dense` for dense vectors, `auto` picks by sparsity. */
  firstLayer: z.enum(['auto', 'dense', 'embedding-bag']).default('auto'),
  /** Hand-written dense gradients: `auto` uses them where they pay (wasm). */
  customGradients: z.enum(['auto', 'on', 'off']).default('auto'),
  /** One network for all agents, or one per agent. */
  policy: z.enum(['shared', 'per-agent']).default('shared'),
  /** With a shared policy, append the agent's index (one-hot) to its observation. */
  agentIdInput: z.boolean().default(false),
  /** Sample and train only over legal actions when the world gives `infos[a].actionMask`. */
  useActionMask: z.boolean().default(true),
  /** On truncation (a step limit, not a task end) add `gamma * V(final observation)` to the last reward. */
  bootstrapTruncation: z.boolean().default(true),
  /** Dict observation keys to feed the network, in order (default: all). */
  observationKeys: z.array(z.string()).min(1).optional(),
  /** Integer boxes with at most this many values are one-hot categories. */
  maxCategories: z.int().positive().default(32),
  /** Entries per sample of a bag input (default: worst case from the space). */
  bagSize: z.int().positive().optional(),
  /**
   * Threads that compute the network (data-parallel PPO, `learner/shard-learner.ts`). 2: each minibatch's gradient
   * is computed in two fixed halves, the second by a replica of the network in a worker thread, summed in a fixed
   * order before Adam; the rollout's batched inference is split the same way. The numbers depend on this setting
   * (sums of two halves round differently) but not on whether the second half runs in a thread (native backends,
   * already multi-threaded, run it in this thread).
   */
  learnerThreads: z.int().min(1).max(2).default(1),
  /**
   * How the loss is differentiated: `autodiff` (tensor ops, tfjs's gradients) or `analytic` (the loss and its
   * gradient at the network's head computed in JS, `learner/head-loss.ts`: two tensor ops instead of ~90, which
   * saves a fixed cost per minibatch, twice with two learner threads). The same maths; the numbers round differently.
   */
  lossGradient: z.enum(['autodiff', 'analytic']).default('autodiff'),
  /**
   * Pipelined rollout (Sample Factory / APPO style, `rollout/rollout-thread.ts`): a worker thread steps the envs,
   * runs batched inference with a replica of the policy and samples, collecting rollout k+1 with the weights of
   * update k while this thread computes update k+1 from rollout k. One update of policy lag: the PPO ratio and the
   * value clip are taken against the behaviour policy that collected the data (its log-probs and values come from
   * the thread). The schedule is fixed (rollouts 0 and 1 both use the initial weights, rollout k+1 those after update
   * k), so the numbers depend on the seed, not on timing; they differ from `false`. Needs a `workerEnv` (the envs are
   * built in the thread, intrinsic-reward wrappers included), no env `workers` and `learnerThreads: 1` (both would
   * want the same second core).
   */
  rolloutThread: z.boolean().default(false),
  /**
   * With `rolloutThread`, which policy PPO's ratio and clip are taken against. `behaviour`: the one that collected
   * the data (log-probs from the thread). `proximal` (decoupled PPO, Hilton et al. 2021): the policy at the start of
   * the update, from one forward pass over the rollout; each sample's advantage is weighted by pi_prox / pi_behaviour
   * (the off-policy correction for the lag), so the ratio starts at 1 as in serial PPO and clipping bounds the update
   * itself, not the lag plus the update.
   */
  pipelineRatio: z.enum(['behaviour', 'proximal']).default('proximal'),
}).superRefine((c, ctx) => {
  if (c.rolloutThread && c.learnerThreads !== 1) ctx.addIssue({ code: 'custom', path: ['rolloutThread'], message: 'rolloutThread needs learnerThreads: 1 (both use the second core)' });
});

/** A validated, frozen PPO config. */
export type PpoConfig = Readonly<z.output<typeof PpoConfigSchema>>;
export type PpoConfigInput = z.input<typeof PpoConfigSchema>;

/** A bad PPO config; the message names each bad field and what is allowed. */
export class PpoConfigError extends Error {
  override readonly name = 'PpoConfigError';
}

/** Validates a PPO config and fills in defaults. @throws PpoConfigError, e.g. `learningRate = -1: Too small: expected number to be >0`. */
export function parsePpoConfig(input: unknown, source = 'ppo config'): PpoConfig {
  const res = PpoConfigSchema.safeParse(input ?? {});
  if (!res.success) {
    const lines = res.error.issues.map((issue) => {
      let got = input as unknown;
      for (const key of issue.path) got = (got as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
      const shown = issue.code === 'unrecognized_keys' ? '' : ` = ${JSON.stringify(got)}`;
      return `${issue.path.join('.') || '(root)'}${shown}: ${issue.message}`;
    });
    throw new PpoConfigError(`invalid ${source}: ${lines.join('; ')}`);
  }
  return Object.freeze(res.data);
}
