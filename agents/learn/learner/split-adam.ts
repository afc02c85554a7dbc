/**
 * Adam over flat float32 arrays, for the optimizer step that `learnerThreads: 2` splits between the two threads
 * (ZeRO-1 style): each thread updates a fixed range of the weights, holding that range's moments, with the same code.
 * The arithmetic is float64 (JS numbers), stored as float32: IEEE float64 is the same on every thread, so a range
 * gives the same floats in either thread. Rounding each op to float32 with `Math.fround`, which reproduced tfjs's
 * Adam on wasm bit for bit, was 3x slower (2.1 against 0.7 ms for 97k weights), so this differs from tfjs's Adam in
 * the last bits (a test bounds it).
 */

/** Adam's constants. */
export interface AdamConsts {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/** What one step reads: the clip factor, the learning rate and the running products beta^t before this step. */
export interface AdamStepParams {
  readonly scale: number;
  readonly lr: number;
  readonly accBeta1: number;
  readonly accBeta2: number;
}

/**
 * The global-norm clip factor of the gradient `a + b` (the two shards' sums, element by element): the squares are
 * added in index order in float64, so every caller gets the same number: `min(1, maxNorm / (norm + 1e-6))`.
 */
export function clipScale(a: Float32Array, b: Float32Array, n: number, maxNorm: number): number {
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const g = (a[i] as number) + (b[i] as number);
    ss += g * g;
  }
  return Math.min(1, maxNorm / (Math.sqrt(ss) + 1e-6));
}

/**
 * One Adam step on elements `[from, to)`: gradient `(a + b) * scale`, moments `m`, `v` and weights `w` updated in
 * place. tfjs's order: m' = m b1 + g (1 - b1); v' = v b2 + g^2 (1 - b2); w' = (m' / (1 - acc1)) /
 * (sqrt(v' / (1 - acc2)) + eps) * -lr + w.
 */
export function adamRange(w: Float32Array, m: Float32Array, v: Float32Array, a: Float32Array, b: Float32Array, from: number, to: number, c: AdamConsts, p: AdamStepParams): void {
  const { beta1, beta2, epsilon } = c;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const oma1 = 1 - p.accBeta1;
  const oma2 = 1 - p.accBeta2;
  const negLr = -p.lr;
  const scale = p.scale;
  for (let i = from; i < to; i++) {
    const g = ((a[i] as number) + (b[i] as number)) * scale;
    const m1 = (m[i] as number) * beta1 + g * c1;
    const v1 = (v[i] as number) * beta2 + g * g * c2;
    m[i] = m1;
    v[i] = v1;
    w[i] = (w[i] as number) + (m1 / oma1 / (Math.sqrt(v1 / oma2) + epsilon)) * negLr;
  }
}

/** The running products after a step, float32 as tfjs keeps them (`accBeta.assign(mul(accBeta, beta))`). */
export function nextAcc(acc: number, beta: number): number {
  return Math.fround(acc * Math.fround(beta));
}
