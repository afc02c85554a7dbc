/**
 * canopy Crafter speed vs the reference. Prints world steps/s with symbolic observations for 1, 6 and 100 players,
 * then times the reference `crafter.Env` (image observations, Python) for the same number of steps.
 * Every measurement runs the same number of world steps (random actions, resetting when an episode ends).
 * Usage: node --import tsx bench/crafter.ts [steps=3000] [--no-python] [--no-onehot]
 */
import { spawnSync } from 'node:child_process';
import { CrafterEnv } from '../worlds/crafter/crafter-env.js';
import { Rng } from '../core/rng.js';

const args = process.argv.slice(2);
const steps = Number(args.find((a) => /^\d+$/.test(a)) ?? 3000);
const python = !args.includes('--no-python');
const oneHot = !args.includes('--no-onehot');

/** Wall-clock steps/s and steps per CPU-second of this process (steadier on a shared machine). */
function bench(players: number, n: number, ruleset: 'crafter' | 'mac' = 'crafter'): [number, number] {
  const env = new CrafterEnv({ players, oneHot, ruleset, events: false });
  const rng = Rng.fromSeed(1);
  env.reset({ seed: 1 });
  const actions: Record<string, number> = {};
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    if (env.agents.length === 0) env.reset();
    for (const a of env.agents) actions[a] = rng.int(0, 16);
    for (const a of Object.keys(actions)) if (!env.agents.includes(a)) delete actions[a];
    env.step(actions);
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  return [n / wall, n / ((cpu.user + cpu.system) / 1e6)];
}

const results: Record<string, number> = {};
const cpuResults: Record<string, number> = {};
for (const players of [1, 6, 100]) {
  bench(players, Math.min(steps, 1000)); // warm-up (JIT)
  [results[players], cpuResults[players]] = bench(players, steps);
  console.log(`canopy crafter  players=${String(players).padStart(3)}  ${results[players]!.toFixed(0).padStart(8)} world steps/s  ${cpuResults[players]!.toFixed(0).padStart(8)} per CPU-s  (${(results[players]! * players).toFixed(0)} agent steps/s, oneHot=${oneHot})`);
}

if (python) {
  const n = steps;
  const code = `
import time, numpy as np, crafter
env = crafter.Env(seed=1); env.reset(); rng = np.random.RandomState(1)
t = time.time(); c = time.process_time()
for i in range(${n}):
  _, _, done, _ = env.step(rng.randint(0, 17))
  if done: env.reset()
print(${n} / (time.time() - t), ${n} / (time.process_time() - c))`;
  const res = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
  if (res.status !== 0) console.log(`reference crafter not available: ${res.stderr.trim().split('\n').pop()}`);
  else {
    const [ref, refCpu] = res.stdout.trim().split(/\s+/).map(Number) as [number, number];
    console.log(`reference crafter (python, image obs)  ${ref.toFixed(0).padStart(8)} steps/s  ${refCpu.toFixed(0).padStart(8)} per CPU-s  over ${n} steps`);
    for (const players of [1, 6]) console.log(`ratio players=${players}: ${(results[players]! / ref).toFixed(0)}x the reference (wall), ${(cpuResults[players]! / refCpu).toFixed(0)}x (CPU time)`);
  }
}
