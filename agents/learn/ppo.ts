/**
 * Proximal Policy Optimization (Schulman et al. 2017), in the shape of CleanRL's `ppo.py`, for many agents per
 * world. Sections: config, rollout, advantages (GAE), update, logging.
 *
 * Multi-agent: every (env, agent) pair is a slot of a {@link VectorEnv}. `policy: 'shared'` trains one network on
 * every slot (optionally told which agent it drives, `agentIdInput`); `policy: 'per-agent'` trains one network per
 * agent on that agent's slots. Env steps count steps of one environment (all its agents act once).
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { AgentId, AgentInfo } from '../../core/parallel-env.js';
import { Rng } from '../../core/rng.js';
import type { RngState } from '../../core/rng.js';
import { getAdamState, setAdamState } from './adam-state.js';
import type { AdamState } from './adam-state.js';
import { BackendNameSchema, initBackend } from './backend.js';
import type { BackendInfo } from './backend.js';
import { ActorCritic } from './networks/actor-critic.js';
import { networkInput } from './networks/network-input.js';
import { ObservationEncoder } from './observation-encoder.js';
import { PolicyController } from './policy-controller.js';
import type { DiscreteEnv, EpisodeStats, VectorEnvState } from './rollout/vector-env.js';
import { VectorEnv } from './rollout/vector-env.js';
import { WorkerVectorEnv } from './rollout/worker-vector-env.js';
import type { RolloutEnv } from './rollout/worker-vector-env.js';
import type { WorkerEnvSpec } from './rollout/worker-protocol.js';
import { explainedVariance, normalise, sampleAction } from './rollout/sampling.js';
import { smdpGae } from '../hrl/smdp.js';

// ---------------------------------------------------------------- config

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

// ---------------------------------------------------------------- advantages

/**
 * Generalised advantage estimation over `[T, N]` arrays (row t holds every slot at step t). `dones[t, n] = 1` when
 * slot n's episode ended with step t (or the slot was not live), so nothing is bootstrapped across it;
 * `lastValues` are V of the observations after step T-1. Returns advantages and returns (advantages + values).
 */
export function gae(rewards: Float32Array, values: Float32Array, dones: Uint8Array, lastValues: Float32Array, T: number, N: number, gamma: number, lambda: number): { advantages: Float32Array; returns: Float32Array } {
  const advantages = new Float32Array(T * N);
  const returns = new Float32Array(T * N);
  for (let n = 0; n < N; n++) {
    let next = 0;
    for (let t = T - 1; t >= 0; t--) {
      const i = t * N + n;
      const nonTerminal = 1 - (dones[i] as number);
      const nextValue = t === T - 1 ? (lastValues[n] as number) : (values[i + N] as number);
      const delta = (rewards[i] as number) + gamma * nextValue * nonTerminal - (values[i] as number);
      next = delta + gamma * lambda * nonTerminal * next;
      advantages[i] = next;
      returns[i] = next + (values[i] as number);
    }
  }
  return { advantages, returns };
}

/** Mean of each numeric episode metric over the episodes that report it. */
function meanMetrics(episodes: readonly EpisodeStats[]): Record<string, number> {
  const sum: Record<string, number> = {};
  const n: Record<string, number> = {};
  for (const e of episodes) {
    for (const [k, v] of Object.entries(e.metrics)) {
      if (!Number.isFinite(v)) continue;
      sum[k] = (sum[k] ?? 0) + v;
      n[k] = (n[k] ?? 0) + 1;
    }
  }
  return Object.fromEntries(Object.keys(sum).sort().map((k) => [k, (sum[k] as number) / (n[k] as number)]));
}

// ---------------------------------------------------------------- trainer

