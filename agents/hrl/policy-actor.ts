import type { AgentId, AgentInfo, ParallelEnv, ResetArgs, ResetResult } from '../../core/parallel-env.js';
import { EnvWrapper } from '../../core/env-wrapper.js';
import { Rng } from '../../core/rng.js';
import { discrete } from '../../core/spaces.js';
import type { Controller } from '../../core/controller.js';

/** A trained policy as a plain function, whose sampling streams can restart from an episode's seed. */
export type PolicyActor<Obs, Info extends AgentInfo> = ((agent: AgentId, observation: Obs, info: Info) => number) & {
  /**
   * Restarts every agent's sampling stream from `seed` (forked per agent), so an episode replayed from its seed with
   * the same decisions above takes the same actions: a sampled low level under a manager keeps resume exact.
   */
  reseed(seed: number): void;
};

/**
 * A trained policy (any core `Controller` with synchronous decisions, e.g. `ppo.controller(agent)`) as a plain
 * function `(agent, observation, info) => action`, for a level that runs inside another (the executor inside the
 * manager's step). Each agent's controller is built once and reset with its own fork of `rng` (or, after
 * `reseed(seed)`, of a generator seeded with `seed`).
 */
export function policyActor<Obs, Info extends AgentInfo>(controllerFor: (agent: AgentId) => Controller<Obs, number, Info>, rng: Rng): PolicyActor<Obs, Info> {
  const controllers = new Map<AgentId, Controller<Obs, number, Info>>();
  let base = rng;
  let step = 0;
  const space = discrete(1);
  const start = (agent: AgentId, c: Controller<Obs, number, Info>) => c.reset?.({ agent, episode: 0, observationSpace: space, actionSpace: space, rng: base.fork(agent) });
  const act = (agent: AgentId, observation: Obs, info: Info): number => {
    let c = controllers.get(agent);
    if (!c) {
      c = controllerFor(agent);
      start(agent, c);
      controllers.set(agent, c);
    }
    const a = c.act({ agent, observation, info, step: step++, episode: 0, worldState: () => undefined });
    if (typeof a !== 'number') throw new TypeError('policyActor needs a controller that answers synchronously with an action id');
    return a;
  };
  return Object.assign(act, {
    reseed(seed: number): void {
      base = Rng.fromSeed(seed).fork('policy-actor');
      step = 0;
      for (const [agent, c] of controllers) start(agent, c);
    },
  });
}

/**
 * A world whose every seeded reset first restarts `actor`'s sampling streams from the episode's seed
 * (`PolicyActor.reseed`): wrap the world a manager's executor samples in, so replaying an episode from its seed
 * (a resumed run's envs) replays the executor's actions too. Forwards the run state of intrinsic-reward wrappers.
 */
export class ReseedOnReset<Obs, Info extends AgentInfo, State> extends EnvWrapper<Obs, number, Info, State> {
  constructor(inner: ParallelEnv<Obs, number, Info, State>, private readonly actor: Pick<PolicyActor<unknown, AgentInfo>, 'reseed'>) {
    super(inner);
  }
  override reset(args?: ResetArgs): ResetResult<Obs, Info> {
    if (args?.seed !== undefined) this.actor.reseed(args.seed);
    return this.inner.reset(args);
  }
  runState(): unknown {
    const inner = this.inner as Partial<{ runState(): unknown }>;
    return inner.runState ? inner.runState() : null;
  }
  restoreRunState(state: unknown): void {
    (this.inner as Partial<{ restoreRunState(state: unknown): void }>).restoreRunState?.(state);
  }
}
