/**
 * Adam over flat float32 arrays, for the optimizer step that `learnerThreads: 2` splits between the two threads
 * (ZeRO-1 style): each thread updates a fixed range of the weights, holding that range's moments, with the same code.
 * The arithmetic is float64 (JS numbers), stored as float32: IEEE float64 is the same on every thread, so a range
 * gives the same floats in either thread. Rounding each op to float32 with `Math.fround`, which reproduced tfjs's
 * Adam on wasm bit for bit, was 3x slower (2.1 against 0.7 ms for 97k weights, hot cache), so this differs from
 * tfjs's Adam in the last bits (a test bounds it).
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

/** Sum of the squares of `a + b` (element by element) over `[from, to)`, added in index order in float64. */
export function sumSquares(a: Float32Array, b: Float32Array, from: number, to: number): number {
  let ss = 0;
  for (let i = from; i < to; i++) {
    const g = (a[i] as number) + (b[i] as number);
    ss += g * g;
  }
  return ss;
}

/**
 * The global-norm clip factor `min(1, maxNorm / (norm + 1e-6))` of a gradient whose squares sum to `ss`. The split
 * step adds its two halves' sums in a fixed order (first + second), so every thread count gets the same number.
 */
export function clipFactor(ss: number, maxNorm: number): number {
  return Math.min(1, maxNorm / (Math.sqrt(ss) + 1e-6));
}

/**
 * One Adam step on elements `[from, to)`: gradient `(a + b) * scale`, moments `m`, `v` and weights `w` updated in
 * place: m' = m b1 + g (1 - b1); v' = v b2 + g^2 (1 - b2); w' = w - lr / (1 - acc1) * m' / (sqrt(v') /
 * sqrt(1 - acc2) + eps), tfjs's formula with its bias corrections folded into two constants (one division per
 * element instead of three). An element with no gradient and no moments (a category never seen by the embedding
 * bag: about half of the Crafter net's first layer) is skipped: the step would add -0 to it.
 */
export function adamRange(w: Float32Array, m: Float32Array, v: Float32Array, a: Float32Array, b: Float32Array, from: number, to: number, c: AdamConsts, p: AdamStepParams): void {
  const { beta1, beta2, epsilon } = c;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const stepSize = -p.lr / (1 - p.accBeta1);
  const invRootBias2 = 1 / Math.sqrt(1 - p.accBeta2);
  const scale = p.scale;
  for (let i = from; i < to; i++) {
    const g = ((a[i] as number) + (b[i] as number)) * scale;
    const m0 = m[i] as number;
    const v0 = v[i] as number;
    if (g === 0 && m0 === 0 && v0 === 0) continue;
    const m1 = m0 * beta1 + g * c1;
    const v1 = v0 * beta2 + g * g * c2;
    m[i] = m1;
    v[i] = v1;
    w[i] = (w[i] as number) + (stepSize * m1) / (Math.sqrt(v1) * invRootBias2 + epsilon);
  }
}

/** The running products after a step, float32 as tfjs keeps them (`accBeta.assign(mul(accBeta, beta))`). */
export function nextAcc(acc: number, beta: number): number {
  return Math.fround(acc * Math.fround(beta));
}
