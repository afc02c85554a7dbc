/**
 * Proximal Policy Optimization (Schulman et al. 2017), in the shape of CleanRL's `ppo.py`, for many agents per
 * world. Sections: config, rollout, advantages (GAE), update, logging.
 *
 * Multi-agent: every (env, agent) pair is a slot of a {@link VectorEnv}. `policy: 'shared'` trains one network on
 * every slot (optionally told which agent it drives, `agentIdInput`); `policy: 'per-agent'` trains one network per
 * agent on that agent's slots. Env steps count steps of one environment (all its agents act once).
 */
import * as tf from '@tensorflow/tfjs';
import type { AgentId, AgentInfo } from '../../core/parallel-env.js';
import { Rng } from '../../core/rng.js';
import type { RngState } from '../../core/rng.js';
import { getAdamState, setAdamState } from './adam-state.js';
import type { AdamState } from './adam-state.js';
import { initBackend } from './backend.js';
import type { BackendInfo } from './backend.js';
import { ActorCritic } from './networks/actor-critic.js';
import { headOutput, headValues } from './networks/network-input.js';
import { applyClipped, lossGradients, shardGradientsInto, shardOf } from './learner/ppo-loss.js';
import type { Minibatch } from './learner/ppo-loss.js';
import { ShardLearner } from './learner/shard-learner.js';
import { proximalLogp } from './learner/proximal-logp.js';
import { ObservationEncoder } from './observation-encoder.js';
import { PolicyController } from './policy-controller.js';
import type { DiscreteEnv, EpisodeStats, VectorEnvState } from './rollout/vector-env.js';
import { VectorEnv } from './rollout/vector-env.js';
import { WorkerVectorEnv } from './rollout/worker-vector-env.js';
import type { RolloutEnv } from './rollout/worker-vector-env.js';
import type { WorkerEnvSpec } from './rollout/worker-protocol.js';
import { allocRolloutBuffers, collectRollout } from './rollout/collect-rollout.js';
import type { RolloutBuffers } from './rollout/collect-rollout.js';
import { RolloutThread } from './rollout/rollout-thread.js';
import { explainedVariance, normalise } from './rollout/sampling.js';
import { smdpGae } from '../hrl/smdp.js';
import { PpoConfigError, parsePpoConfig } from './ppo-config.js';
import type { PpoConfig } from './ppo-config.js';

// ---------------------------------------------------------------- config (ppo-config.ts)

export { PpoConfigError, PpoConfigSchema, parsePpoConfig } from './ppo-config.js';
export type { PpoConfig, PpoConfigInput } from './ppo-config.js';

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
  /** With `rolloutThread`: the envs where the next rollout (the one in flight, if any) starts. */
  readonly vec: VectorEnvState;
  /**
   * Each policy's weights and Adam state; with `rolloutThread`, also the `behaviour` weights the next rollout is
   * collected with (the weights before the last update).
   */
  readonly policies: readonly { readonly weights: readonly Float32Array[]; readonly adam: AdamState; readonly behaviour?: readonly Float32Array[] }[];
  /** With `rolloutThread`: the rollout thread's sampling stream where the next rollout starts. */
  readonly rolloutRng?: RngState;
}

/** The shape of a trainer's vector of envs (the envs themselves may live in other threads). */
export type VectorShape = Pick<RolloutEnv, 'numEnvs' | 'agentsPerEnv' | 'slots' | 'actions' | 'possibleAgents'>;

/** Adam's constants; eps 1e-5 as in CleanRL's PPO (tfjs's default is 1e-7). */
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-5 } as const;

