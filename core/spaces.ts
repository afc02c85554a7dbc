import type { Rng } from './rng.js';

/**
 * Observation and action spaces, in the shape of Gymnasium's `spaces` (Discrete, Box, MultiDiscrete, Dict).
 * A world returns the *same object* from `observationSpace(agent)` on every call, so spaces can be compared by
 * identity and cached by learners.
 */
export type Space = DiscreteSpace | BoxSpace | MultiDiscreteSpace | DictSpace;

/** Integers `start .. start + n - 1`. */
export interface DiscreteSpace {
  readonly kind: 'discrete';
  readonly n: number;
  readonly start: number;
}

/** Typed array element types a Box may hold. */
export type BoxDtype = 'uint8' | 'int32' | 'float32';

/** A typed array of `shape` (row-major) with every element in `[low, high]`. */
export interface BoxSpace {
  readonly kind: 'box';
  readonly shape: readonly number[];
  readonly low: number;
  readonly high: number;
  readonly dtype: BoxDtype;
}

/** A vector of independent discrete values; element i is in `0 .. nvec[i] - 1`. */
export interface MultiDiscreteSpace {
  readonly kind: 'multi-discrete';
  readonly nvec: readonly number[];
}

/** A record of named sub-spaces. */
export interface DictSpace {
  readonly kind: 'dict';
  readonly spaces: Readonly<Record<string, Space>>;
}

export type TypedArray = Uint8Array | Int32Array | Float32Array;

/** A value of a space: a number, a typed array, an array of numbers, or a record of values. */
export type SpaceValue = number | TypedArray | readonly number[] | { readonly [key: string]: SpaceValue };

export function discrete(n: number, start = 0): DiscreteSpace {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`discrete space needs n >= 1, got ${n}`);
  return Object.freeze({ kind: 'discrete', n, start });
}

export function box(shape: readonly number[], low: number, high: number, dtype: BoxDtype = 'float32'): BoxSpace {
  if (shape.some((d) => !Number.isInteger(d) || d < 1)) throw new RangeError(`box shape must be positive integers, got [${shape}]`);
  if (!(low <= high)) throw new RangeError(`box needs low <= high, got ${low} > ${high}`);
  return Object.freeze({ kind: 'box', shape: Object.freeze([...shape]), low, high, dtype });
}

export function multiDiscrete(nvec: readonly number[]): MultiDiscreteSpace {
  if (nvec.length === 0 || nvec.some((n) => !Number.isInteger(n) || n < 1)) throw new RangeError(`multi-discrete needs positive integers, got [${nvec}]`);
  return Object.freeze({ kind: 'multi-discrete', nvec: Object.freeze([...nvec]) });
}

export function dict(spaces: Record<string, Space>): DictSpace {
  return Object.freeze({ kind: 'dict', spaces: Object.freeze({ ...spaces }) });
}

/** Number of elements of a box. */
export function boxSize(space: BoxSpace): number {
  return space.shape.reduce((a, b) => a * b, 1);
}

const DTYPE_CTOR = { uint8: Uint8Array, int32: Int32Array, float32: Float32Array } as const;

/**
 * Why `value` is not in `space`, or `null` if it is. Messages name the path inside the value,
 * e.g. `obs.view[12] = 7 is above high 5`.
 */
export function whyNotContained(space: Space, value: unknown, path = 'value'): string | null {
  switch (space.kind) {
    case 'discrete': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return `${path} should be an integer, got ${describe(value)}`;
      if (value < space.start || value >= space.start + space.n) return `${path} = ${value} is outside ${space.start}..${space.start + space.n - 1}`;
      return null;
    }
    case 'box': {
      const ctor = DTYPE_CTOR[space.dtype];
      if (!(value instanceof ctor)) return `${path} should be a ${ctor.name} of shape [${space.shape}], got ${describe(value)}`;
      const size = boxSize(space);
      if (value.length !== size) return `${path} has ${value.length} elements, shape [${space.shape}] needs ${size}`;
      for (let i = 0; i < value.length; i++) {
        const v = value[i] as number;
        if (Number.isNaN(v)) return `${path}[${i}] is NaN`;
        if (v < space.low) return `${path}[${i}] = ${v} is below low ${space.low}`;
        if (v > space.high) return `${path}[${i}] = ${v} is above high ${space.high}`;
      }
      return null;
    }
    case 'multi-discrete': {
      const arr = value as ArrayLike<number>;
      if (!(Array.isArray(value) || ArrayBuffer.isView(value))) return `${path} should be an array of ${space.nvec.length} integers, got ${describe(value)}`;
      if (arr.length !== space.nvec.length) return `${path} has ${arr.length} elements, expected ${space.nvec.length}`;
      for (let i = 0; i < arr.length; i++) {
        const v = arr[i] as number;
        const n = space.nvec[i] as number;
        if (!Number.isInteger(v) || v < 0 || v >= n) return `${path}[${i}] = ${v} is outside 0..${n - 1}`;
      }
      return null;
    }
    case 'dict': {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) return `${path} should be a record with keys ${Object.keys(space.spaces).join(', ')}, got ${describe(value)}`;
      const rec = value as Record<string, unknown>;
      for (const key of Object.keys(space.spaces)) {
        if (!(key in rec)) return `${path} is missing key "${key}"`;
        const why = whyNotContained(space.spaces[key] as Space, rec[key], `${path}.${key}`);
        if (why) return why;
      }
      for (const key of Object.keys(rec)) if (!(key in space.spaces)) return `${path} has key "${key}" that the space does not declare`;
      return null;
    }
  }
}

export function contains(space: Space, value: unknown): boolean {
  return whyNotContained(space, value) === null;
}

/** A uniformly random value of `space`, drawn from the run's generator. */
export function sample(space: Space, rng: Rng): SpaceValue {
  switch (space.kind) {
    case 'discrete':
      return space.start + rng.int(0, space.n - 1);
    case 'box': {
      const out = new DTYPE_CTOR[space.dtype](boxSize(space));
      const integral = space.dtype !== 'float32';
      for (let i = 0; i < out.length; i++) {
        out[i] = integral ? rng.int(Math.ceil(space.low), Math.floor(space.high)) : space.low + rng.float() * (space.high - space.low);
      }
      return out;
    }
    case 'multi-discrete':
      return space.nvec.map((n) => rng.int(0, n - 1));
    case 'dict': {
      const out: Record<string, SpaceValue> = {};
      for (const [k, s] of Object.entries(space.spaces)) out[k] = sample(s, rng);
      return out;
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as TypedArray).length})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value === 'object' ? 'object' : `${typeof value} ${String(value)}`;
}