/** What one update (rollout + optimisation) did; one line of `metrics.jsonl`. */
export interface PpoUpdateStats {
  readonly update: number;
  readonly envSteps: number;
  readonly learningRate: number;
  readonly policyLoss: number;
  readonly valueLoss: number;
  readonly entropy: number;
  readonly approxKl: number;
  readonly clipFraction: number;
  readonly explainedVariance: number;
  /** Episodes finished during this rollout, their mean per-agent return, length and `success` metric (NaN if none). */
  readonly episodes: number;
  readonly meanReturn: number;
  readonly meanLength: number;
  readonly successRate: number;
  /** Mean over this rollout's finished episodes of each metric the world reports (`intrinsic/*`, `extrinsic`, achievements, ...). */
  readonly episodeMetrics: Readonly<Record<string, number>>;
}

/**
 * Everything PPO needs to continue exactly after an update (a checkpoint): counters, the run's generator, the
 * envs (seed streams and the current episodes' actions, see `VectorEnvState`), and each policy's weights and Adam
 * state. Taken between updates, so no rollout is half done.
 */
export interface PpoState {
  readonly updates: number;
  readonly envSteps: number;
  readonly rng: RngState;
  readonly vec: VectorEnvState;
  readonly policies: readonly { readonly weights: readonly Float32Array[]; readonly adam: AdamState }[];
}

/** The parts of PPO's state that a policy group (one network and its slots) owns. */
interface Group {
  readonly net: ActorCritic;
  readonly optimizer: tf.AdamOptimizer;
  readonly firstSlot: number;
  readonly slotCount: number;
}

/**
 * PPO over copies of one world. Build it after `initBackend` (pass its result), then `train()` or call
 * `iterate()` per update. `controller(agent)` gives a core `Controller` running the trained policy.
 *
 * @example
 * const backend = await initBackend('wasm');
 * const ppo = new Ppo({ makeEnv: () => createNavigationEnv({ layout: 'open-room' }), config: { totalSteps: 1e5 }, rng: Rng.fromSeed(1), backend });
 * ppo.train((s) => console.log(s.update, s.successRate));
 */
export class Ppo<Obs = unknown, Info extends AgentInfo = AgentInfo> {
  readonly config: PpoConfig;
  readonly encoder: ObservationEncoder;
  readonly vec: RolloutEnv;
  readonly input: 'dense' | 'embedding-bag';
  /** Updates the run will make: `floor(totalSteps / (numEnvs * numSteps))`. */
  readonly numUpdates: number;
  private readonly groups: Group[];
  private rng: Rng;
  private readonly width: number;
  private readonly backend: BackendInfo;
  private updates = 0;
  private envSteps = 0;
  /** Episodes that ended during the last update's rollout (with the world's `episodeMetrics()`). */
  lastEpisodes: readonly EpisodeStats[] = [];
  /** Value targets of the last rollout (advantages + values), `[numSteps, slots]` row-major: for diagnostics and tests. */
  lastReturns: Float32Array = new Float32Array(0);
  /** Wall-clock split of the last update (not part of the stats, which are deterministic by seed). */
  lastTimings = { rolloutMs: 0, updateMs: 0 };
  // Rollout storage, [T, slots] row-major.
  private readonly buf: { obs: Float32Array | null; idx: Int32Array | null; val: Float32Array | null; actions: Int32Array; logp: Float32Array; values: Float32Array; rewards: Float32Array; dones: Uint8Array; valid: Uint8Array; maskBias: Float32Array; optionSteps: Int32Array };
  /** Whether the last rollout's env reported option lengths (a manager's world): its advantages are semi-MDP. */
  private smdp = false;

