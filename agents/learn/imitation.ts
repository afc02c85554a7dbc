/**
 * Behaviour cloning: a warm start for a PPO policy from a teacher's decisions (a scripted planner, the kg-planner),
 * before PPO fine-tunes it. `collectDemonstrations` runs the teacher in a world and records what it saw, what was
 * legal, what it picked and the discounted return that followed; `imitate` fits the policy's logits to the picks
 * (cross-entropy over the legal actions) and its value column to the returns, so PPO's first advantages are not
 * measured against a random critic.
 */
import * as tf from '@tensorflow/tfjs';
import type { AgentId, AgentInfo } from '../../core/parallel-env.js';
import type { Rng } from '../../core/rng.js';
import { applyClipped } from './learner/ppo-loss.js';
import { headOutput, networkInput } from './networks/network-input.js';
import type { Ppo } from './ppo.js';
import type { DiscreteEnv } from './rollout/vector-env.js';

/** One decision of the teacher. */
export interface Demonstration {
  /** The observation as the policy's env gives it (encoded by the trainer's `ObservationEncoder`). */
  readonly observation: unknown;
  /** Index of the agent in `possibleAgents` (the encoder's agent-id input, when it has one). */
  readonly agentIndex: number;
  /** Legal actions (1) when the env's info had an `actionMask`; null: every action is legal. */
  readonly mask: Uint8Array | null;
  readonly action: number;
  /**
   * Discounted return from this decision to the episode's end: `r_t + gamma^k_t * R_t+1`, with `k_t` the info's
   * `optionSteps` when the env reports it (a manager's world: semi-MDP) and 1 otherwise.
   */
  readonly return: number;
}

/** The teacher: an action for `agent` given its observation and info. */
export type Teacher<Obs, Info> = (agent: AgentId, observation: Obs, info: Info) => number;

/**
 * Runs `teacher` for every agent of `env`, episode after episode (each reset seeded from `rng`), and stops at the
 * first episode end where `done()` is true (e.g. a world-step count); returns every decision, in order of episode
 * end. Observations are copied (`structuredClone`), so envs may reuse their buffers. The env's episodes must end.
 *
 * With `actor` (DAgger, Ross et al. 2011), the actor's actions drive the world while the teacher's picks are still
 * what is recorded: the states are the ones the learner visits, the labels the teacher's, and the returns those of
 * the learner's trajectory.
 */
export function collectDemonstrations<Obs, Info extends AgentInfo>(env: DiscreteEnv<Obs, Info>, teacher: Teacher<Obs, Info>, opts: { rng: Rng; gamma: number; done: () => boolean; actor?: Teacher<Obs, Info> }): Demonstration[] {
  const out: Demonstration[] = [];
  const agents = env.possibleAgents;
  let res = env.reset({ seed: opts.rng.seed() });
  let obs = res.observations;
  let infos = res.infos;
  // Per agent: the episode's decisions so far, with their rewards and option lengths.
  const open = new Map<AgentId, { d: Omit<Demonstration, 'return'>; reward: number; k: number }[]>();
  const close = (a: AgentId) => {
    const steps = open.get(a) ?? [];
    let ret = 0;
    const done: Demonstration[] = new Array(steps.length);
    for (let i = steps.length - 1; i >= 0; i--) {
      const s = steps[i] as (typeof steps)[number];
      ret = s.reward + opts.gamma ** s.k * ret;
      done[i] = { ...s.d, return: ret };
    }
    out.push(...done);
    open.delete(a);
  };
  for (;;) {
    const actions: Record<AgentId, number> = {};
    for (const a of env.agents) {
      const o = obs[a] as Obs;
      const info = infos[a] as Info;
      const action = teacher(a, o, info);
      actions[a] = opts.actor ? opts.actor(a, o, info) : action;
      const mask = (info as Partial<{ actionMask: Uint8Array }>).actionMask;
      const list = open.get(a) ?? [];
      list.push({ d: { observation: structuredClone(o), agentIndex: agents.indexOf(a), mask: mask ? Uint8Array.from(mask) : null, action }, reward: 0, k: 1 });
      open.set(a, list);
    }
    const step = env.step(actions);
    for (const a of Object.keys(actions)) {
      const last = open.get(a)?.at(-1);
      if (!last) continue;
      last.reward = step.rewards[a] ?? 0;
      last.k = (step.infos[a] as Partial<{ optionSteps: number }> | undefined)?.optionSteps ?? 1;
      if (step.terminations[a] || step.truncations[a]) close(a);
    }
    obs = step.observations;
    infos = step.infos;
    if (env.agents.length === 0) {
      if (opts.done()) return out;
      res = env.reset({ seed: opts.rng.seed() });
      obs = res.observations;
      infos = res.infos;
    }
  }
}

