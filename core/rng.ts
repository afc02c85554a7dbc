import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/** Serializable state of an {@link Rng}: enough to continue the exact same stream after a checkpoint. */
export type RngState = readonly number[];

/**
 * The one source of randomness of a run (xoroshiro128+ from pure-rand).
 *
 * A simulation owns one `Rng` built from the run's seed and hands derived streams ({@link Rng.fork}) to the world
 * and to each controller, so adding a random draw in one place does not shift every other stream.
 *
 * @example
 * const rng = Rng.fromSeed(42);
 * const worldRng = rng.fork('world');
 * worldRng.int(0, 3); // 0..3 inclusive
 */
export class Rng {
  private constructor(private readonly gen: JumpableRandomGenerator) {}

  static fromSeed(seed: number): Rng {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    // xoroshiro128plus takes a 32-bit seed; fold the high bits in so seeds above 2^32 still differ.
    const folded = (seed ^ Math.floor(seed / 0x1_0000_0000)) | 0;
    return new Rng(xoroshiro128plus(folded));
  }

  static fromState(state: RngState): Rng {
    return new Rng(xoroshiro128plusFromState(state));
  }

  /** The generator's state, to store in a checkpoint. */
  getState(): RngState {
    return [...this.gen.getState()];
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return uniformInt(this.gen, min, max);
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return uniformFloat64(this.gen);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A uniformly chosen element; throws on an empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty array');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** A 31-bit non-negative integer, e.g. to seed a library that wants a number. */
  seed(): number {
    return this.int(0, 0x7fff_ffff);
  }

  /**
   * An independent stream derived from this one's current state and a label. Forking does not advance this
   * generator, so the parent's stream is the same whether or not (and in whichever order) children are forked.
   */
  fork(label: string): Rng {
    const child = this.gen.clone();
    let h = 0x811c9dc5;
    for (let i = 0; i < label.length; i++) {
      h ^= label.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    child.jump();
    const mixed = xoroshiro128plus((child.next() ^ h) | 0);
    return new Rng(mixed);
  }
}
