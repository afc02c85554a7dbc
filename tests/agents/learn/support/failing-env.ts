/**
 * An env that works until its `failAt`-th step and then throws: for the rollout thread's error path (the thread
 * builds its envs from this module, so a real error is raised inside the worker thread).
 */
import type { DiscreteEnv } from '../../../../agents/learn/rollout/vector-env.js';
import { createNavigationEnv } from '../../../../worlds/navigation/index.js';

export function createFailingEnv(arg: { failAt: number }): DiscreteEnv {
  const env = createNavigationEnv({ layout: 'open-room', width: 5, height: 5, maxSteps: 8 }) as unknown as DiscreteEnv;
  let steps = 0;
  const step = env.step.bind(env);
  env.step = (actions) => {
    if (++steps >= arg.failAt) throw new Error(`failing env: step ${steps} breaks on purpose`);
    return step(actions);
  };
  return env;
}
