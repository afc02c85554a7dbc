/**
 * Env worker threads, measured in one process: end-to-end PPO env steps/s (and the rollout's share) on Crafter with
 * the envs stepped in this thread (0 workers) and in 1 and 2 worker threads, cases interleaved over rounds so load
 * changes hit them alike. The stats are identical for every worker count (a test checks it); only speed differs.
 * Then the envs alone (random actions, no network): world steps/s of the vector in this thread and over 1 and 2
 * worker threads, with observation encoding included.
 * Usage: node --import tsx bench/ppo-workers.ts [updates=3] [rounds=2] [agents=1]   (updates 0: the envs only)
 */
import { initBackend } from '../agents/learn/backend.js';
import { Ppo } from '../agents/learn/ppo.js';
import { ObservationEncoder } from '../agents/learn/observation-encoder.js';
import { VectorEnv } from '../agents/learn/rollout/vector-env.js';
import { WorkerVectorEnv } from '../agents/learn/rollout/worker-vector-env.js';
import type { RolloutEnv } from '../agents/learn/rollout/worker-vector-env.js';
import { Rng } from '../core/rng.js';
import { createCrafterEnv } from '../worlds/crafter/create-crafter-env.js';

const updates = Number(process.argv[2] ?? 3);
const rounds = Number(process.argv[3] ?? 2);
const agents = Number(process.argv[4] ?? 1);
const backend = await initBackend('wasm');
const world = { agents, events: false };
const config = { totalSteps: 1e9, numEnvs: agents === 1 ? 16 : 4, numSteps: 64, hidden: [128, 128], observationKeys: ['map', 'inventory', 'vitals', 'facing', 'sleeping'] };
const workerEnv = { module: import.meta.resolve('../worlds/crafter/create-crafter-env.js'), factory: 'createCrafterEnv', arg: world };
const totals = new Map<number, { wall: number; rollout: number; steps: number }>();
for (let r = 0; r < (updates > 0 ? rounds : 0); r++) {
  for (const workers of [0, 1, 2]) {
    const ppo = new Ppo({ makeEnv: () => createCrafterEnv(world), rng: Rng.fromSeed(1), backend, config, workers, workerEnv });
    ppo.iterate(); // warm-up
    const t0 = performance.now();
    let rollout = 0;
    for (let i = 0; i < updates; i++) {
      ppo.iterate();
      rollout += ppo.lastTimings.rolloutMs;
    }
    const t = totals.get(workers) ?? { wall: 0, rollout: 0, steps: 0 };
    totals.set(workers, { wall: t.wall + performance.now() - t0, rollout: t.rollout + rollout, steps: t.steps + updates * config.numEnvs * config.numSteps });
    ppo.dispose();
  }
}
console.log(`crafter ${agents} agent(s), ${config.numEnvs} envs x ${config.numSteps}, [128, 128] bag, ${updates} updates x ${rounds} rounds per case`);
for (const [workers, t] of totals) {
  console.log(`workers ${workers}: ${Math.round(t.steps / (t.wall / 1000))} env steps/s end to end; rollout ${Math.round(t.steps / (t.rollout / 1000))} env steps/s (${Math.round((100 * t.rollout) / t.wall)}% of the time)`);
}

// The envs alone: random legal-or-not actions (Crafter ignores nothing: every action is valid), bag encoding.
const envSteps = Number(process.env.ENV_STEPS ?? 500);
const keys = config.observationKeys;
const probe = createCrafterEnv(world);
const space = probe.actionSpace(probe.possibleAgents[0] as string);
const nActions = space.kind === 'discrete' ? space.n : 0;
const encoder = new ObservationEncoder(probe.observationSpace(probe.possibleAgents[0] as string), { keys });
const envRates = new Map<number, number>();
for (let r = 0; r < rounds; r++) {
  for (const workers of [0, 1, 2]) {
    const vec: RolloutEnv = workers === 0
      ? new VectorEnv(Array.from({ length: config.numEnvs }, () => createCrafterEnv(world)), encoder, 'embedding-bag', Rng.fromSeed(1))
      : new WorkerVectorEnv({ spec: workerEnv, numEnvs: config.numEnvs, workers, possibleAgents: probe.possibleAgents, actions: nActions, encoder, encoderOptions: { keys }, input: 'embedding-bag', rng: Rng.fromSeed(1) });
    vec.reset();
    const rng = Rng.fromSeed(2);
    const actions = new Int32Array(vec.slots);
    const t0 = performance.now();
    for (let t = 0; t < envSteps; t++) {
      for (let i = 0; i < actions.length; i++) actions[i] = rng.int(0, nActions - 1);
      vec.step(actions);
    }
    envRates.set(workers, (envRates.get(workers) ?? 0) + (envSteps * config.numEnvs) / ((performance.now() - t0) / 1000) / rounds);
    vec.close?.();
  }
}
for (const [workers, rate] of envRates) console.log(`envs only, workers ${workers}: ${Math.round(rate)} world steps/s (random actions, bag encoding)`);
