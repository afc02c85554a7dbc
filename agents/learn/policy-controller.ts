import * as tf from '@tensorflow/tfjs';
import type { Controller, DecisionContext, EpisodeContext } from '../../core/controller.js';
import type { AgentId, AgentInfo } from '../../core/parallel-env.js';
import type { Rng } from '../../core/rng.js';
import type { ActorCritic } from './networks/actor-critic.js';
import { networkInput } from './networks/network-input.js';
import type { ObservationEncoder } from './observation-encoder.js';

/** How a {@link PolicyController} acts. */
export interface PolicyControllerOptions {
  /** The world's possible agents: an agent's index feeds `agentIds` inputs. */
  readonly agents: readonly AgentId[];
  readonly input: 'dense' | 'embedding-bag';
  /** Never pick an action the world's `actionMask` rules out. Default true. */
  readonly useActionMask?: boolean;
  /** Take the most likely action instead of sampling one (with the controller's own stream). Default false. */
  readonly greedy?: boolean;
  /** First action id of the world's Discrete space. Default 0. */
  readonly actionStart?: number;
}

/**
 * A trained {@link ActorCritic} as a core `Controller`: one forward pass per decision (batch 1), sampling with the
 * `rng` of its `EpisodeContext` so runs stay reproducible by seed. Share one network between many controllers.
 */
export class PolicyController<Obs = unknown, Info extends AgentInfo = AgentInfo> implements Controller<Obs, number, Info> {
  private rng: Rng | null = null;
  private readonly dense: Float32Array | null;
  private readonly idx: Int32Array | null;
  private readonly val: Float32Array | null;
  private readonly width: number;

  constructor(
    readonly net: ActorCritic,
    readonly encoder: ObservationEncoder,
    private readonly opts: PolicyControllerOptions,
  ) {
    this.width = opts.input === 'dense' ? encoder.size : encoder.bagSize;
    this.dense = opts.input === 'dense' ? new Float32Array(this.width) : null;
    this.idx = opts.input === 'dense' ? null : new Int32Array(this.width);
    this.val = opts.input === 'dense' ? null : new Float32Array(this.width);
  }

  reset(ctx: EpisodeContext): void {
    this.rng = ctx.rng;
  }

  act(ctx: DecisionContext<Obs, Info>): number {
    const agent = this.opts.agents.indexOf(ctx.agent);
    if (agent < 0) throw new RangeError(`policy controller: unknown agent "${ctx.agent}"`);
    if (this.dense) this.encoder.encodeDense(ctx.observation, agent, this.dense);
    else this.encoder.encodeBag(ctx.observation, agent, this.idx as Int32Array, this.val as Float32Array);
    // The head's row is the logits then the value; the value is simply not read.
    const head = tf.tidy(() => this.net.head(networkInput(this.opts.input, 1, this.width, this.dense, this.idx, this.val)).dataSync() as Float32Array);
    const logits = head.subarray(0, this.net.spec.actions);
    const mask = this.opts.useActionMask === false ? undefined : ctx.info.actionMask;
    const legal = (a: number) => !mask || mask[a] === 1 || !mask.includes(1);
    let best = -1;
    let max = -Infinity;
    for (let a = 0; a < logits.length; a++) if (legal(a) && (logits[a] as number) > max) [best, max] = [a, logits[a] as number];
    if (!this.opts.greedy) {
      if (!this.rng) throw new Error('policy controller: act() before reset()');
      let sum = 0;
      for (let a = 0; a < logits.length; a++) if (legal(a)) sum += Math.exp((logits[a] as number) - max);
      let u = this.rng.float() * sum;
      for (let a = 0; a < logits.length; a++) {
        if (!legal(a)) continue;
        u -= Math.exp((logits[a] as number) - max);
        if (u < 0) {
          best = a;
          break;
        }
      }
    }
    return best + (this.opts.actionStart ?? 0);
  }
}
