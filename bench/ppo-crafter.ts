/**
 * A first flat-PPO training run on Crafter (1 agent): the world's categorical keys through the embedding bag,
 * [128, 128] torso. Prints, every 10 updates, env steps, wall time and the mean return and length of the episodes
 * that ended since the last line. The start of issue 5's Crafter benchmark (1M steps, Crafter score), not it.
 * Usage: node --import tsx bench/ppo-crafter.ts [totalSteps=150000] [seed=1]
 */
import { initBackend } from '../agents/learn/backend.js';
import { Ppo } from '../agents/learn/ppo.js';
import { Rng } from '../core/rng.js';
import { createCrafterEnv } from '../worlds/crafter/create-crafter-env.js';

const totalSteps = Number(process.argv[2] ?? 150_000);
const seed = Number(process.argv[3] ?? 1);
const backend = await initBackend('wasm');
const ppo = new Ppo({
  makeEnv: () => createCrafterEnv({ agents: 1, events: false }),
  rng: Rng.fromSeed(seed),
  backend,
  config: { totalSteps, numEnvs: 16, numSteps: 64, hidden: [128, 128], learningRate: 3e-4, observationKeys: ['map', 'inventory', 'vitals', 'facing', 'sleeping'] },
});
console.log(JSON.stringify(ppo.runConfig));
const t0 = performance.now();
let episodes = 0;
let returns = 0;
let lengths = 0;
ppo.train((s) => {
  if (s.episodes > 0) {
    episodes += s.episodes;
    returns += s.meanReturn * s.episodes;
    lengths += s.meanLength * s.episodes;
  }
  if (s.update % 10 === 0 || s.update === ppo.numUpdates) {
    const secs = (performance.now() - t0) / 1000;
    console.log(`update ${s.update} env steps ${s.envSteps} (${Math.round(s.envSteps / secs)}/s) episodes ${episodes} mean return ${(returns / episodes).toFixed(2)} mean length ${(lengths / episodes).toFixed(0)} entropy ${s.entropy.toFixed(2)}`);
    episodes = returns = lengths = 0;
  }
});
ppo.dispose();
