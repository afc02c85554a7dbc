import type { Controller, DecisionContext, EpisodeContext } from '../core/controller.js';
import type { AgentInfo } from '../core/parallel-env.js';
import type { Rng } from '../core/rng.js';
import { sample, type Space, type SpaceValue } from '../core/spaces.js';

/**
 * Uniform over the legal actions (`info.actionMask`) of a discrete action space, or a uniform sample of the action
 * space when the world gives no mask. Draws only from the episode's `ctx.rng`.
 */
export class RandomController implements Controller<unknown, SpaceValue> {
  private rng: Rng | null = null;
  private space: Space | null = null;
  private readonly legal: number[] = [];

  reset(ctx: EpisodeContext): void {
    this.rng = ctx.rng;
    this.space = ctx.actionSpace;
  }

  act(ctx: DecisionContext<unknown, AgentInfo>): SpaceValue {
    const rng = this.rng;
    const space = this.space;
    if (!rng || !space) throw new Error(`random controller of ${ctx.agent}: reset(ctx) must be called before act()`);
    const mask = ctx.info.actionMask;
    if (mask && space.kind === 'discrete') {
      this.legal.length = 0;
      for (let a = 0; a < mask.length; a++) if (mask[a] === 1) this.legal.push(space.start + a);
      if (this.legal.length > 0) return rng.pick(this.legal);
    }
    return sample(space, rng);
  }
}