  /**
   * `workers` > 0 steps the envs in that many worker threads, each building its envs from `workerEnv` (a module
   * and export, since `makeEnv` cannot cross threads); the stats are the same for every worker count.
   */
  constructor(opts: { makeEnv: (index: number) => DiscreteEnv<Obs, Info>; config?: unknown; rng: Rng; backend: BackendInfo; workers?: number; workerEnv?: WorkerEnvSpec }) {
    const c = (this.config = parsePpoConfig(opts.config));
    if (c.backend !== 'auto' && c.backend !== opts.backend.backend) {
      throw new PpoConfigError(`ppo config asks for backend "${c.backend}" but "${opts.backend.backend}" is running: use Ppo.create, or initBackend("${c.backend}") first`);
    }
    this.rng = opts.rng;
    this.backend = opts.backend;
    const workers = opts.workers ?? 0;
    if (workers > 0 && !opts.workerEnv) throw new PpoConfigError('workers > 0 needs workerEnv (the module and export that build an env in a worker thread)');
    // With workers, this thread keeps one env only to read the spaces.
    const envs = Array.from({ length: workers > 0 ? 1 : c.numEnvs }, (_, i) => opts.makeEnv(i));
    const first = envs[0] as DiscreteEnv<Obs, Info>;
    const agents = first.possibleAgents;
    const encoderOptions = {
      maxCategories: c.maxCategories,
      ...(c.observationKeys ? { keys: c.observationKeys } : {}),
      ...(c.agentIdInput && c.policy === 'shared' ? { agentIds: agents.length } : {}),
      ...(c.bagSize ? { bagSize: c.bagSize } : {}),
    };
    const encoder = new ObservationEncoder(first.observationSpace(agents[0] as AgentId), encoderOptions);
    this.encoder = encoder;
    // A bag of categories (all values 1) reads only the active weight rows with one segment-sum kernel; with
    // weighted entries it needs tfjs's gather, ~30x slower on wasm than the dense matMul (README), so auto picks
    // the bag only for sparse categorical inputs.
    const sparse = encoder.unitValues && encoder.bagSize * 4 <= encoder.size;
    this.input = c.firstLayer === 'auto' ? (sparse ? 'embedding-bag' : 'dense') : c.firstLayer;
    this.width = this.input === 'dense' ? encoder.size : encoder.bagSize;
    if (workers > 0) {
      const space = first.actionSpace(agents[0] as AgentId);
      if (space.kind !== 'discrete') throw new TypeError(`PPO needs a discrete action space, got ${space.kind}`);
      this.vec = new WorkerVectorEnv({ spec: opts.workerEnv as WorkerEnvSpec, numEnvs: c.numEnvs, workers, possibleAgents: agents, actions: space.n, encoder, encoderOptions, input: this.input, rng: this.rng.fork('envs') });
    } else this.vec = new VectorEnv(envs, encoder, this.input, this.rng.fork('envs'));
    this.numUpdates = Math.max(1, Math.floor(c.totalSteps / (c.numEnvs * c.numSteps)));
    const custom = c.customGradients === 'auto' ? opts.backend.customGradients : c.customGradients === 'on';
    const spec = { input: this.input, inputSize: encoder.size, bagSize: encoder.bagSize, unitValues: encoder.unitValues, hidden: c.hidden, activation: c.activation, actions: this.vec.actions, customGradients: custom };
    const nGroups = c.policy === 'shared' ? 1 : agents.length;
    const per = this.vec.slots / nGroups;
    this.groups = Array.from({ length: nGroups }, (_, g) => ({
      net: new ActorCritic(spec, this.rng.fork(`policy-${g}`)),
      // eps 1e-5 as in CleanRL's PPO (tfjs's default is 1e-7).
      optimizer: tf.train.adam(c.learningRate, 0.9, 0.999, 1e-5),
      firstSlot: g * per,
      slotCount: per,
    }));
    const n = c.numSteps * this.vec.slots;
    this.buf = {
      obs: this.input === 'dense' ? new Float32Array(n * this.width) : null,
      idx: this.input === 'dense' ? null : new Int32Array(n * this.width),
      val: this.input === 'dense' ? null : new Float32Array(n * this.width),
      actions: new Int32Array(n),
      logp: new Float32Array(n),
      values: new Float32Array(n),
      rewards: new Float32Array(n),
      dones: new Uint8Array(n),
      valid: new Uint8Array(n),
      maskBias: new Float32Array(n * this.vec.actions),
      optionSteps: new Int32Array(n),
    };
    this.vec.reset();
  }