/** The parts of PPO's state that a policy group (one network and its slots) owns. */
interface Group {
  readonly net: ActorCritic;
  /** Unused with `learnerThreads: 2`: the learner's split Adam holds the state then. */
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
  /** The vector of envs' shape (slots are agent-major: `slot = agent * numEnvs + env`). */
  readonly vec: VectorShape;
  readonly input: 'dense' | 'embedding-bag';
  /** Updates the run will make: `floor(totalSteps / (numEnvs * numSteps))`. */
  readonly numUpdates: number;
  private readonly groups: Group[];
  /** The envs when this thread steps them (directly or through env workers); null with `rolloutThread`. */
  private readonly env: RolloutEnv | null;
  /** The pipelined rollout's thread (`rolloutThread`), else null. */
  private readonly pipe: RolloutThread | null;
  /** With `rolloutThread` and no rollout in flight: the behaviour weights of the next one (null: the current weights). */
  private behaviour: Float32Array[][] | null = null;
  private rng: Rng;
  private readonly width: number;
  private readonly backend: BackendInfo;
  private updates = 0;
  private envSteps = 0;
  /** Episodes that ended during the last update's rollout (with the world's `episodeMetrics()`). */
  lastEpisodes: readonly EpisodeStats[] = [];
  /** Value targets of the last rollout (advantages + values), `[numSteps, slots]` row-major: for diagnostics and tests. */
  lastReturns: Float32Array = new Float32Array(0);
  /**
   * Wall-clock split of the last update (not part of the stats, which are deterministic by seed). `secondHalfMs`:
   * with `learnerThreads: 2` and `learnerThread: false`, the part of both that computed the second half in this
   * thread (the work a learner worker takes off it: the second gradient shard, inference half and Adam half).
   * With `rolloutThread`, `rolloutMs` is the time this thread waited for the rollout (what the overlap did not hide)
   * and `proximalMs` the proximal policy's forward pass (`pipelineRatio: 'proximal'`).
   */
  lastTimings = { rolloutMs: 0, proximalMs: 0, updateMs: 0, secondHalfMs: 0 };
  /** Rollout storage, [T, slots] row-major (with `rolloutThread`, the arrays the thread sent last). */
  private buf: RolloutBuffers;
  /** Whether the last rollout's env reported option lengths (a manager's world): its advantages are semi-MDP. */
  private smdp = false;
  /** `pipelineRatio: 'proximal'`: the current policy's log-prob of each action of the last rollout, and pi_prox / pi_behaviour. */
  private prox: { logp: Float32Array; weight: Float32Array } | null = null;
  /** The second half of the network's work with `learnerThreads: 2` (a worker thread's replica), else null. */
  private readonly learner: ShardLearner | null;
  /** This update's learning rate. */
  private lr = 0;

