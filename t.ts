import { createNavigationEnv, GENERATED_LAYOUTS } from './worlds/navigation/index.js';
import { createTeamControllers } from './agents/index.js';
import { runEpisode } from './tests/agents/run-episode.js';
for (const name of ['oracle', 'explorer']) {
  for (const layout of GENERATED_LAYOUTS) {
    const env = createNavigationEnv({ layout } as never);
    let succ = 0; const t0 = performance.now(); let maxRatio = 0;
    for (let s = 0; s < 200; s++) { const o = runEpisode(env, createTeamControllers(name, env.possibleAgents), s); succ += o.metrics.success!; 
      const free = env.state().grid.filter((m) => m !== 1).length; maxRatio = Math.max(maxRatio, o.steps / free); }
    console.log(name, layout, succ, (performance.now() - t0).toFixed(0), 'ms maxSteps/free', maxRatio.toFixed(2));
  }
  const env = createNavigationEnv({ layout: 'maze', width: 101, height: 101 });
  const t0 = performance.now();
  for (let s = 0; s < 3; s++) { const o = runEpisode(env, createTeamControllers(name, env.possibleAgents), s); console.log(name, 'maze101', o.metrics.success, o.steps); }
  console.log((performance.now() - t0).toFixed(0), 'ms');
}
