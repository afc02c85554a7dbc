import * as tf from '@tensorflow/tfjs';

/**
 * Everything tfjs's Adam carries between steps, as plain arrays. tfjs's own `getWeights/setWeights` are async and
 * recompute `beta^t` with `pow` on restore, which differs in the last bits from the running product Adam keeps:
 * a resumed run would drift from an uninterrupted one. This copies the running products themselves.
 */
export interface AdamState {
  readonly iterations: number;
  /** Running products beta1^t and beta2^t (float32, as Adam holds them). */
  readonly accBeta1: number;
  readonly accBeta2: number;
  /** First and second moments, one array per variable in the order the gradients were applied (empty before the first step). */
  readonly m: readonly Float32Array[];
  readonly v: readonly Float32Array[];
}

/** tfjs's AdamOptimizer internals this reads and writes (protected in its typings, stable since tfjs 1.x). */
interface AdamInternals {
  iterations_: number | undefined;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

/** A copy of `opt`'s state. */
export function getAdamState(opt: tf.AdamOptimizer): AdamState {
  const o = opt as unknown as AdamInternals;
  const copy = (list: { variable: tf.Variable }[]) => list.map((x) => (x.variable.dataSync() as Float32Array).slice());
  return {
    iterations: o.iterations_ ?? 0,
    accBeta1: (o.accBeta1.dataSync() as Float32Array)[0] as number,
    accBeta2: (o.accBeta2.dataSync() as Float32Array)[0] as number,
    m: copy(o.accumulatedFirstMoment),
    v: copy(o.accumulatedSecondMoment),
  };
}

/** Puts `state` into `opt`, whose variables are `vars` (the same order as when the state was taken). */
export function setAdamState(opt: tf.AdamOptimizer, vars: readonly tf.Variable[], state: AdamState): void {
  const o = opt as unknown as AdamInternals;
  if (state.m.length !== state.v.length || (state.m.length !== 0 && state.m.length !== vars.length)) {
    throw new RangeError(`adam state holds ${state.m.length} moments for ${vars.length} variables`);
  }
  for (const x of [...o.accumulatedFirstMoment, ...o.accumulatedSecondMoment]) x.variable.dispose();
  const make = (arrays: readonly Float32Array[], suffix: string) =>
    arrays.map((a, i) => {
      const v = vars[i] as tf.Variable;
      if (a.length !== v.size) throw new RangeError(`adam moment ${i}: expected ${v.size} values, got ${a.length}`);
      return { originalName: `${v.name}/${suffix}`, variable: tf.tidy(() => tf.tensor(a, v.shape).variable(false)) };
    });
  o.accumulatedFirstMoment = make(state.m, 'm');
  o.accumulatedSecondMoment = make(state.v, 'v');
  tf.tidy(() => {
    o.accBeta1.assign(tf.scalar(state.accBeta1));
    o.accBeta2.assign(tf.scalar(state.accBeta2));
  });
  o.iterations_ = state.iterations;
}