  /**
   * `workers` > 0 steps the envs in that many worker threads, each building its envs from `workerEnv` (a module
   * and export, since `makeEnv` cannot cross threads); the stats are the same for every worker count.
   * With `config.learnerThreads: 2`, `learnerThread: false` computes the second half of the network's work in this
   * thread instead of a worker (the same numbers on one core; native backends always do).
   * With `config.rolloutThread`, the envs are built from `workerEnv` in the rollout thread (`workers` must be 0).
   */
  constructor(opts: { makeEnv: (index: number) => DiscreteEnv<Obs, Info>; config?: unknown; rng: Rng; backend: BackendInfo; workers?: number; workerEnv?: WorkerEnvSpec; learnerThread?: boolean }) {
    const c = (this.config = parsePpoConfig(opts.config));
    if (c.backend !== 'auto' && c.backend !== opts.backend.backend) {
      throw new PpoConfigError(`ppo config asks for backend "${c.backend}" but "${opts.backend.backend}" is running: use Ppo.create, or initBackend("${c.backend}") first`);
    }
    this.rng = opts.rng;
    this.backend = opts.backend;
    const workers = opts.workers ?? 0;
    if (workers > 0 && !opts.workerEnv) throw new PpoConfigError('workers > 0 needs workerEnv (the module and export that build an env in a worker thread)');
    if (c.rolloutThread && !opts.workerEnv) throw new PpoConfigError('rolloutThread needs workerEnv (the module and export that build an env in the rollout thread)');
    if (c.rolloutThread && workers > 0) throw new PpoConfigError(`rolloutThread steps the envs in its own thread: set workers to 0 (got ${workers})`);
    // With workers or a rollout thread, this thread keeps one env only to read the spaces.
    const remote = workers > 0 || c.rolloutThread;
    const envs = Array.from({ length: remote ? 1 : c.numEnvs }, (_, i) => opts.makeEnv(i));
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
    const space = first.actionSpace(agents[0] as AgentId);
    if (space.kind !== 'discrete') throw new TypeError(`PPO needs a discrete action space, got ${space.kind}`);
    if (c.rolloutThread) {
      this.env = null;
      this.vec = { numEnvs: c.numEnvs, agentsPerEnv: agents.length, slots: c.numEnvs * agents.length, actions: space.n, possibleAgents: agents };
    } else {
      this.env = workers > 0
        ? new WorkerVectorEnv({ spec: opts.workerEnv as WorkerEnvSpec, numEnvs: c.numEnvs, workers, possibleAgents: agents, actions: space.n, encoder, encoderOptions, input: this.input, rng: this.rng.fork('envs') })
        : new VectorEnv(envs, encoder, this.input, this.rng.fork('envs'));
      this.vec = this.env;
    }
    this.numUpdates = Math.max(1, Math.floor(c.totalSteps / (c.numEnvs * c.numSteps)));
    const custom = c.customGradients === 'auto' ? opts.backend.customGradients : c.customGradients === 'on';
    const spec = { input: this.input, inputSize: encoder.size, bagSize: encoder.bagSize, unitValues: encoder.unitValues, hidden: c.hidden, activation: c.activation, actions: this.vec.actions, customGradients: custom };
    const nGroups = c.policy === 'shared' ? 1 : agents.length;
    const per = this.vec.slots / nGroups;
    this.groups = Array.from({ length: nGroups }, (_, g) => ({
      net: new ActorCritic(spec, this.rng.fork(`policy-${g}`)),
      optimizer: tf.train.adam(c.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon),
      firstSlot: g * per,
      slotCount: per,
    }));
    const n = c.numSteps * this.vec.slots;
    if (c.learnerThreads === 2) {
      const wasmOrCpu = opts.backend.backend === 'wasm' || opts.backend.backend === 'cpu';
      // Rows of the largest second shard, or of the second half of a group's slots at inference.
      const maxRows = Math.max(Math.ceil((c.numSteps * per) / c.numMinibatches), per);
      this.learner = new ShardLearner({ nets: this.groups.map((g) => g.net), width: this.width, maxRows, coefs: c, adam: ADAM, backend: opts.backend.backend, thread: wasmOrCpu && (opts.learnerThread ?? true) });
    } else this.learner = null;
    this.buf = allocRolloutBuffers(n, this.width, this.vec.actions, this.input);
    if (c.rolloutThread) {
      this.pipe = new RolloutThread({
        backend: opts.backend.backend, env: opts.workerEnv as WorkerEnvSpec, numEnvs: c.numEnvs, encoder: encoderOptions, input: this.input,
        envRng: this.rng.fork('envs').getState(), rolloutRng: this.rng.fork('rollout').getState(), spec,
        groups: this.groups.map((g) => ({ firstSlot: g.firstSlot, slotCount: g.slotCount })),
        settings: { numSteps: c.numSteps, gamma: c.gamma, useActionMask: c.useActionMask, bootstrapTruncation: c.bootstrapTruncation },
      }, this.groups.map((g) => g.net.variables.map((v) => v.size)));
    } else this.pipe = null;
    this.env?.reset();
  }

  /** Starts the config's backend (`initBackend`, which prints it), then builds the trainer (`workerEnv` for `rolloutThread`). */
  static async create<O, I extends AgentInfo>(opts: { makeEnv: (index: number) => DiscreteEnv<O, I>; config?: unknown; rng: Rng; quiet?: boolean; workerEnv?: WorkerEnvSpec }): Promise<Ppo<O, I>> {
    const config = parsePpoConfig(opts.config);
    const backend = await initBackend(config.backend, { quiet: opts.quiet ?? false });
    return new Ppo({ makeEnv: opts.makeEnv, config, rng: opts.rng, backend, ...(opts.workerEnv && { workerEnv: opts.workerEnv }) });
  }

