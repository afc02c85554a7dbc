/**
 * PPO's loss on one minibatch, or on one shard of it: the same function runs in the main thread and in a learner
 * worker thread, so a shard's gradient is the same number wherever it is computed.
 */
import * as tf from '@tensorflow/tfjs';
import type { ActorCritic } from '../networks/actor-critic.js';
import { networkInput } from '../networks/network-input.js';
import { headLossGradient } from './head-loss.js';

/** Rows of training data, row-major; `dense` or (`idx`, `val`) by the network's input kind. */
export interface Minibatch {
  readonly rows: number;
  readonly dense: Float32Array | null;
  readonly idx: Int32Array | null;
  readonly val: Float32Array | null;
  readonly actions: Int32Array;
  readonly oldLogp: Float32Array;
  readonly oldValues: Float32Array;
  readonly returns: Float32Array;
  /** Already normalised over the whole minibatch when `normAdvantages` is on (never per shard). */
  readonly advantages: Float32Array;
  /** `[rows, actions]`: 0 for a legal action, -1e9 for a masked one. */
  readonly maskBias: Float32Array;
}

/** The loss coefficients of `PpoConfig`. */
export interface LossCoefs {
  /** `autodiff`: the loss as tensor ops; `analytic`: its gradient at the head computed in JS (`head-loss.ts`). */
  readonly lossGradient: 'autodiff' | 'analytic';
  readonly clipCoef: number;
  readonly clipValueLoss: boolean;
  readonly entCoef: number;
  readonly vfCoef: number;
}

/** Rows `[from, to)` of `mb`, as views (no copy). */
export function shardOf(mb: Minibatch, from: number, to: number, width: number, actions: number): Minibatch {
  const rows = (a: Float32Array | Int32Array | null, w: number) => (a ? a.subarray(from * w, to * w) : null);
  return {
    rows: to - from,
    dense: rows(mb.dense, width) as Float32Array | null,
    idx: rows(mb.idx, width) as Int32Array | null,
    val: rows(mb.val, width) as Float32Array | null,
    actions: mb.actions.subarray(from, to),
    oldLogp: mb.oldLogp.subarray(from, to),
    oldValues: mb.oldValues.subarray(from, to),
    returns: mb.returns.subarray(from, to),
    advantages: mb.advantages.subarray(from, to),
    maskBias: mb.maskBias.subarray(from * actions, to * actions),
  };
}

/**
 * Gradients (in `net.variables` order) and stats `[pg, v, entropy, kl, clipfrac]` of PPO's loss on `mb`, where every
 * mean is taken over `denom` rows: with `denom === mb.rows` it is the minibatch loss (plain means); with the
 * minibatch's size and one shard as `mb`, it is that shard's share, so the shards' gradients and stats sum to the
 * minibatch's. Creates tensors: call inside `tf.tidy`, `tf.keep` what must outlive it.
 */
