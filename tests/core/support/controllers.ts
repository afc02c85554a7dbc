import type { Controller, EpisodeContext, Rng } from '../../../core/index.js';
import { LEFT, NOOP, RIGHT } from './corridor-world.js';

/** Walks right with probability 0.6, otherwise a uniform action, from its episode stream (so seeds matter). */
export class RandomWalker implements Controller<Int32Array, number> {
  private rng: Rng | undefined;
  reset(ctx: EpisodeContext): void {
    this.rng = ctx.rng;
  }
  act(): number {
    const rng = this.rng;
    if (!rng) throw new Error('act before reset');
    return rng.chance(0.6) ? RIGHT : rng.pick([NOOP, LEFT, RIGHT]);
  }
}

/** Wraps a controller so that it answers through a resolved Promise: same decisions, asynchronously. */
export function viaPromise(inner: Controller<Int32Array, number>): Controller<Int32Array, number> {
  return {
    reset: (ctx) => inner.reset?.(ctx),
    act: (ctx) => Promise.resolve(inner.act(ctx) as number),
  };
}
