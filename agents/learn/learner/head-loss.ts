/**
 * PPO's loss and its gradient with respect to the network head's output, in plain JS: the `lossGradient:
 * 'analytic'` path. The head of a minibatch is `rows x (actions + 1)` numbers; computing the clipped surrogate, the
 * clipped value loss and the entropy on them in JS, and handing tfjs only `sum(head * dLoss/dhead)` to
 * differentiate, replaces the ~90 tensor ops of the loss and its autodiff (each ~5-20 us of dispatch on wasm,
 * whatever the rows) with two. Same maths as the autodiff loss in `ppo-loss.ts` (ties and clip edges go the same
 * way as tfjs's `maximum` and `clipByValue` gradients); a test compares the gradients.
 */
import type { LossCoefs, Minibatch } from './ppo-loss.js';

/**
 * `grad`: dLoss/dhead (`rows x (actions + 1)`, float32), with every mean taken over `denom` rows (see
 * `lossGradients`); `stats`: `[pg, v, entropy, kl, clipfrac]` on the same scale.
 */
export function headLossGradient(head: Float32Array, mb: Minibatch, actions: number, denom: number, c: LossCoefs): { grad: Float32Array; stats: number[] } {
  const A = actions;
  const n = mb.rows;
  const grad = new Float32Array(n * (A + 1));
  const logp = new Float64Array(A);
  let pgSum = 0;
  let vSum = 0;
  let entSum = 0;
  let klSum = 0;
  let clipSum = 0;
  const lo = 1 - c.clipCoef;
  const hi = 1 + c.clipCoef;
  for (let i = 0; i < n; i++) {
    const off = i * (A + 1);
    const boff = i * A;
    let max = -Infinity;
    for (let j = 0; j < A; j++) max = Math.max(max, (head[off + j] as number) + (mb.maskBias[boff + j] as number));
    let sum = 0;
    for (let j = 0; j < A; j++) sum += Math.exp((head[off + j] as number) + (mb.maskBias[boff + j] as number) - max);
    const lse = max + Math.log(sum);
    let entropy = 0;
    for (let j = 0; j < A; j++) {
      const l = (head[off + j] as number) + (mb.maskBias[boff + j] as number) - lse;
      logp[j] = l;
      const p = Math.exp(l);
      if (p > 0) entropy -= p * l;
    }
    const a = mb.actions[i] as number;
    const logRatio = (logp[a] as number) - (mb.oldLogp[i] as number);
    const ratio = Math.exp(logRatio);
    const adv = mb.advantages[i] as number;
    const t1 = -adv * ratio;
    const t2 = -adv * Math.min(Math.max(ratio, lo), hi);
    pgSum += Math.max(t1, t2);
    // d max(t1, t2) / d ratio: the first argument on ties (tfjs's maximum); the clip passes gradient inside [lo, hi].
    const dRatio = t1 >= t2 || (ratio >= lo && ratio <= hi) ? -adv : 0;
    for (let j = 0; j < A; j++) {
      const p = Math.exp(logp[j] as number);
      // d ratio / dz_j = ratio (1[j = a] - p_j); d entropy / dz_j = -p_j (log p_j + entropy).
      const dSurrogate = dRatio * ratio * ((j === a ? 1 : 0) - p);
      const dEntropy = p > 0 ? -p * ((logp[j] as number) + entropy) : 0;
      grad[off + j] = (dSurrogate - c.entCoef * dEntropy) / denom;
    }
    entSum += entropy;
    klSum += ratio - 1 - logRatio;
    if (Math.abs(ratio - 1) > c.clipCoef) clipSum += 1;
    const v = head[off + A] as number;
    const ret = mb.returns[i] as number;
    const u = (v - ret) ** 2;
    let dV = 2 * (v - ret);
    if (c.clipValueLoss) {
      const oldV = mb.oldValues[i] as number;
      const d = v - oldV;
      const vc = oldV + Math.min(Math.max(d, -c.clipCoef), c.clipCoef);
      const w = (vc - ret) ** 2;
      vSum += Math.max(u, w);
      if (u < w) dV = d >= -c.clipCoef && d <= c.clipCoef ? 2 * (vc - ret) : 0;
    } else vSum += u;
    grad[off + A] = (c.vfCoef * 0.5 * dV) / denom;
  }
  return { grad, stats: [pgSum / denom, (0.5 * vSum) / denom, entSum / denom, klSum / denom, clipSum / denom] };
}
