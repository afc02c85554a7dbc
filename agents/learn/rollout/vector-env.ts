import type { AgentId, AgentInfo, ParallelEnv, PerAgent, StepResult } from '../../../core/parallel-env.js';
import { Rng } from '../../../core/rng.js';
import type { RngState } from '../../../core/rng.js';
import type { ObservationEncoder } from '../observation-encoder.js';

/**
 * A world PPO can drive: any core {@link ParallelEnv} whose `step` accepts integer actions (a Discrete action space),
 * whatever else its action type allows (Crafter also takes names and share records).
 */
export type DiscreteEnv<Obs = unknown, Info extends AgentInfo = AgentInfo> = Omit<ParallelEnv<Obs, unknown, Info>, 'step'> & {
  step(actions: Readonly<PerAgent<number>>): StepResult<Obs, Info>;
};

/** One finished episode of one environment. */
export interface EpisodeStats {
  readonly env: number;
  /** Undiscounted return of each possible agent, in `possibleAgents` order. */
  readonly returns: readonly number[];
  /** Steps the episode lasted. */
  readonly length: number;
  /** The world's `episodeMetrics()` at the end (success, coverage, ...), or `{}`. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** What {@link VectorEnv.step} reports. Arrays are reused by the next step: copy what you keep. */
export interface VectorStep {
  /** Reward of each slot (0 for a slot that was not live). */
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  /** Slots truncated this step; their final observation is in `finalObs` (same layout as `obs`) for bootstrapping. */
  readonly truncatedSlots: readonly number[];
  /** Episodes that ended this step; their environments have been reset. */
  readonly episodes: readonly EpisodeStats[];
  /**
   * Env steps each slot's decision lasted (`infos[a].optionSteps` of a manager's world, the `k` of semi-MDP
   * discounting; 1 for slots that report none), or null when no slot reported one this step.
   */
  readonly optionSteps: Int32Array | null;
}

/**
 * What a {@link VectorEnv} needs to continue exactly after a checkpoint, without asking the world to serialise
 * itself: each env's seed stream, the seed of its current episode and the actions taken since (replayed on
 * restore: the worlds are deterministic given seed and actions). JSON-serialisable.
 */
export interface VectorEnvState {
  readonly seedStreams: readonly RngState[];
  readonly episodeSeeds: readonly number[];
  /** Per env, the actions of each step of the current episode, `agentsPerEnv` per step (-1: the agent was not acting). */
  readonly actionLogs: readonly (readonly number[])[];
  /**
   * Per env, the state that outlives its episodes ({@link RunStateEnv}: run-scope visit counts of an intrinsic
   * module) as it was when the current episode began, or null; absent when no env has any. Put back before the
   * replay, which then rebuilds the episode on top of it.
   */
  readonly envStates?: readonly unknown[];
}

/**
 * An env whose state outlives its episodes (an intrinsic module counting visits over the whole run, a goal
 * generator): replaying the current episode cannot rebuild it, so checkpoints store it and
 * {@link VectorEnv.restore} puts it back before the replay. Wrappers forward it to the env they wrap.
 */
export interface RunStateEnv {
  /** Everything that outlives an episode, as it was when the current episode began (JSON-serialisable), or null. */
  runState(): unknown;
  /** Puts back what {@link runState} returned (called before the current episode is reset and replayed). */
  restoreRunState(state: unknown): void;
}

/** Whether `env` keeps state across episodes that a checkpoint must hold ({@link RunStateEnv}). */
export function hasRunState(env: unknown): env is RunStateEnv {
  return typeof (env as Partial<RunStateEnv>).runState === 'function' && typeof (env as Partial<RunStateEnv>).restoreRunState === 'function';
}

/** Encoded observations of every slot: dense floats or (index, value) bags. */
export interface ObsBuffer {
  readonly dense: Float32Array | null;
  readonly idx: Int32Array | null;
  readonly val: Float32Array | null;
}

/**
 * `numEnvs` copies of a core {@link ParallelEnv}, stepped together for batched inference (the role of Gymnasium's
 * `SyncVectorEnv`, for many agents per env). Every (env, agent) pair is a *slot*, numbered agent-major
 * (`slot = agent * numEnvs + env`) so that one agent's slots are contiguous and a per-agent policy reads its
 * rows as one sub-array. Observations are encoded straight into flat buffers; an env whose agents have all left
 * is reset at once (auto-reset) and its slots go on with the new episode. A slot whose agent left before the
 * others is not `live` until that reset.
 */
export class VectorEnv<Obs = unknown, Info extends AgentInfo = AgentInfo> {
  readonly numEnvs: number;
  readonly agentsPerEnv: number;
  readonly slots: number;
  /** Number of discrete actions (the same for every agent). */
  readonly actions: number;
  readonly possibleAgents: readonly AgentId[];
  /** Current observation of every slot. */
  readonly obs: ObsBuffer;
  /** Final observations of slots truncated by the last step. */
  readonly finalObs: ObsBuffer;
  /** 1 while the slot's agent is live. */
  readonly live: Uint8Array;
  /** Legal actions of every slot, `[slots, actions]` (all ones when the world gives no mask). */
  readonly masks: Uint8Array;
  private readonly actionStart: number;
  private readonly returns: Float64Array;
  private readonly lengths: Int32Array;
  private readonly out: { rewards: Float32Array; terminated: Uint8Array; truncated: Uint8Array; optionSteps: Int32Array };
  private reportedOptions = false;
  private readonly actionRecord: Record<AgentId, number> = {};
  /**
   * One seed stream per env (forked by index from the generator given), so each env's episodes are the same
   * whichever thread or order steps it: results do not depend on how envs are split between workers.
   */
  private seedStreams: Rng[];
  private readonly episodeSeeds: number[];
  private readonly actionLogs: number[][];