export function lossGradients(net: ActorCritic, mb: Minibatch, width: number, denom: number, c: LossCoefs): { grads: tf.Tensor[]; stats: tf.Tensor1D } {
  const n = mb.rows;
  const A = net.spec.actions;
  // Plain means when the batch is whole keep the single-thread path's numbers as they were; a shard sums and divides.
  const avg = (x: tf.Tensor): tf.Scalar => (denom === n ? tf.mean(x) : tf.div(tf.sum(x), denom));
  const input = networkInput(net.spec.input, n, width, mb.dense, mb.idx, mb.val);
  let stats: tf.Tensor1D | null = null;
  if (c.lossGradient === 'analytic') {
    const analytic = (): tf.Scalar => {
      const head = net.head(input);
      // A read in the middle of the tape: the loss and dLoss/dhead in JS, then one product for tfjs to differentiate.
      const r = headLossGradient(head.dataSync() as Float32Array, mb, A, denom, c);
      stats = tf.keep(tf.tensor1d(r.stats));
      return tf.sum(tf.mul(head, tf.tensor2d(r.grad, [n, A + 1])));
    };
    const { grads } = tf.variableGrads(analytic, net.variables);
    return { grads: net.variables.map((v) => grads[v.name] as tf.Tensor), stats: stats as unknown as tf.Tensor1D };
  }
  const tAct = tf.oneHot(tf.tensor1d(mb.actions, 'int32'), A);
  const tOldLogp = tf.tensor1d(mb.oldLogp);
  const tOldV = tf.tensor1d(mb.oldValues);
  const tRet = tf.tensor1d(mb.returns);
  const tAdv = tf.tensor1d(mb.advantages);
  const tBias = tf.tensor2d(mb.maskBias, [n, A]);
  const lossFn = (): tf.Scalar => {
    const { logits, value } = net.forward(input);
    const logp = tf.logSoftmax(tf.add(logits, tBias));
    const newLogp = tf.sum(tf.mul(logp, tAct), 1);
    const logRatio = tf.sub(newLogp, tOldLogp);
    const ratio = tf.exp(logRatio);
    const pg = avg(tf.maximum(tf.mul(tf.neg(tAdv), ratio), tf.mul(tf.neg(tAdv), tf.clipByValue(ratio, 1 - c.clipCoef, 1 + c.clipCoef))));
    let vLoss: tf.Scalar;
    if (c.clipValueLoss) {
      const vClipped = tf.add(tOldV, tf.clipByValue(tf.sub(value, tOldV), -c.clipCoef, c.clipCoef));
      vLoss = tf.mul(0.5, avg(tf.maximum(tf.squaredDifference(value, tRet), tf.squaredDifference(vClipped, tRet))));
    } else vLoss = tf.mul(0.5, avg(tf.squaredDifference(value, tRet)));
    const entropy = avg(tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1)));
    // CleanRL's approx_kl: mean((ratio - 1) - log ratio), and the share of clipped ratios.
    const kl = avg(tf.sub(tf.sub(ratio, 1), logRatio));
    const clipFrac = avg(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), c.clipCoef), 'float32'));
    stats = tf.keep(tf.stack([pg, vLoss, entropy, kl, clipFrac]) as tf.Tensor1D);
    return tf.add(tf.sub(pg, tf.mul(c.entCoef, entropy)), tf.mul(c.vfCoef, vLoss)) as tf.Scalar;
  };
  const { grads } = tf.variableGrads(lossFn, net.variables);
  return { grads: net.variables.map((v) => grads[v.name] as tf.Tensor), stats: stats as unknown as tf.Tensor1D };
}

/**
 * Global-norm clipping and an Adam step with the (summed) gradients `grads`, in `net.variables` order. The norm sums
 * the squares in that order, so it is the same number for every thread count.
 */
export function applyClipped(net: ActorCritic, optimizer: tf.Optimizer, grads: readonly tf.Tensor[], maxGradNorm: number): void {
  tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.minimum(1, tf.div(maxGradNorm, tf.add(norm, 1e-6)));
    const clipped: Record<string, tf.Tensor> = {};
    net.variables.forEach((v, i) => (clipped[v.name] = tf.mul(grads[i] as tf.Tensor, scale)));
    optimizer.applyGradients(clipped as Parameters<tf.Optimizer['applyGradients']>[0]);
  });
}

/**
 * The first `rows` rows of `mb`, copied: tensors must not alias buffers another thread rewrites. The learner worker
 * and the in-thread fallback both read a shard this way, so both compute on the same arrays.
 */
export function copyRows(mb: Omit<Minibatch, 'rows'>, rows: number, width: number, actions: number): Minibatch {
  const take = <T extends Float32Array | Int32Array>(a: T | null, per: number): T | null => (a ? (a.slice(0, rows * per) as T) : null);
  return {
    rows, dense: take(mb.dense, width), idx: take(mb.idx, width), val: take(mb.val, width),
    actions: take(mb.actions, 1) as Int32Array, oldLogp: take(mb.oldLogp, 1) as Float32Array, oldValues: take(mb.oldValues, 1) as Float32Array,
    returns: take(mb.returns, 1) as Float32Array, advantages: take(mb.advantages, 1) as Float32Array, maskBias: take(mb.maskBias, actions) as Float32Array,
  };
}

/** {@link lossGradients} of one shard, written flat into `grads` (`variables` order) and `stats`; leaves no tensor. */
export function shardGradientsInto(net: ActorCritic, mb: Minibatch, width: number, denom: number, c: LossCoefs, grads: Float32Array, stats: Float64Array): void {
  tf.tidy(() => {
    const r = lossGradients(net, mb, width, denom, c);
    let off = 0;
    for (const t of r.grads) {
      const d = t.dataSync() as Float32Array;
      grads.set(d, off);
      off += d.length;
    }
    stats.set(r.stats.dataSync());
    r.stats.dispose();
  });
}

/** Total number of weights of `net` (the length of its flattened variables). */
export function weightCount(net: ActorCritic): number {
  return net.variables.reduce((s, v) => s + v.size, 0);
}
