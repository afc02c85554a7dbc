/**
 * canopy Crafter speed vs the reference. Prints world steps/s with symbolic observations for 1, 6 and 100 players,
 * then times the reference `crafter.Env` (image observations, Python) for the same number of steps.
 * Usage: node --import tsx bench/crafter.ts [steps=20000] [--no-python] [--no-onehot]
 */
import { spawnSync } from 'node:child_process';
import { CrafterEnv } from '../worlds/crafter/crafter-env.js';
import { Rng } from '../core/rng.js';

const args = process.argv.slice(2);
const steps = Number(args.find((a) => /^\d+$/.test(a)) ?? 20000);
const python = !args.includes('--no-python');
const oneHot = !args.includes('--no-onehot');

function bench(players: number, n: number, ruleset: 'crafter' | 'mac' = 'crafter'): number {
  const env = new CrafterEnv({ players, oneHot, ruleset, events: false });
  const rng = Rng.fromSeed(1);
  env.reset({ seed: 1 });
  const actions: Record<string, number> = {};
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    if (env.agents.length === 0) env.reset();
    for (const a of env.agents) actions[a] = rng.int(0, 16);
    for (const a of Object.keys(actions)) if (!env.agents.includes(a)) delete actions[a];
    env.step(actions);
  }
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

const results: Record<string, number> = {};
for (const players of [1, 6, 100]) {
  const n = players === 100 ? Math.max(200, Math.floor(steps / 10)) : steps;
  bench(players, Math.min(n, 500));
  results[players] = bench(players, n);
  console.log(`canopy crafter  players=${String(players).padStart(3)}  ${results[players]!.toFixed(0).padStart(8)} world steps/s  (${(results[players]! * players).toFixed(0)} agent steps/s, oneHot=${oneHot})`);
}

if (python) {
  const n = Math.min(steps, 2000);
  const code = `
import time, numpy as np, crafter
env = crafter.Env(seed=1); env.reset(); rng = np.random.RandomState(1)
t = time.time()
for i in range(${n}):
  _, _, done, _ = env.step(rng.randint(0, 17))
  if done: env.reset()
print(${n} / (time.time() - t))`;
  const res = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
  if (res.status !== 0) console.log(`reference crafter not available: ${res.stderr.trim().split('\n').pop()}`);
  else {
    const ref = Number(res.stdout.trim());
    console.log(`reference crafter (python, image obs)  ${ref.toFixed(0).padStart(8)} steps/s  over ${n} steps`);
    for (const players of [1, 6]) console.log(`ratio players=${players}: ${(results[players]! / ref).toFixed(0)}x the reference (world steps/s)`);
  }
}
