import type { AgentId } from '../parallel-env.js';
import { ensure } from './conformance-error.js';
import type { EnvFactory } from './random-actions.js';

export interface MaxStepsTestOptions {
  /** The step limit `makeEnv` configures the environment with. */
  readonly maxSteps: number;
  readonly seed?: number;
  /** Episodes to run (default 2: the second one resets without a seed). */
  readonly episodes?: number;
}

/**
 * The step limit (PettingZoo's `max_cycles_test`): taking every agent's default action, no agent is truncated
 * before step `maxSteps`, and at step `maxSteps` every agent still live is terminated or truncated, which ends the
 * episode.
 * @throws ConformanceError e.g. `maxStepsTest: agent_1 is still live after step 50 of 50`.
 */
export function maxStepsTest(makeEnv: EnvFactory, opts: MaxStepsTestOptions): void {
  const { maxSteps } = opts;
  ensure(Number.isInteger(maxSteps) && maxSteps >= 1, `maxStepsTest: maxSteps must be a positive integer, got ${maxSteps}`);
  const env = makeEnv();
  for (let episode = 0; episode < (opts.episodes ?? 2); episode++) {
    env.reset(episode === 0 ? { seed: opts.seed ?? 0 } : {});
    let t = 0;
    while (env.agents.length > 0) {
      ensure(t < maxSteps, () => `maxStepsTest: ${env.agents.join(', ')} still live after step ${t} of ${maxSteps} (episode ${episode}): the episode should have been truncated`);
      const actions: Record<AgentId, unknown> = {};
      for (const a of env.agents) actions[a] = env.defaultAction(a);
      const before = [...env.agents];
      const res = env.step(actions);
      t++;
      for (const a of before) {
        if (t < maxSteps) ensure(!res.truncations[a], `maxStepsTest: ${a} was truncated at step ${t}, before maxSteps ${maxSteps} (episode ${episode})`);
        else ensure(res.truncations[a] === true || res.terminations[a] === true, `maxStepsTest: ${a} is neither truncated nor terminated at step ${t} = maxSteps (episode ${episode})`);
      }
    }
  }
}