  /** Starts the config's backend (`initBackend`, which prints it), then builds the trainer. */
  static async create<O, I extends AgentInfo>(opts: { makeEnv: (index: number) => DiscreteEnv<O, I>; config?: unknown; rng: Rng; quiet?: boolean }): Promise<Ppo<O, I>> {
    const config = parsePpoConfig(opts.config);
    const backend = await initBackend(config.backend, { quiet: opts.quiet ?? false });
    return new Ppo({ makeEnv: opts.makeEnv, config, rng: opts.rng, backend });
  }

  /** The config as run, with the backend that actually ran: write it at the start of a run. */
  get runConfig(): Readonly<Record<string, unknown>> {
    return { ...this.config, backend: { requested: this.backend.requested, used: this.backend.backend }, firstLayer: this.input, customGradients: this.groups[0]?.net.spec.customGradients, numUpdates: this.numUpdates };
  }

  /** Updates done so far. */
  get updatesDone(): number {
    return this.updates;
  }

  /** Env steps done so far. */
  get envStepsDone(): number {
    return this.envSteps;
  }

  /** Number of policies: 1 when shared, one per agent otherwise. */
  get policyCount(): number {
    return this.groups.length;
  }

  /** A copy of the training state between two updates (see {@link PpoState}). */
  getState(): PpoState {
    return {
      updates: this.updates,
      envSteps: this.envSteps,
      rng: this.rng.getState(),
      vec: this.vec.snapshot(),
      policies: this.groups.map((g) => ({ weights: g.net.getWeights(), adam: getAdamState(g.optimizer) })),
    };
  }

  /** Continues from `state` (taken by {@link getState} of a trainer with the same config and world). */
  setState(state: PpoState): void {
    if (state.policies.length !== this.groups.length) throw new RangeError(`checkpoint holds ${state.policies.length} policies, this trainer has ${this.groups.length}`);
    this.groups.forEach((g, i) => {
      const p = state.policies[i] as PpoState['policies'][number];
      g.net.setWeights(p.weights);
      setAdamState(g.optimizer, g.net.variables, p.adam);
    });
    this.rng = Rng.fromState(state.rng);
    this.vec.restore(state.vec);
    this.updates = state.updates;
    this.envSteps = state.envSteps;
  }

  /** Network of policy group `g` (0 for a shared policy; the agent's index for per-agent policies). */
  network(g = 0): ActorCritic {
    const group = this.groups[g];
    if (!group) throw new RangeError(`no policy ${g} (there are ${this.groups.length})`);
    return group.net;
  }

  /** A core Controller acting with the policy of `agent` (greedy = most likely legal action). */
  controller(agent: AgentId, opts: { greedy?: boolean } = {}): PolicyController {
    const i = this.vec.possibleAgents.indexOf(agent);
    if (i < 0) throw new RangeError(`unknown agent "${agent}"`);
    return new PolicyController(this.network(this.groups.length === 1 ? 0 : i), this.encoder, {
      agents: this.vec.possibleAgents,
      input: this.input,
      useActionMask: this.config.useActionMask,
      greedy: opts.greedy ?? false,
    });
  }

  /** Runs updates until `totalSteps`; `onUpdate` sees each update's stats. */
  train(onUpdate?: (stats: PpoUpdateStats) => void): void {
    while (this.updates < this.numUpdates) {
      const stats = this.iterate();
      onUpdate?.(stats);
    }
  }