/** How {@link imitate} fits the policy. */
export interface ImitationOptions {
  /** Passes over the demonstrations. Default 10. */
  readonly epochs?: number;
  /** Rows per gradient step. Default 256. */
  readonly minibatchSize?: number;
  /** Adam's step size (a fresh Adam: PPO's own optimizer state is left alone). Default 1e-3. */
  readonly learningRate?: number;
  /** Weight of the value column's squared error against the demonstrations' returns (0: the critic is left alone). Default 0.5. */
  readonly valueCoef?: number;
  /** Global gradient-norm clip. Default 0.5 (PPO's). */
  readonly maxGradNorm?: number;
  /** Shuffles the rows every epoch. */
  readonly rng: Rng;
}

/** What the fit did, per epoch (means over its minibatches, before each step). */
export interface ImitationStats {
  readonly crossEntropy: number[];
  readonly valueLoss: number[];
  /** Share of rows whose most likely legal action is the teacher's (measured on the minibatches as they were fitted). */
  readonly accuracy: number[];
}

/**
 * Fits policy group `group` of `ppo` (0: the shared policy) to `demos`: minimises the cross-entropy of the teacher's
 * action under the masked logits, plus `valueCoef` x half the squared error of the value against the return. The
 * network's weights change in place; PPO's next rollout uses them. Not for `learnerThreads: 2` (its worker keeps a
 * copy of the weights).
 */
export function imitate<O, I extends AgentInfo>(ppo: Ppo<O, I>, demos: readonly Demonstration[], opts: ImitationOptions, group = 0): ImitationStats {
  if (ppo.config.learnerThreads !== 1) throw new RangeError('imitate: needs learnerThreads 1 (a learner thread keeps its own copy of the weights)');
  if (demos.length === 0) throw new RangeError('imitate: no demonstrations');
  const net = ppo.network(group);
  const A = net.spec.actions;
  const { w, dense, idx, val, bias } = encodeDemonstrations(ppo, demos, A);
  const n = demos.length;
  const epochs = opts.epochs ?? 10;
  const mbSize = Math.max(1, Math.min(n, opts.minibatchSize ?? 256));
  const valueCoef = opts.valueCoef ?? 0.5;
  const maxNorm = opts.maxGradNorm ?? 0.5;
  const optimizer = tf.train.adam(opts.learningRate ?? 1e-3, 0.9, 0.999, 1e-5);
  const order = Array.from({ length: n }, (_, i) => i);
  const stats: ImitationStats = { crossEntropy: [], valueLoss: [], accuracy: [] };
  try {
    for (let e = 0; e < epochs; e++) {
      opts.rng.shuffle(order);
      const sum = [0, 0, 0];
      for (let start = 0; start < n; start += mbSize) {
        const rows = order.slice(start, start + mbSize);
        const m = rows.length;
        const take = <T extends Float32Array | Int32Array>(src: T | null, per: number, make: (k: number) => T): T | null => {
          if (!src) return null;
          const t = make(m * per);
          rows.forEach((r, i) => t.set(src.subarray(r * per, (r + 1) * per), i * per));
          return t;
        };
        const mbBias = take(bias, A, (k) => new Float32Array(k)) as Float32Array;
        const actions = Int32Array.from(rows, (r) => (demos[r] as Demonstration).action);
        const returns = Float32Array.from(rows, (r) => (demos[r] as Demonstration).return);
        tf.tidy(() => {
          const input = networkInput(net.spec.input, m, w, take(dense, w, (k) => new Float32Array(k)), take(idx, w, (k) => new Int32Array(k)), take(val, w, (k) => new Float32Array(k)));
          const tIdx = tf.tensor1d(actions, 'int32');
          const tAct = tf.oneHot(tIdx, A);
          const tBias = tf.tensor2d(mbBias, [m, A]);
          const tRet = tf.tensor1d(returns);
          let parts: tf.Tensor1D | null = null;
          const loss = (): tf.Scalar => {
            const { logits, value } = net.forward(input);
            const masked = tf.add(logits, tBias);
            const ce = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(masked), tAct), 1)));
            const vl = tf.mul(0.5, tf.mean(tf.squaredDifference(value, tRet)));
            const hit = tf.mean(tf.cast(tf.equal(tf.argMax(masked, 1), tIdx), 'float32'));
            parts = tf.keep(tf.stack([ce, vl, hit]) as tf.Tensor1D);
            return tf.add(ce, tf.mul(valueCoef, vl)) as tf.Scalar;
          };
          const { grads } = tf.variableGrads(loss, net.variables);
          applyClipped(net, optimizer, net.variables.map((v) => grads[v.name] as tf.Tensor), maxNorm);
          const p = (parts as unknown as tf.Tensor1D).dataSync();
          (parts as unknown as tf.Tensor1D).dispose();
          for (let i = 0; i < 3; i++) sum[i] = (sum[i] as number) + (p[i] as number) * m;
        });
      }
      stats.crossEntropy.push((sum[0] as number) / n);
      stats.valueLoss.push((sum[1] as number) / n);
      stats.accuracy.push((sum[2] as number) / n);
    }
  } finally {
    optimizer.dispose();
  }
  return stats;
}

