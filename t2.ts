import { createNavigationEnv, GENERATED_LAYOUTS } from './worlds/navigation/index.js';
import { createTeamControllers } from './agents/index.js';
import { runEpisode } from './tests/agents/run-episode.js';
for (const name of ['oracle', 'explorer']) for (const layout of GENERATED_LAYOUTS) for (const agents of [3, 6]) for (const goalMode of ['shared', 'each']) {
  const env = createNavigationEnv({ layout, agents, goalMode } as never);
  let succ = 0, steps = 0; const t0 = performance.now();
  for (let s = 0; s < 50; s++) { const o = runEpisode(env, createTeamControllers(name, env.possibleAgents), s); succ += o.metrics.success!; steps += o.steps; }
  console.log(name, layout, agents, goalMode, 'succ', succ, '/50 meanSteps', (steps / 50).toFixed(1), (performance.now() - t0).toFixed(0), 'ms');
}