  /** One update: a rollout of `numSteps`, then `updateEpochs` passes of minibatch gradient steps. */
  iterate(): PpoUpdateStats {
    const c = this.config;
    const lr = c.lrSchedule === 'linear' ? c.learningRate * Math.max(0, 1 - this.updates / this.numUpdates) : c.learningRate;
    // tfjs's Adam reads its (protected) learningRate on every step.
    for (const g of this.groups) (g.optimizer as unknown as { learningRate: number }).learningRate = lr;
    const t0 = performance.now();
    const { episodes, lastValues } = this.rollout();
    this.lastEpisodes = episodes;
    const t1 = performance.now();
    // A manager's world reports how many env steps each decision lasted (`infos[a].optionSteps`): the discount
    // between decisions is then gamma^k (semi-MDP); otherwise plain GAE, unchanged.
    const { advantages, returns } = this.smdp
      ? smdpGae(this.buf.rewards, this.buf.values, this.buf.dones, this.buf.optionSteps, lastValues, c.numSteps, this.vec.slots, c.gamma, c.gaeLambda)
      : gae(this.buf.rewards, this.buf.values, this.buf.dones, lastValues, c.numSteps, this.vec.slots, c.gamma, c.gaeLambda);
    this.lastReturns = returns;
    const losses = this.optimise(advantages, returns);
    this.lastTimings = { rolloutMs: t1 - t0, updateMs: performance.now() - t1 };
    this.updates++;
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
    return {
      update: this.updates,
      envSteps: this.envSteps,
      learningRate: lr,
      ...losses,
      explainedVariance: explainedVariance(this.buf.values, returns, this.buf.valid),
      episodes: episodes.length,
      meanReturn: mean(episodes.map((e) => mean([...e.returns]))),
      meanLength: mean(episodes.map((e) => e.length)),
      successRate: mean(episodes.filter((e) => e.metrics.success !== undefined).map((e) => e.metrics.success as number)),
      episodeMetrics: meanMetrics(episodes),
    };
  }

  /** Frees every network and optimizer, and stops env worker threads. */
  dispose(): void {
    this.vec.close?.();
    for (const g of this.groups) {
      g.net.dispose();
      g.optimizer.dispose();
    }
  }

  // ---------------------------------------------------------------- rollout

  private rollout(): { episodes: EpisodeStats[]; lastValues: Float32Array } {
    const c = this.config;
    const { vec, buf, width } = this;
    const S = vec.slots;
    const A = vec.actions;
    const episodes: EpisodeStats[] = [];
    const actions = new Int32Array(S);
    this.smdp = false;
    for (let t = 0; t < c.numSteps; t++) {
      const row = t * S;
      if (buf.obs) buf.obs.set(vec.obs.dense as Float32Array, row * width);
      else {
        (buf.idx as Int32Array).set(vec.obs.idx as Int32Array, row * width);
        (buf.val as Float32Array).set(vec.obs.val as Float32Array, row * width);
      }
      buf.valid.set(vec.live, row);
      for (let s = 0; s < S; s++) {
        const off = (row + s) * A;
        for (let a = 0; a < A; a++) buf.maskBias[off + a] = c.useActionMask && vec.masks[s * A + a] === 0 ? -1e9 : 0;
      }
      this.infer(vec.obs, (g, head, values) => {
        for (let k = 0; k < g.slotCount; k++) {
          const s = g.firstSlot + k;
          const [a, logp] = sampleAction(head, k * (A + 1), A, buf.maskBias, (row + s) * A, this.rng);
          actions[s] = a;
          buf.actions[row + s] = a;
          buf.logp[row + s] = logp;
          buf.values[row + s] = values[k] as number;
        }
      });
      const res = vec.step(actions);
      this.envSteps += vec.numEnvs;
      if (res.optionSteps) {
        this.smdp = true;
        buf.optionSteps.set(res.optionSteps, row);
      } else buf.optionSteps.fill(1, row, row + S);
      for (let s = 0; s < S; s++) {
        buf.rewards[row + s] = res.rewards[s] as number;
        buf.dones[row + s] = buf.valid[row + s] === 0 || res.terminated[s] === 1 || res.truncated[s] === 1 ? 1 : 0;
      }
      if (c.bootstrapTruncation && res.truncatedSlots.length > 0) {
        this.infer(vec.finalObs, (g, _head, values) => {
          for (const s of res.truncatedSlots) {
            if (s >= g.firstSlot && s < g.firstSlot + g.slotCount) buf.rewards[row + s] = (buf.rewards[row + s] as number) + c.gamma ** (buf.optionSteps[row + s] as number) * (values[s - g.firstSlot] as number);
          }
        });
      }
      episodes.push(...res.episodes);
    }
    const lastValues = new Float32Array(S);
    this.infer(vec.obs, (g, _head, values) => lastValues.set(values, g.firstSlot));
    return { episodes, lastValues };
  }

