import type { AgentId, AgentInfo } from '../../core/parallel-env.js';
import type { Rng } from '../../core/rng.js';
import { discrete } from '../../core/spaces.js';
import type { Controller } from '../../core/controller.js';

/**
 * A trained policy (any core `Controller` with synchronous decisions, e.g. `ppo.controller(agent)`) as a plain
 * function `(agent, observation, info) => action`, for a level that runs inside another (the executor inside the
 * manager's step). Each agent's controller is built once and reset with its own fork of `rng`.
 */
export function policyActor<Obs, Info extends AgentInfo>(controllerFor: (agent: AgentId) => Controller<Obs, number, Info>, rng: Rng): (agent: AgentId, observation: Obs, info: Info) => number {
  const controllers = new Map<AgentId, Controller<Obs, number, Info>>();
  let step = 0;
  return (agent, observation, info) => {
    let c = controllers.get(agent);
    if (!c) {
      c = controllerFor(agent);
      const space = discrete(1);
      c.reset?.({ agent, episode: 0, observationSpace: space, actionSpace: space, rng: rng.fork(agent) });
      controllers.set(agent, c);
    }
    const a = c.act({ agent, observation, info, step: step++, episode: 0, worldState: () => undefined });
    if (typeof a !== 'number') throw new TypeError('policyActor needs a controller that answers synchronously with an action id');
    return a;
  };
}
