/**
 * End-to-end PPO throughput: env steps/s of rollout + update together, for navigation and Crafter (1 agent, and
 * 6 agents sharing a policy), with the split between rollout (batched inference + world) and update (gradients).
 * Also the hand-written dense gradients against autodiff on the same Crafter config (the wasm ~5x).
 * One env step = one step of one world (all its agents act). "per CPU-s" divides by this process's CPU time,
 * steadier than wall time on a shared machine.
 * Usage: node --import tsx bench/ppo-throughput.ts [updates=3] [--backend wasm] [--only crafter]
 */
import { initBackend } from '../agents/learn/backend.js';
import type { BackendInfo } from '../agents/learn/backend.js';
import { Ppo } from '../agents/learn/ppo.js';
import type { PpoConfigInput } from '../agents/learn/ppo.js';
import type { DiscreteEnv } from '../agents/learn/rollout/vector-env.js';
import { Rng } from '../core/rng.js';
import { createCrafterEnv } from '../worlds/crafter/create-crafter-env.js';
import { createNavigationEnv } from '../worlds/navigation/index.js';

const args = process.argv.slice(2);
const updates = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const backend = await initBackend(flag('--backend') ?? 'wasm');
const only = flag('--only');

interface Case {
  readonly name: string;
  readonly makeEnv: () => DiscreteEnv;
  readonly config: PpoConfigInput;
}

// CleanRL-like settings: 4 epochs x 4 minibatches over each rollout.
const crafterNet: PpoConfigInput = { observationKeys: ['flat'], hidden: [256, 256], activation: 'tanh' };
// The same information as `flat` minus daylight, as categories: 63 cells x 19 ids, item counts, vitals, facing.
const crafterCategorical = ['map', 'inventory', 'vitals', 'facing', 'sleeping'];
const cases: Case[] = [
  {
    name: 'navigation open-room 15x15, 1 agent, 7x7 view, [64, 64], 8 envs x 128 steps, dense first layer',
    makeEnv: () => createNavigationEnv({ layout: 'open-room' }),
    config: { numEnvs: 8, numSteps: 128, hidden: [64, 64], observationKeys: ['view', 'hasKey'], firstLayer: 'dense' },
  },
  {
    name: 'navigation, same, embedding-bag first layer (auto)',
    makeEnv: () => createNavigationEnv({ layout: 'open-room' }),
    config: { numEnvs: 8, numSteps: 128, hidden: [64, 64], observationKeys: ['view', 'hasKey'] },
  },
  {
    name: 'crafter 1 agent, flat 1345, [256, 256], 16 envs x 64 steps',
    makeEnv: () => createCrafterEnv({ agents: 1, events: false }),
    config: { ...crafterNet, numEnvs: 16, numSteps: 64 },
  },
  {
    name: 'crafter 1 agent, categorical keys (map, inventory, vitals, facing, sleeping) as an embedding bag, [256, 256], 16 envs x 64 steps',
    makeEnv: () => createCrafterEnv({ agents: 1, events: false }),
    config: { ...crafterNet, observationKeys: crafterCategorical, numEnvs: 16, numSteps: 64 },
  },
  {
    name: 'crafter 1 agent, same, autodiff gradients',
    makeEnv: () => createCrafterEnv({ agents: 1, events: false }),
    config: { ...crafterNet, numEnvs: 16, numSteps: 64, customGradients: 'off' },
  },
  {
    name: 'crafter 6 agents sharing a policy, flat 1345, [256, 256], 4 envs x 64 steps',
    makeEnv: () => createCrafterEnv({ agents: 6, events: false }),
    config: { ...crafterNet, numEnvs: 4, numSteps: 64 },
  },
  {
    name: 'crafter 6 agents sharing a policy, categorical keys as an embedding bag, [256, 256], 4 envs x 64 steps',
    makeEnv: () => createCrafterEnv({ agents: 6, events: false }),
    config: { ...crafterNet, observationKeys: crafterCategorical, numEnvs: 4, numSteps: 64 },
  },
  {
    name: 'crafter 1 agent, flat 1345, [64, 64], 16 envs x 64 steps',
    makeEnv: () => createCrafterEnv({ agents: 1, events: false }),
    config: { ...crafterNet, hidden: [64, 64], numEnvs: 16, numSteps: 64 },
  },
];

function run(c: Case, info: BackendInfo): void {
  const ppo = new Ppo({ makeEnv: c.makeEnv, rng: Rng.fromSeed(1), backend: info, config: { ...c.config, totalSteps: 1e9 } });
  ppo.iterate(); // warm-up: kernels, Adam's slots
  let rollout = 0;
  let update = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < updates; i++) {
    ppo.iterate();
    rollout += ppo.lastTimings.rolloutMs;
    update += ppo.lastTimings.updateMs;
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6;
  const perUpdate = ppo.config.numEnvs * ppo.config.numSteps;
  const envSteps = perUpdate * updates;
  const agentSteps = envSteps * ppo.vec.agentsPerEnv;
  console.log(
    `${c.name} [${ppo.input}]: ${Math.round(envSteps / wall)} env steps/s (${Math.round(agentSteps / wall)} agent steps/s, ` +
      `${Math.round(envSteps / cpu)} per CPU-s); rollout ${Math.round(envSteps / (rollout / 1000))} env steps/s, ` +
      `update ${Math.round((agentSteps * ppo.config.updateEpochs) / (update / 1000))} samples/s`,
  );
  ppo.dispose();
}

console.log(`PPO throughput, ${updates} updates per case after one warm-up, backend ${backend.backend}`);
for (const c of cases) if (!only || c.name.startsWith(only)) run(c, backend);