  /**
   * One forward pass per policy group over its slots of `obs`; `use` gets the head's output (row k: the logits of
   * the group's k-th slot, then its value, so a row is `actions + 1` long) and the values alone.
   */
  private infer(obs: { dense: Float32Array | null; idx: Int32Array | null; val: Float32Array | null }, use: (g: Group, head: Float32Array, values: Float32Array) => void): void {
    const w = this.width;
    const A = this.vec.actions;
    for (const g of this.groups) {
      const from = g.firstSlot * w;
      const to = from + g.slotCount * w;
      const out = tf.tidy(() => {
        const input = networkInput(this.input, g.slotCount, w, obs.dense?.subarray(from, to) ?? null, obs.idx?.subarray(from, to) ?? null, obs.val?.subarray(from, to) ?? null);
        return g.net.head(input).dataSync() as Float32Array;
      });
      const values = new Float32Array(g.slotCount);
      for (let k = 0; k < g.slotCount; k++) values[k] = out[k * (A + 1) + A] as number;
      use(g, out, values);
    }
  }

  // ---------------------------------------------------------------- update

  private optimise(advantages: Float32Array, returns: Float32Array): { policyLoss: number; valueLoss: number; entropy: number; approxKl: number; clipFraction: number } {
    const c = this.config;
    const { buf, width: w, vec } = this;
    const A = vec.actions;
    const S = vec.slots;
    const sums = [0, 0, 0, 0, 0];
    let count = 0;
    for (const g of this.groups) {
      const samples: number[] = [];
      for (let t = 0; t < c.numSteps; t++) {
        for (let k = 0; k < g.slotCount; k++) if (buf.valid[t * S + g.firstSlot + k]) samples.push(t * S + g.firstSlot + k);
      }
      if (samples.length === 0) continue;
      const mbSize = Math.ceil(samples.length / c.numMinibatches);
      epochs: for (let epoch = 0; epoch < c.updateEpochs; epoch++) {
        this.rng.shuffle(samples);
        for (let start = 0; start < samples.length; start += mbSize) {
          const mb = samples.slice(start, start + mbSize);
          const stats = this.step(g, mb, advantages, returns, w, A);
          stats.forEach((v, i) => (sums[i] = (sums[i] as number) + v));
          count++;
          if (c.targetKl !== undefined && (stats[3] as number) > c.targetKl) break epochs;
        }
      }
    }
    const avg = (i: number) => (count ? (sums[i] as number) / count : NaN);
    return { policyLoss: avg(0), valueLoss: avg(1), entropy: avg(2), approxKl: avg(3), clipFraction: avg(4) };
  }

