import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/rng.js';
import { embeddingBag } from './embedding-bag.js';
import { linear } from './linear.js';

/** Shape of an {@link ActorCritic}. */
export interface ActorCriticSpec {
  /**
   * `dense`: the input is a float vector of `inputSize`. `embedding-bag`: the input is `bagSize` (index, value)
   * pairs into a vocabulary of `inputSize` (see `ObservationEncoder`), and the first layer is an embedding bag.
   */
  readonly input: 'dense' | 'embedding-bag';
  readonly inputSize: number;
  /** Entries per sample of an `embedding-bag` input (ignored for `dense`). */
  readonly bagSize: number;
  /** Every bag value is 1 (`ObservationEncoder.unitValues`): the bag uses its faster segment-sum kernel. */
  readonly unitValues?: boolean;
  /** Widths of the shared torso's layers; the first is the input layer. At least one. */
  readonly hidden: readonly number[];
  readonly activation: 'tanh' | 'relu';
  /** Number of discrete actions (logits). */
  readonly actions: number;
  /** Hand-written dense gradients (`BackendInfo.customGradients`: on for wasm). */
  readonly customGradients: boolean;
}

/** A batch of network inputs, matching `ActorCriticSpec.input`. */
export type NetworkInput =
  | { readonly kind: 'dense'; readonly x: tf.Tensor2D }
  | { readonly kind: 'embedding-bag'; readonly idx: tf.Tensor2D; readonly val: tf.Tensor2D };

/**
 * Policy and value in one network: a shared torso (embedding-bag or dense input layer, then dense layers) and one
 * head of `actions + 1` columns (logits, then the value), so a forward pass is one matMul per layer.
 * Weights are drawn from the run's {@link Rng}: the same seed gives the same network on every backend.
 * Call `forward` inside `tf.tidy`; `dispose` frees the variables.
 */
export class ActorCritic {
  readonly spec: ActorCriticSpec;
  /** Trainable variables, in a fixed order: `[W0, b0, W1, b1, ..., Whead, bhead]`. */
  readonly variables: tf.Variable[];

  constructor(spec: ActorCriticSpec, rng: Rng) {
    if (spec.hidden.length === 0) throw new RangeError('ActorCritic needs at least one hidden layer');
    this.spec = Object.freeze({ ...spec, hidden: Object.freeze([...spec.hidden]) });
    const vars: tf.Variable[] = [];
    const gain = spec.activation === 'relu' ? Math.SQRT2 : 1;
    let fanIn = spec.inputSize;
    // Only the active rows of a one-hot/bag input feed a unit, so the bag size is the first layer's real fan-in.
    let effectiveFanIn = spec.input === 'embedding-bag' ? spec.bagSize : spec.inputSize;
    for (const width of spec.hidden) {
      vars.push(tf.variable(tf.tensor2d(uniform(rng, fanIn * width, gain / Math.sqrt(effectiveFanIn)), [fanIn, width]), true));
      vars.push(tf.variable(tf.zeros([width]), true));
      fanIn = width;
      effectiveFanIn = width;
    }
    // Small policy logits keep the first policy near uniform; the value column gets unit scale (CleanRL's 0.01 / 1).
    const head = new Float32Array(fanIn * (spec.actions + 1));
    const cols = spec.actions + 1;
    for (let r = 0; r < fanIn; r++) {
      for (let c = 0; c < cols; c++) head[r * cols + c] = (rng.float() * 2 - 1) * Math.sqrt(3 / fanIn) * (c < spec.actions ? 0.01 : 1);
    }
    vars.push(tf.variable(tf.tensor2d(head, [fanIn, cols]), true));
    vars.push(tf.variable(tf.zeros([cols]), true));
    this.variables = vars;
  }

  /** Logits `[batch, actions]` and values `[batch]`. Creates tensors: call inside `tf.tidy`. */
  forward(input: NetworkInput): { logits: tf.Tensor2D; value: tf.Tensor1D } {
    const out = this.head(input);
    const a = this.spec.actions;
    const logits = tf.slice(out, [0, 0], [-1, a]) as tf.Tensor2D;
    const value = tf.reshape(tf.slice(out, [0, a], [-1, 1]), [-1]) as tf.Tensor1D;
    return { logits, value };
  }

  /**
   * The head's raw output `[batch, actions + 1]`: row r holds the logits, then the value. For inference, where one
   * read of one tensor beats slicing (each tf op costs ~5 us on wasm). Call inside `tf.tidy`.
   */
  head(input: NetworkInput): tf.Tensor2D {
    const v = this.variables as unknown as tf.Tensor2D[];
    const act = this.spec.activation === 'relu' ? tf.relu : tf.tanh;
    const custom = this.spec.customGradients;
    let h: tf.Tensor2D;
    if (input.kind === 'embedding-bag') {
      if (this.spec.input !== 'embedding-bag') throw new TypeError('this network takes dense input');
      h = act(embeddingBag(input.idx, input.val, v[0] as tf.Tensor2D, v[1] as unknown as tf.Tensor1D, this.spec.unitValues === true));
    } else {
      if (this.spec.input !== 'dense') throw new TypeError('this network takes embedding-bag input');
      h = act(linear(input.x, v[0] as tf.Tensor2D, v[1] as unknown as tf.Tensor1D, custom, false));
    }
    for (let l = 1; l < this.spec.hidden.length; l++) {
      h = act(linear(h, v[2 * l] as tf.Tensor2D, v[2 * l + 1] as unknown as tf.Tensor1D, custom));
    }
    const n = this.spec.hidden.length;
    return linear(h, v[2 * n] as tf.Tensor2D, v[2 * n + 1] as unknown as tf.Tensor1D, custom);
  }

  /** Copies of the weights, in `variables` order (for checkpoints and for copying a policy). */
  getWeights(): Float32Array[] {
    return this.variables.map((v) => v.dataSync() as Float32Array).map((a) => a.slice());
  }

  /** Overwrites the weights; shapes must match `variables`. */
  setWeights(weights: readonly Float32Array[]): void {
    if (weights.length !== this.variables.length) throw new RangeError(`expected ${this.variables.length} weight arrays, got ${weights.length}`);
    this.variables.forEach((v, i) => {
      const w = weights[i] as Float32Array;
      if (w.length !== v.size) throw new RangeError(`weight ${v.name}: expected ${v.size} values, got ${w.length}`);
      tf.tidy(() => v.assign(tf.tensor(w, v.shape)));
    });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** `n` values uniform in `[-a, a]` with `a = scale·√3`, i.e. standard deviation `scale`. */
function uniform(rng: Rng, n: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  const a = scale * Math.sqrt(3);
  for (let i = 0; i < n; i++) out[i] = (rng.float() * 2 - 1) * a;
  return out;
}