/**
 * Share of `demos` whose most likely legal action under policy group `group` of `ppo` is the teacher's (greedy
 * agreement): for held-out demonstrations, or to see how far PPO has moved a cloned policy from its teacher.
 */
export function agreement<O, I extends AgentInfo>(ppo: Ppo<O, I>, demos: readonly Demonstration[], group = 0): number {
  if (demos.length === 0) return NaN;
  const net = ppo.network(group);
  const A = net.spec.actions;
  const { w, dense, idx, val, bias } = encodeDemonstrations(ppo, demos, A);
  const head = headOutput(net, demos.length, w, { dense, idx, val });
  let hits = 0;
  demos.forEach((d, r) => {
    let best = 0;
    for (let a = 1; a < A; a++) if ((head[r * (A + 1) + a] as number) + (bias[r * A + a] as number) > (head[r * (A + 1) + best] as number) + (bias[r * A + best] as number)) best = a;
    if (best === d.action) hits++;
  });
  return hits / demos.length;
}

/** The demonstrations as the trainer's network input (`ppo.input`), with their masks as logit biases (-1e9: illegal). */
function encodeDemonstrations<O, I extends AgentInfo>(ppo: Ppo<O, I>, demos: readonly Demonstration[], A: number) {
  const enc = ppo.encoder;
  const bag = ppo.input === 'embedding-bag';
  const w = bag ? enc.bagSize : enc.size;
  const n = demos.length;
  const dense = bag ? null : new Float32Array(n * w);
  const idx = bag ? new Int32Array(n * w) : null;
  const val = bag ? new Float32Array(n * w) : null;
  const bias = new Float32Array(n * A);
  demos.forEach((d, r) => {
    if (d.action < 0 || d.action >= A) throw new RangeError(`demonstration ${r} has action ${d.action}, the policy has ${A}`);
    if (bag) enc.encodeBag(d.observation, d.agentIndex, idx as Int32Array, val as Float32Array, r * w);
    else enc.encodeDense(d.observation, d.agentIndex, dense as Float32Array, r * w);
    // The teacher's own pick stays legal even if the mask disagrees, so the loss is finite.
    if (d.mask) for (let a = 0; a < A; a++) bias[r * A + a] = d.mask[a] === 0 && a !== d.action ? -1e9 : 0;
  });
  return { w, dense, idx, val, bias };
}
