/**
 * PPO's rollout (CleanRL's collection loop), shared by the trainer's own thread and the pipelined rollout thread
 * (`rolloutThread`): `numSteps` steps of every slot of a vector of envs, one batched forward pass per policy group
 * per step, actions sampled in JS with the caller's generator, truncations bootstrapped with V(final observation).
 */
import type { Rng } from '../../../core/rng.js';
import type { EpisodeStats, ObsBuffer } from './vector-env.js';
import type { RolloutEnv } from './worker-vector-env.js';
import { sampleAction } from './sampling.js';

/** One rollout, `[numSteps, slots]` row-major (observations `[numSteps, slots, width]`, masks `[.., actions]`). */
export interface RolloutBuffers {
  obs: Float32Array | null;
  idx: Int32Array | null;
  val: Float32Array | null;
  actions: Int32Array;
  /** The behaviour policy's log-probability of each action and its value estimate, at collection time. */
  logp: Float32Array;
  values: Float32Array;
  rewards: Float32Array;
  /** 1 where the slot's episode ended with this step, or the slot was not live (nothing bootstraps across it). */
  dones: Uint8Array;
  valid: Uint8Array;
  /** 0 for legal actions, -1e9 for masked ones. */
  maskBias: Float32Array;
  /** Env steps each decision lasted (1 unless the env reports `optionSteps`). */
  optionSteps: Int32Array;
}

/** What a rollout returns besides its buffers. */
export interface RolloutResult {
  readonly episodes: EpisodeStats[];
  /** V of the observations after the last step, per slot. */
  readonly lastValues: Float32Array;
  /** Whether the env reported option lengths (a manager's world): advantages are then semi-MDP. */
  readonly smdp: boolean;
}

/** The rollout's settings (a subset of `PpoConfig`). */
export interface RolloutSettings {
  readonly numSteps: number;
  readonly gamma: number;
  readonly useActionMask: boolean;
  readonly bootstrapTruncation: boolean;
}

/** A policy group's contiguous slots. */
export interface SlotRange {
  readonly firstSlot: number;
  readonly slotCount: number;
}

/**
 * One forward pass per policy group over its slots of `obs`; `use` gets the group's index, the head's output (row
 * k: the logits of the group's k-th slot, then its value: `actions + 1` long) and the values alone.
 */
export type InferGroups = (obs: ObsBuffer, use: (g: number, head: Float32Array, values: Float32Array) => void) => void;

/** Buffers for a rollout of `n = numSteps * slots` samples of `width` inputs each. */
export function allocRolloutBuffers(n: number, width: number, actions: number, input: 'dense' | 'embedding-bag'): RolloutBuffers {
  return {
    obs: input === 'dense' ? new Float32Array(n * width) : null,
    idx: input === 'dense' ? null : new Int32Array(n * width),
    val: input === 'dense' ? null : new Float32Array(n * width),
    actions: new Int32Array(n),
    logp: new Float32Array(n),
    values: new Float32Array(n),
    rewards: new Float32Array(n),
    dones: new Uint8Array(n),
    valid: new Uint8Array(n),
    maskBias: new Float32Array(n * actions),
    optionSteps: new Int32Array(n),
  };
}

/**
 * Steps `vec` `numSteps` times, writing every slot's observation, action, log-probability, value, reward and done
 * into `buf`. Sampling draws from `rng` in slot order within each group, groups in order.
 */
export function collectRollout(vec: RolloutEnv, buf: RolloutBuffers, width: number, groups: readonly SlotRange[], c: RolloutSettings, infer: InferGroups, rng: Rng): RolloutResult {
  const S = vec.slots;
  const A = vec.actions;
  const episodes: EpisodeStats[] = [];
  const actions = new Int32Array(S);
  let smdp = false;
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
    infer(vec.obs, (gi, head, values) => {
      const g = groups[gi] as SlotRange;
      for (let k = 0; k < g.slotCount; k++) {
        const s = g.firstSlot + k;
        const [a, logp] = sampleAction(head, k * (A + 1), A, buf.maskBias, (row + s) * A, rng);
        actions[s] = a;
        buf.actions[row + s] = a;
        buf.logp[row + s] = logp;
        buf.values[row + s] = values[k] as number;
      }
    });
    const res = vec.step(actions);
    if (res.optionSteps) {
      smdp = true;
      buf.optionSteps.set(res.optionSteps, row);
    } else buf.optionSteps.fill(1, row, row + S);
    for (let s = 0; s < S; s++) {
      buf.rewards[row + s] = res.rewards[s] as number;
      buf.dones[row + s] = buf.valid[row + s] === 0 || res.terminated[s] === 1 || res.truncated[s] === 1 ? 1 : 0;
    }
    if (c.bootstrapTruncation && res.truncatedSlots.length > 0) {
      infer(vec.finalObs, (gi, _head, values) => {
        const g = groups[gi] as SlotRange;
        for (const s of res.truncatedSlots) {
          if (s >= g.firstSlot && s < g.firstSlot + g.slotCount) buf.rewards[row + s] = (buf.rewards[row + s] as number) + c.gamma ** (buf.optionSteps[row + s] as number) * (values[s - g.firstSlot] as number);
        }
      });
    }
    episodes.push(...res.episodes);
  }
  const lastValues = new Float32Array(S);
  infer(vec.obs, (gi, _head, values) => lastValues.set(values, (groups[gi] as SlotRange).firstSlot));
  return { episodes, lastValues, smdp };
}
