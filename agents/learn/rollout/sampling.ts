import type { Rng } from '../../../core/rng.js';

/** Samples an action from masked logits with the run's generator; returns it and its log-probability. */
export function sampleAction(logits: Float32Array, off: number, A: number, bias: Float32Array, biasOff: number, rng: Rng): [number, number] {
  let max = -Infinity;
  for (let a = 0; a < A; a++) max = Math.max(max, (logits[off + a] as number) + (bias[biasOff + a] as number));
  let sum = 0;
  for (let a = 0; a < A; a++) sum += Math.exp((logits[off + a] as number) + (bias[biasOff + a] as number) - max);
  let u = rng.float() * sum;
  let pick = A - 1;
  for (let a = 0; a < A; a++) {
    const p = Math.exp((logits[off + a] as number) + (bias[biasOff + a] as number) - max);
    if (p > 0 && u < p) {
      pick = a;
      break;
    }
    u -= p;
  }
  // Rounding can leave u >= 0 after the loop; the last legal action is then the pick.
  while ((bias[biasOff + pick] as number) < 0 && pick > 0) pick--;
  return [pick, (logits[off + pick] as number) + (bias[biasOff + pick] as number) - max - Math.log(sum)];
}

/** Shifts and scales `x` in place to zero mean and unit (sample) variance. */
export function normalise(x: Float32Array): void {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let varSum = 0;
  for (const v of x) varSum += (v - mean) ** 2;
  const std = Math.sqrt(varSum / (x.length - 1));
  for (let i = 0; i < x.length; i++) x[i] = ((x[i] as number) - mean) / (std + 1e-8);
}

/** 1 - Var(returns - values) / Var(returns) over valid samples: how much of the return the value head explains. */
export function explainedVariance(values: Float32Array, returns: Float32Array, valid: Uint8Array): number {
  let n = 0;
  let mr = 0;
  let md = 0;
  for (let i = 0; i < values.length; i++) {
    if (!valid[i]) continue;
    n++;
    mr += returns[i] as number;
    md += (returns[i] as number) - (values[i] as number);
  }
  if (n < 2) return NaN;
  mr /= n;
  md /= n;
  let vr = 0;
  let vd = 0;
  for (let i = 0; i < values.length; i++) {
    if (!valid[i]) continue;
    vr += ((returns[i] as number) - mr) ** 2;
    vd += ((returns[i] as number) - (values[i] as number) - md) ** 2;
  }
  return vr === 0 ? NaN : 1 - vd / vr;
}
