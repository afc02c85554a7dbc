// Navigation world speed: env steps per second with random legal actions (no kernel, no controllers).
// Run: node --import tsx bench/navigation.ts
import { Rng } from '../core/rng.js';
import { createNavigationEnv, type NavigationConfigInput, type NavigationInfo } from '../worlds/navigation/index.js';

const configs: NavigationConfigInput[] = [
  { layout: 'four-rooms', agents: 1 },
  { layout: 'four-rooms', agents: 6 },
  { layout: 'maze', width: 63, height: 63, agents: 6 },
];
for (const config of configs) {
  const env = createNavigationEnv(config);
  const rng = Rng.fromSeed(1);
  let { infos } = env.reset({ seed: 1 });
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1500) {
    if (env.agents.length === 0) ({ infos } = env.reset());
    const actions: Record<string, number> = {};
    for (const a of env.agents) {
      const mask = (infos[a] as NavigationInfo).actionMask;
      const legal = [0, 1, 2, 3, 4].filter((i) => mask[i] === 1);
      actions[a] = rng.pick(legal);
    }
    ({ infos } = env.step(actions));
    steps++;
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(`navigation ${JSON.stringify(config)}: ${Math.round(steps / secs)} env steps/s`);
}