  constructor(
    readonly envs: readonly DiscreteEnv<Obs, Info>[],
    readonly encoder: ObservationEncoder,
    readonly input: 'dense' | 'embedding-bag',
    rng: Rng,
    /** Index of `envs[0]` in the whole run (a worker's share of the envs starts past 0): picks the seed streams. */
    readonly firstEnvIndex = 0,
  ) {
    if (envs.length === 0) throw new RangeError('VectorEnv needs at least one environment');
    const first = envs[0] as DiscreteEnv<Obs, Info>;
    this.possibleAgents = first.possibleAgents;
    for (const [i, e] of envs.entries()) {
      if (e.possibleAgents.length !== this.possibleAgents.length) throw new RangeError(`env ${i} has ${e.possibleAgents.length} agents, env 0 has ${this.possibleAgents.length}`);
    }
    const space = first.actionSpace(this.possibleAgents[0] as AgentId);
    if (space.kind !== 'discrete') throw new TypeError(`PPO needs a discrete action space, got ${space.kind}`);
    for (const a of this.possibleAgents) {
      const s = first.actionSpace(a);
      if (s.kind !== 'discrete' || s.n !== space.n) throw new TypeError(`every agent needs the same discrete action space (agent ${a} differs)`);
    }
    this.actions = space.n;
    this.actionStart = space.start;
    this.numEnvs = envs.length;
    this.agentsPerEnv = this.possibleAgents.length;
    this.slots = this.numEnvs * this.agentsPerEnv;
    this.obs = this.allocate();
    this.finalObs = this.allocate();
    this.live = new Uint8Array(this.slots);
    this.masks = new Uint8Array(this.slots * this.actions).fill(1);
    this.returns = new Float64Array(this.slots);
    this.lengths = new Int32Array(this.numEnvs);
    this.out = { rewards: new Float32Array(this.slots), terminated: new Uint8Array(this.slots), truncated: new Uint8Array(this.slots), optionSteps: new Int32Array(this.slots) };
    this.seedStreams = envs.map((_, e) => rng.fork(`env-${firstEnvIndex + e}`));
    this.episodeSeeds = envs.map(() => 0);
    this.actionLogs = envs.map(() => []);
  }

  /** Resets every environment; every episode (this one and each auto-reset) gets a seed from its env's own stream. */
  reset(): void {
    for (let e = 0; e < this.numEnvs; e++) this.resetEnv(e);
  }

  /** The state to continue exactly from here (see {@link VectorEnvState}). */
  snapshot(): VectorEnvState {
    const envStates = this.envs.map((env) => (hasRunState(env) ? env.runState() : null));
    return {
      seedStreams: this.seedStreams.map((r) => r.getState()),
      episodeSeeds: [...this.episodeSeeds],
      actionLogs: this.actionLogs.map((log) => [...log]),
      ...(envStates.some((x) => x !== null) && { envStates }),
    };
  }

  /**
   * Puts every env back where {@link snapshot} was taken: resets it with its episode's seed and replays the
   * episode's actions (episode returns and lengths, observations and masks come back with them).
   */
  restore(state: VectorEnvState): void {
    if (state.seedStreams.length !== this.numEnvs || state.episodeSeeds.length !== this.numEnvs || state.actionLogs.length !== this.numEnvs) {
      throw new RangeError(`vector env state holds ${state.seedStreams.length} envs, this vector has ${this.numEnvs}`);
    }
    const n = this.agentsPerEnv;
    for (let e = 0; e < this.numEnvs; e++) {
      const runState = state.envStates?.[e];
      const env = this.envs[e];
      if (runState !== undefined && runState !== null) {
        if (!hasRunState(env)) throw new TypeError(`vector env state holds a run state for env ${e}, whose env keeps none`);
        env.restoreRunState(runState);
      }
      this.resetEnv(e, state.episodeSeeds[e] as number);
      const log = state.actionLogs[e] as readonly number[];
      for (let t = 0; t + n <= log.length; t += n) this.stepEnv(e, (i) => log[t + i] as number, this.out, [], []);
      this.seedStreams[e] = Rng.fromState(state.seedStreams[e] as RngState);
    }
    this.out.rewards.fill(0);
    this.out.terminated.fill(0);
    this.out.truncated.fill(0);
    this.out.optionSteps.fill(1);
  }