  /** One gradient step of the PPO loss on minibatch `mb` (sample indices); returns [pg, v, entropy, kl, clipfrac]. */
  private step(g: Group, mb: number[], advantages: Float32Array, returns: Float32Array, w: number, A: number): number[] {
    const c = this.config;
    const { buf } = this;
    const n = mb.length;
    const dense = buf.obs ? new Float32Array(n * w) : null;
    const idx = buf.idx ? new Int32Array(n * w) : null;
    const val = buf.val ? new Float32Array(n * w) : null;
    const act = new Int32Array(n);
    const oldLogp = new Float32Array(n);
    const oldV = new Float32Array(n);
    const ret = new Float32Array(n);
    const adv = new Float32Array(n);
    const bias = new Float32Array(n * A);
    mb.forEach((i, r) => {
      if (dense) dense.set((buf.obs as Float32Array).subarray(i * w, (i + 1) * w), r * w);
      if (idx) idx.set((buf.idx as Int32Array).subarray(i * w, (i + 1) * w), r * w);
      if (val) val.set((buf.val as Float32Array).subarray(i * w, (i + 1) * w), r * w);
      act[r] = buf.actions[i] as number;
      oldLogp[r] = buf.logp[i] as number;
      oldV[r] = buf.values[i] as number;
      ret[r] = returns[i] as number;
      adv[r] = advantages[i] as number;
      bias.set(buf.maskBias.subarray(i * A, (i + 1) * A), r * A);
    });
    if (c.normAdvantages && n > 1) normalise(adv);
    let stats: tf.Tensor | null = null;
    tf.tidy(() => {
      const input = networkInput(this.input, n, w, dense, idx, val);
      const tAct = tf.oneHot(tf.tensor1d(act, 'int32'), A);
      const tOldLogp = tf.tensor1d(oldLogp);
      const tOldV = tf.tensor1d(oldV);
      const tRet = tf.tensor1d(ret);
      const tAdv = tf.tensor1d(adv);
      const tBias = tf.tensor2d(bias, [n, A]);
      const lossFn = (): tf.Scalar => {
        const { logits, value } = g.net.forward(input);
        const logp = tf.logSoftmax(tf.add(logits, tBias));
        const newLogp = tf.sum(tf.mul(logp, tAct), 1);
        const logRatio = tf.sub(newLogp, tOldLogp);
        const ratio = tf.exp(logRatio);
        const pg = tf.mean(tf.maximum(tf.mul(tf.neg(tAdv), ratio), tf.mul(tf.neg(tAdv), tf.clipByValue(ratio, 1 - c.clipCoef, 1 + c.clipCoef))));
        let vLoss: tf.Scalar;
        if (c.clipValueLoss) {
          const vClipped = tf.add(tOldV, tf.clipByValue(tf.sub(value, tOldV), -c.clipCoef, c.clipCoef));
          vLoss = tf.mul(0.5, tf.mean(tf.maximum(tf.squaredDifference(value, tRet), tf.squaredDifference(vClipped, tRet))));
        } else vLoss = tf.mul(0.5, tf.mean(tf.squaredDifference(value, tRet)));
        const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1)));
        // CleanRL's approx_kl: mean((ratio - 1) - log ratio), and the share of clipped ratios.
        const kl = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio));
        const clipFrac = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), c.clipCoef), 'float32'));
        stats = tf.keep(tf.stack([pg, vLoss, entropy, kl, clipFrac]));
        return tf.add(tf.sub(pg, tf.mul(c.entCoef, entropy)), tf.mul(c.vfCoef, vLoss)) as tf.Scalar;
      };
      const { grads } = tf.variableGrads(lossFn, g.net.variables);
      const names = Object.keys(grads);
      const norm = tf.sqrt(tf.addN(names.map((k) => tf.sum(tf.square(grads[k] as tf.Tensor)))));
      const scale = tf.minimum(1, tf.div(c.maxGradNorm, tf.add(norm, 1e-6)));
      const clipped: Record<string, tf.Tensor> = {};
      for (const k of names) clipped[k] = tf.mul(grads[k] as tf.Tensor, scale);
      g.optimizer.applyGradients(clipped as Parameters<tf.AdamOptimizer["applyGradients"]>[0]);
    });
    const out = Array.from((stats as unknown as tf.Tensor).dataSync());
    (stats as unknown as tf.Tensor).dispose();
    return out;
  }
}
