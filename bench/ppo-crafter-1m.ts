/**
 * Flat PPO on Crafter, 1 agent, 1M env steps (issue 5's Crafter benchmark): the world's categorical keys through
 * the embedding bag, [128, 128] torso, 16 envs x 64 steps, 4 epochs x 4 minibatches. Reports the Crafter score and
 * each achievement's success rate as the Crafter paper does (over every episode of the training run), and also over
 * the episodes of the last 10% of the run. Prints progress every 50 updates; ends with one JSON line.
 * Usage: node --import tsx bench/ppo-crafter-1m.ts [totalSteps=1000000] [seed=1] [PPO config overrides JSON, e.g. '{"updateEpochs":2}']
 */
import { initBackend } from '../agents/learn/backend.js';
import { Ppo } from '../agents/learn/ppo.js';
import { Rng } from '../core/rng.js';
import { createCrafterEnv } from '../worlds/crafter/create-crafter-env.js';
import { loadRules } from '../worlds/crafter/rules.js';
import { crafterScore, successRates } from '../worlds/crafter/score.js';

const totalSteps = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 1);
const overrides = JSON.parse(process.argv[4] ?? '{}') as Record<string, unknown>;
const backend = await initBackend('wasm');
const ppo = new Ppo({
  makeEnv: () => createCrafterEnv({ agents: 1, events: false }),
  rng: Rng.fromSeed(seed),
  backend,
  config: { totalSteps, numEnvs: 16, numSteps: 64, hidden: [128, 128], learningRate: 3e-4, observationKeys: ['map', 'inventory', 'vitals', 'facing', 'sleeping'], ...overrides },
});
console.log(JSON.stringify(ppo.runConfig));
const achievements = loadRules().achievements;
const all: Record<string, number>[] = [];
const late: Record<string, number>[] = [];
const t0 = performance.now();
let returns = 0;
let count = 0;
ppo.train((s) => {
  for (const e of ppo.lastEpisodes) {
    all.push({ ...e.metrics });
    if (s.envSteps >= 0.9 * totalSteps) late.push({ ...e.metrics });
    returns += e.returns[0] as number;
    count++;
  }
  if (s.update % 50 === 0 || s.update === ppo.numUpdates) {
    const secs = (performance.now() - t0) / 1000;
    const recent = successRates(all.slice(-200), achievements);
    console.log(`update ${s.update}/${ppo.numUpdates} env steps ${s.envSteps} (${Math.round(s.envSteps / secs)}/s, ${Math.round(secs)} s) episodes ${all.length} mean return ${(returns / Math.max(1, count)).toFixed(2)} score(last 200 eps) ${crafterScore(Object.values(recent)).toFixed(2)}% entropy ${s.entropy.toFixed(2)}`);
    returns = count = 0;
  }
});
const secs = (performance.now() - t0) / 1000;
const rates = successRates(all, achievements);
const lateRates = successRates(late, achievements);
const round = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v.toFixed(1))]));
console.log(JSON.stringify({ totalSteps, seed, seconds: Math.round(secs), envStepsPerSecond: Math.round(ppo.numUpdates * 16 * 64 / secs), episodes: all.length, score: Number(crafterScore(Object.values(rates)).toFixed(2)), successRates: round(rates), lastTenthEpisodes: late.length, lastTenthScore: Number(crafterScore(Object.values(lateRates)).toFixed(2)), lastTenthSuccessRates: round(lateRates) }));
ppo.dispose();