  /** The config as run, with the backend that actually ran: write it at the start of a run. */
  get runConfig(): Readonly<Record<string, unknown>> {
    return { ...this.config, backend: { requested: this.backend.requested, used: this.backend.backend }, firstLayer: this.input, customGradients: this.groups[0]?.net.spec.customGradients, numUpdates: this.numUpdates, ...(this.learner && { learnerWorker: this.learner.thread }) };
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
    // A rollout in flight is part of the state: where its envs and sampling stream started, and its weights (it is
    // collected again, identically, after a restore).
    const pos = this.pipe?.position();
    const inFlight = this.pipe?.behaviourWeights();
    return {
      updates: this.updates,
      envSteps: this.envSteps,
      rng: this.rng.getState(),
      vec: pos ? pos.vec : (this.env as RolloutEnv).snapshot(),
      policies: this.groups.map((g, gi) => {
        const weights = g.net.getWeights();
        const p = { weights, adam: this.learner ? this.learner.getAdamState(gi) : getAdamState(g.optimizer) };
        return this.pipe ? { ...p, behaviour: (inFlight ?? this.behaviour)?.[gi] ?? weights } : p;
      }),
      ...(pos && { rolloutRng: pos.rng }),
    };
  }

  /** Continues from `state` (taken by {@link getState} of a trainer with the same config and world). */
  setState(state: PpoState): void {
    if (state.policies.length !== this.groups.length) throw new RangeError(`checkpoint holds ${state.policies.length} policies, this trainer has ${this.groups.length}`);
    this.groups.forEach((g, i) => {
      const p = state.policies[i] as PpoState['policies'][number];
      g.net.setWeights(p.weights);
      if (this.learner) this.learner.setAdamState(i, p.adam);
      else setAdamState(g.optimizer, g.net.variables, p.adam);
    });
    this.learner?.weightsChanged();
    this.rng = Rng.fromState(state.rng);
    if (this.pipe) {
      // A state from a run without the thread has no behaviour weights (they are the current ones) and no rollout stream.
      this.pipe.restore(state.vec, state.rolloutRng ?? this.rng.fork('rollout').getState());
      this.behaviour = state.policies.map((p) => [...(p.behaviour ?? p.weights)]);
    } else (this.env as RolloutEnv).restore(state.vec);
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
    // tfjs's Adam reads its (protected) learningRate on every step; the split Adam is handed `this.lr`.
    for (const g of this.groups) (g.optimizer as unknown as { learningRate: number }).learningRate = lr;
    this.lr = lr;
    const t0 = performance.now();
    const half0 = this.learner?.inThreadMs ?? 0;
    const { episodes, lastValues } = this.pipe ? this.pipelinedRollout(this.pipe) : this.rollout(this.env as RolloutEnv);
    const tw = performance.now();
    this.prox = this.pipe && c.pipelineRatio === 'proximal' ? proximalLogp(this.groups, this.buf, this.input, this.width, c.numSteps, this.vec.slots, this.vec.actions) : null;
    this.lastEpisodes = episodes;
    const t1 = performance.now();
    // A manager's world reports how many env steps each decision lasted (`infos[a].optionSteps`): the discount
    // between decisions is then gamma^k (semi-MDP); otherwise plain GAE, unchanged.
    const { advantages, returns } = this.smdp
      ? smdpGae(this.buf.rewards, this.buf.values, this.buf.dones, this.buf.optionSteps, lastValues, c.numSteps, this.vec.slots, c.gamma, c.gaeLambda)
      : gae(this.buf.rewards, this.buf.values, this.buf.dones, lastValues, c.numSteps, this.vec.slots, c.gamma, c.gaeLambda);
    this.lastReturns = returns;
    const losses = this.optimise(advantages, returns);
    this.lastTimings = { rolloutMs: tw - t0, proximalMs: t1 - tw, updateMs: performance.now() - t1, secondHalfMs: (this.learner?.inThreadMs ?? 0) - half0 };
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

  /** Tensors alive in the learner worker thread (`learnerThreads: 2`), or null without one: for leak tests. */
  get learnerTensors(): number | null {
    return this.learner?.replicaTensors ?? null;
  }

  /** Tensors alive in the rollout thread (`rolloutThread`) after its last command, or null without one: for leak tests. */
  get rolloutTensors(): number | null {
    return this.pipe?.tensors ?? null;
  }

  /** The rollout thread (`rolloutThread`), or null: it exits on {@link dispose}. */
  get rolloutWorker(): RolloutThread['worker'] | null {
    return this.pipe?.worker ?? null;
  }

  /** Frees every network and optimizer, and stops env worker threads and the rollout thread. */
  dispose(): void {
    this.env?.close?.();
    this.pipe?.close();
    this.learner?.close();
    for (const g of this.groups) {
      g.net.dispose();
      g.optimizer.dispose();
    }
  }

  // ---------------------------------------------------------------- rollout

  private rollout(vec: RolloutEnv): { episodes: EpisodeStats[]; lastValues: Float32Array } {
    const res = collectRollout(vec, this.buf, this.width, this.groups, this.config, (obs, use) => this.infer(obs, use), this.rng);
    this.envSteps += vec.numEnvs * this.config.numSteps;
    this.smdp = res.smdp;
    return res;
  }

  /**
   * The rollout the thread collected (with the weights before the last update), after starting the next one with
   * the current weights: it runs while this thread computes the update. The schedule is fixed, whatever the timing:
   * rollout k+1 is collected with the weights after update k-1 (the initial ones for rollouts 0 and 1).
   */
  private pipelinedRollout(pipe: RolloutThread): { episodes: EpisodeStats[]; lastValues: Float32Array } {
    const current = () => this.groups.map((g) => g.net.variables.map((v) => v.dataSync() as Float32Array));
    if (!pipe.busy) pipe.start(this.behaviour ?? current());
    this.behaviour = null;
    const r = pipe.finish();
    // The last update starts none: a checkpoint then holds the next rollout's weights itself (`behaviour`).
    if (this.updates + 1 < this.numUpdates) pipe.start(current());
    else this.behaviour = this.groups.map((g) => g.net.getWeights());
    this.buf = r.buf;
    this.smdp = r.smdp;
    this.envSteps += this.vec.numEnvs * this.config.numSteps;
    return r;
  }

  /**
   * One forward pass per policy group over its slots of `obs`; `use` gets the head's output (row k: the logits of
   * the group's k-th slot, then its value, so a row is `actions + 1` long) and the values alone.
   */
  private infer(obs: { dense: Float32Array | null; idx: Int32Array | null; val: Float32Array | null }, use: (g: number, head: Float32Array, values: Float32Array) => void): void {
    const w = this.width;
    const A = this.vec.actions;
    this.groups.forEach((g, gi) => {
      const from = g.firstSlot * w;
      const rows = <T extends Float32Array | Int32Array>(a: T | null, r0: number, r1: number): T | null => (a ? (a.subarray(from + r0 * w, from + r1 * w) as T) : null);
      const slice = (r0: number, r1: number) => ({ dense: rows(obs.dense, r0, r1), idx: rows(obs.idx, r0, r1), val: rows(obs.val, r0, r1) });
      const head = (r0: number, r1: number) => headOutput(g.net, r1 - r0, w, slice(r0, r1));
      let out: Float32Array;
      if (this.learner && g.slotCount >= 2) {
        // Two halves: the replica runs the second while this thread runs the first.
        const half = Math.ceil(g.slotCount / 2);
        this.learner.startInference(gi, g.slotCount - half, slice(half, g.slotCount));
        out = new Float32Array(g.slotCount * (A + 1));
        out.set(head(0, half));
        out.set(this.learner.finishInference().subarray(0, (g.slotCount - half) * (A + 1)), half * (A + 1));
      } else out = head(0, g.slotCount);
      use(gi, out, headValues(out, g.slotCount, A));
    });
  }

  // ---------------------------------------------------------------- update

  private optimise(advantages: Float32Array, returns: Float32Array): { policyLoss: number; valueLoss: number; entropy: number; approxKl: number; clipFraction: number } {
    const c = this.config;
    const { buf, width: w, vec } = this;
    const A = vec.actions;
    const S = vec.slots;
    const sums = [0, 0, 0, 0, 0];
    let count = 0;
    for (const [gi, g] of this.groups.entries()) {
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
          const stats = this.step(gi, mb, advantages, returns, w, A);
          stats.forEach((v, i) => (sums[i] = (sums[i] as number) + v));
          count++;
          if (c.targetKl !== undefined && (stats[3] as number) > c.targetKl) break epochs;
        }
      }
    }
    const avg = (i: number) => (count ? (sums[i] as number) / count : NaN);
    return { policyLoss: avg(0), valueLoss: avg(1), entropy: avg(2), approxKl: avg(3), clipFraction: avg(4) };
  }

  /** One gradient step of the PPO loss on minibatch `mb` (sample indices) of group `gi`; returns [pg, v, entropy, kl, clipfrac]. */
  private step(gi: number, mb: number[], advantages: Float32Array, returns: Float32Array, w: number, A: number): number[] {
    const c = this.config;
    const g = this.groups[gi] as Group;
    const batch = this.gather(mb, advantages, returns, w, A);
    const n = batch.rows;
    if (c.normAdvantages && n > 1) normalise(batch.advantages);
    // Decoupled PPO: min(r A, clip(r) A) with r against the proximal policy, weighted by pi_prox / pi_behaviour.
    if (batch.weight) for (let r = 0; r < n; r++) batch.advantages[r] = (batch.advantages[r] as number) * (batch.weight[r] as number);
    if (this.learner) {
      // Two fixed shards, each with means over the whole minibatch: their gradients and stats add up to its own.
      // Then the split optimizer step (clip factor once, Adam on half the weights in each thread). A 1-row
      // minibatch is one shard (the second's gradient is zero), so Adam's state stays in one place.
      const learner = this.learner;
      const n0 = Math.ceil(n / 2);
      const split = n0 < n;
      const out = new Float64Array(5);
      if (split) learner.startGradients(gi, shardOf(batch, n0, n, w, A), n);
      shardGradientsInto(g.net, shardOf(batch, 0, split ? n0 : n, w, A), w, n, c, learner.firstGrads, out);
      if (split) learner.finishGradients().stats.forEach((v, i) => (out[i] = (out[i] as number) + v));
      learner.step(gi, this.lr, c.maxGradNorm, !split);
      return Array.from(out);
    }
    let stats: tf.Tensor | null = null;
    tf.tidy(() => {
      const r = lossGradients(g.net, batch, w, n, c);
      stats = r.stats;
      applyClipped(g.net, g.optimizer, r.grads, c.maxGradNorm);
    });
    const t = stats as unknown as tf.Tensor;
    const out = Array.from(t.dataSync());
    t.dispose();
    return out;
  }

  /** The rows of samples `mb` as one {@link Minibatch} (copies). */
  private gather(mb: number[], advantages: Float32Array, returns: Float32Array, w: number, A: number): Minibatch & { advantages: Float32Array; weight: Float32Array | null } {
    const { buf, prox } = this;
    const n = mb.length;
    const out = {
      rows: n,
      dense: buf.obs ? new Float32Array(n * w) : null,
      idx: buf.idx ? new Int32Array(n * w) : null,
      val: buf.val ? new Float32Array(n * w) : null,
      actions: new Int32Array(n),
      oldLogp: new Float32Array(n),
      oldValues: new Float32Array(n),
      returns: new Float32Array(n),
      advantages: new Float32Array(n),
      maskBias: new Float32Array(n * A),
      weight: prox ? new Float32Array(n) : null,
    };
    mb.forEach((i, r) => {
      if (out.dense) out.dense.set((buf.obs as Float32Array).subarray(i * w, (i + 1) * w), r * w);
      if (out.idx) out.idx.set((buf.idx as Int32Array).subarray(i * w, (i + 1) * w), r * w);
      if (out.val) out.val.set((buf.val as Float32Array).subarray(i * w, (i + 1) * w), r * w);
      out.actions[r] = buf.actions[i] as number;
      out.oldLogp[r] = (prox ? prox.logp[i] : buf.logp[i]) as number;
      if (out.weight) out.weight[r] = (prox as NonNullable<typeof prox>).weight[i] as number;
      out.oldValues[r] = buf.values[i] as number;
      out.returns[r] = returns[i] as number;
      out.advantages[r] = advantages[i] as number;
      out.maskBias.set(buf.maskBias.subarray(i * A, (i + 1) * A), r * A);
    });
    return out;
  }
}
