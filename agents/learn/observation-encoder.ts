import type { Space } from '../../core/spaces.js';
import { boxSize } from '../../core/spaces.js';

/** How an {@link ObservationEncoder} reads a world's observation space. */
export interface EncoderOptions {
  /** Keys of a Dict observation to use, in this order (default: every key, in declared order). */
  readonly keys?: readonly string[];
  /** Integer boxes with at most this many distinct values are one-hot categories; larger ones are scaled numbers. Default 32. */
  readonly maxCategories?: number;
  /** Append the agent's index as a one-hot of this many values (a shared policy that knows who it drives). */
  readonly agentIds?: number;
  /** Entries per sample of the bag encoding (default: the worst case). Set it for sparse float vectors such as Crafter's `flat`. */
  readonly bagSize?: number;
}

type Field =
  | { readonly kind: 'cat'; readonly path: readonly string[]; readonly length: number; readonly low: number; readonly n: number; readonly offset: number }
  | { readonly kind: 'num'; readonly path: readonly string[]; readonly length: number; readonly low: number; readonly scale: number; readonly offset: number };

/**
 * Turns one agent's observation (any core {@link Space} value) into network input, in two forms:
 * - dense: a float vector of `size` (categories one-hot, numbers scaled), for a dense first layer;
 * - bag: `bagSize` (index, value) pairs into the same `size` features (padding is index 0 with value 0), for an
 *   embedding-bag first layer: a 7x7 categorical view becomes 49 indices instead of 392 mostly-zero floats.
 * Integer boxes with few values (and Discrete/MultiDiscrete spaces) are categorical; wider integer boxes are
 * scaled to [0, 1] by their bounds; float boxes pass through unchanged (worlds already normalise them).
 */
export class ObservationEncoder {
  /** Number of features (dense width, bag vocabulary). */
  readonly size: number;
  /** Entries per sample of the bag form. */
  readonly bagSize: number;
  /** Features that are one-hot categories (the rest are numbers). */
  readonly categoricalFeatures: number;
  /** Every bag entry has value 1 (only categories, no padding), so a bag layer may use its faster unit-value kernel. */
  readonly unitValues: boolean;
  private readonly fields: readonly Field[];
  private readonly agentOffset: number;
  private readonly agentIds: number;

  constructor(space: Space, opts: EncoderOptions = {}) {
    const maxCat = opts.maxCategories ?? 32;
    const fields: Field[] = [];
    let offset = 0;
    let worstBag = 0;
    let cat = 0;
    const add = (path: string[], s: Space): void => {
      switch (s.kind) {
        case 'discrete':
          fields.push({ kind: 'cat', path, length: 1, low: s.start, n: s.n, offset });
          offset += s.n;
          cat += s.n;
          worstBag += 1;
          return;
        case 'multi-discrete': {
          const n = Math.max(...s.nvec);
          fields.push({ kind: 'cat', path, length: s.nvec.length, low: 0, n, offset });
          offset += n * s.nvec.length;
          cat += n * s.nvec.length;
          worstBag += s.nvec.length;
          return;
        }
        case 'box': {
          const length = boxSize(s);
          const range = s.high - s.low;
          if (s.dtype !== 'float32' && range + 1 <= maxCat) {
            fields.push({ kind: 'cat', path, length, low: s.low, n: range + 1, offset });
            offset += length * (range + 1);
            cat += length * (range + 1);
          } else {
            const scale = s.dtype === 'float32' || !(range > 0) || !Number.isFinite(range) ? 1 : 1 / range;
            fields.push({ kind: 'num', path, length, low: s.dtype === 'float32' ? 0 : s.low, scale, offset });
            offset += length;
          }
          worstBag += length;
          return;
        }
        case 'dict': {
          const keys = path.length === 0 && opts.keys ? opts.keys : Object.keys(s.spaces);
          for (const k of keys) {
            const sub = s.spaces[k];
            if (!sub) throw new RangeError(`observation key "${k}" is not in the space (keys: ${Object.keys(s.spaces).join(', ')})`);
            add([...path, k], sub);
          }
        }
      }
    };
    add([], space);
    this.agentOffset = offset;
    this.agentIds = opts.agentIds ?? 0;
    if (this.agentIds > 0) {
      offset += this.agentIds;
      cat += this.agentIds;
      worstBag += 1;
    }
    this.fields = fields;
    this.size = offset;
    this.categoricalFeatures = cat;
    this.bagSize = opts.bagSize ?? worstBag;
    this.unitValues = fields.every((f) => f.kind === 'cat') && this.bagSize === worstBag;
    if (!(Number.isInteger(this.bagSize) && this.bagSize >= 1)) throw new RangeError(`bagSize must be a positive integer, got ${this.bagSize}`);
  }

  /** Writes the dense form of `obs` into `out[offset .. offset + size)`. */
  encodeDense(obs: unknown, agent: number, out: Float32Array, offset = 0): void {
    for (const f of this.fields) {
      const v = read(obs, f.path);
      const base = offset + f.offset;
      if (f.kind === 'cat') {
        out.fill(0, base, base + f.length * f.n);
        for (let i = 0; i < f.length; i++) out[base + i * f.n + this.category(f, v, i)] = 1;
      } else if (f.scale === 1 && f.low === 0 && v instanceof Float32Array) {
        out.set(v, base);
      } else {
        for (let i = 0; i < f.length; i++) out[base + i] = (at(v, i) - f.low) * f.scale;
      }
    }
    if (this.agentIds > 0) {
      out.fill(0, offset + this.agentOffset, offset + this.agentOffset + this.agentIds);
      out[offset + this.agentOffset + agent] = 1;
    }
  }

  /** Writes the bag form of `obs` into `idx`/`val` at `[offset .. offset + bagSize)`. @throws RangeError if it has more than `bagSize` entries. */
  encodeBag(obs: unknown, agent: number, idx: Int32Array, val: Float32Array, offset = 0): void {
    let k = offset;
    const end = offset + this.bagSize;
    const overflow = () => new RangeError(`observation has more than bagSize = ${this.bagSize} non-zero features: raise bagSize`);
    for (const f of this.fields) {
      const v = read(obs, f.path);
      if (f.kind === 'cat') {
        if (k + f.length > end) throw overflow();
        for (let i = 0; i < f.length; i++, k++) {
          idx[k] = f.offset + i * f.n + this.category(f, v, i);
          val[k] = 1;
        }
      } else {
        for (let i = 0; i < f.length; i++) {
          const x = (at(v, i) - f.low) * f.scale;
          if (x === 0) continue;
          if (k >= end) throw overflow();
          idx[k] = f.offset + i;
          val[k++] = x;
        }
      }
    }
    if (this.agentIds > 0) {
      if (k >= end) throw overflow();
      idx[k] = this.agentOffset + agent;
      val[k++] = 1;
    }
    idx.fill(0, k, end);
    val.fill(0, k, end);
  }

  private category(f: Field & { kind: 'cat' }, v: unknown, i: number): number {
    const c = at(v, i) - f.low;
    if (!(c >= 0 && c < f.n && Number.isInteger(c))) throw new RangeError(`observation ${f.path.join('.') || 'value'}[${i}] = ${c + f.low} is outside ${f.low}..${f.low + f.n - 1}`);
    return c;
  }
}

function read(obs: unknown, path: readonly string[]): unknown {
  let v = obs;
  for (const k of path) v = (v as Record<string, unknown>)[k];
  return v;
}

function at(v: unknown, i: number): number {
  return typeof v === 'number' ? v : ((v as ArrayLike<number>)[i] as number);
}