  /** Steps every environment with `actions[slot]` (0-based; ignored for slots that are not live). */
  step(actions: Int32Array): VectorStep {
    const { rewards, terminated, truncated, optionSteps } = this.out;
    rewards.fill(0);
    terminated.fill(0);
    truncated.fill(0);
    optionSteps.fill(1);
    this.reportedOptions = false;
    const truncatedSlots: number[] = [];
    const episodes: EpisodeStats[] = [];
    for (let e = 0; e < this.numEnvs; e++) this.stepEnv(e, (i) => actions[i * this.numEnvs + e] as number, this.out, truncatedSlots, episodes);
    return { rewards, terminated, truncated, truncatedSlots, episodes, optionSteps: this.reportedOptions ? optionSteps : null };
  }

  /** Slot of agent `agent` in env `env`. */
  slotOf(agent: AgentId, env: number): number {
    const i = this.possibleAgents.indexOf(agent);
    if (i < 0) throw new RangeError(`unknown agent "${agent}"`);
    return i * this.numEnvs + env;
  }

  /** Steps env `e`, agent i taking `actionOf(i)`; logs the actions for {@link restore}; auto-resets at the end. */
  private stepEnv(e: number, actionOf: (agentIndex: number) => number, out: { rewards: Float32Array; terminated: Uint8Array; truncated: Uint8Array; optionSteps: Int32Array }, truncatedSlots: number[], episodes: EpisodeStats[]): void {
    const { rewards, terminated, truncated } = out;
    const env = this.envs[e] as DiscreteEnv<Obs, Info>;
    const rec = this.actionRecord;
    for (const k in rec) delete rec[k];
    const log = this.actionLogs[e] as number[];
    const base = log.length;
    for (let i = 0; i < this.agentsPerEnv; i++) log.push(-1);
    for (const a of env.agents) {
      const i = this.possibleAgents.indexOf(a);
      const action = actionOf(i);
      rec[a] = action + this.actionStart;
      log[base + i] = action;
    }
    const res = env.step(rec);
    this.lengths[e] = (this.lengths[e] as number) + 1;
    for (const a of Object.keys(res.rewards)) {
      const s = this.slotOf(a, e);
      const r = res.rewards[a] as number;
      rewards[s] = r;
      this.returns[s] = (this.returns[s] as number) + r;
      const k = (res.infos[a] as { optionSteps?: unknown } | undefined)?.optionSteps;
      if (typeof k === 'number') {
        out.optionSteps[s] = Math.max(1, k);
        this.reportedOptions = true;
      }
      const term = res.terminations[a] === true;
      const trunc = !term && res.truncations[a] === true;
      terminated[s] = term ? 1 : 0;
      truncated[s] = trunc ? 1 : 0;
      if (term || trunc) {
        this.live[s] = 0;
        if (trunc) {
          this.write(this.finalObs, s, res.observations[a] as Obs);
          truncatedSlots.push(s);
        }
      } else {
        this.write(this.obs, s, res.observations[a] as Obs);
        this.writeMask(s, res.infos[a]);
      }
    }
    if (env.agents.length === 0) {
      const returns = this.possibleAgents.map((_, i) => this.returns[i * this.numEnvs + e] as number);
      episodes.push({ env: this.firstEnvIndex + e, returns, length: this.lengths[e] as number, metrics: env.episodeMetrics?.() ?? {} });
      this.resetEnv(e);
    }
  }

  private resetEnv(e: number, seed = (this.seedStreams[e] as Rng).seed()): void {
    const env = this.envs[e] as DiscreteEnv<Obs, Info>;
    this.episodeSeeds[e] = seed;
    (this.actionLogs[e] as number[]).length = 0;
    const res = env.reset({ seed });
    this.lengths[e] = 0;
    for (let i = 0; i < this.agentsPerEnv; i++) {
      const s = i * this.numEnvs + e;
      this.returns[s] = 0;
      this.live[s] = 0;
    }
    for (const a of env.agents) {
      const s = this.slotOf(a, e);
      this.live[s] = 1;
      this.write(this.obs, s, res.observations[a] as Obs);
      this.writeMask(s, res.infos[a]);
    }
  }

  private write(buf: ObsBuffer, slot: number, obs: Obs): void {
    const agent = Math.floor(slot / this.numEnvs);
    if (buf.dense) this.encoder.encodeDense(obs, agent, buf.dense, slot * this.encoder.size);
    else this.encoder.encodeBag(obs, agent, buf.idx as Int32Array, buf.val as Float32Array, slot * this.encoder.bagSize);
  }

  private writeMask(slot: number, info: Info | undefined): void {
    const m = info?.actionMask;
    const off = slot * this.actions;
    if (m && m.length === this.actions && m.some((v) => v === 1)) this.masks.set(m, off);
    else this.masks.fill(1, off, off + this.actions);
  }

  private allocate(): ObsBuffer {
    if (this.input === 'dense') return { dense: new Float32Array(this.slots * this.encoder.size), idx: null, val: null };
    const n = this.slots * this.encoder.bagSize;
    return { dense: null, idx: new Int32Array(n), val: new Float32Array(n) };
  }
}
