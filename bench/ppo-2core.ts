/**
 * Both cores for the network: end-to-end PPO env steps/s on Crafter with `learnerThreads` 1 and 2 (data-parallel
 * PPO: half of each minibatch's gradient, of its Adam step and of the rollout's inference in a learner worker
 * thread), interleaved in one process so load changes hit both alike. Cases: the 1M-run config (configs/ppo-crafter-1m.yaml: 1 agent,
 * categorical keys through the embedding bag, [128, 128] tanh, 16 envs x 64, 4 epochs x 4 minibatches) and 6 agents
 * sharing that policy (4 envs x 64). Prints each round and the totals with the load average (/proc/loadavg): the
 * machine may be shared, so compare the ratio within one run. "per CPU-s" divides by the process's CPU time (all
 * threads): the work each variant does, whatever the load.
 * `--inline` adds learnerThreads 2 with both halves in this thread: the cost of sharding itself, on one core, and
 * the bound with the worker's part (gradient shard, inference half, Adam half) fully overlapped.
 * `--analytic` runs every case with `lossGradient: 'analytic'` (the loss's gradient at the head in JS).
 * `--pipeline` adds `rolloutThread: true` (the rollout in a worker thread, one update ahead of the learner;
 * `pipelineRatio` proximal, or behaviour with `--behaviour`); `--skip2` leaves out learnerThreads 2. For the
 * pipeline, "rollout" is the time the learner waited for it (what the overlap did not hide).
 * `--epochs N` sets `updateEpochs` (4, the 1M config's) for every case: fewer passes over each rollout, a cheaper update.
 * Usage: node --import tsx bench/ppo-2core.ts [updates=3] [rounds=2] [--only 1|6] [--inline] [--analytic] [--pipeline [--behaviour]] [--skip2] [--epochs N]
 */
import { readFileSync } from 'node:fs';
import { initBackend } from '../agents/learn/backend.js';
import { Ppo } from '../agents/learn/ppo.js';
import { Rng } from '../core/rng.js';
import { createCrafterEnv } from '../worlds/crafter/create-crafter-env.js';

const args = process.argv.slice(2);
const nums = args.filter((a, i) => /^\d+$/.test(a) && !['--only', '--epochs'].includes(args[i - 1] ?? '')).map(Number);
const updates = nums[0] ?? 3;
const rounds = nums[1] ?? 2;
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? Number(args[onlyAt + 1]) : undefined;
const backend = await initBackend('wasm');
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const inline = args.includes('--inline');
const lossGradient = args.includes('--analytic') ? 'analytic' : 'autodiff';
const pipeline = args.includes('--pipeline');
const pipelineRatio = args.includes('--behaviour') ? 'behaviour' : 'proximal';
const epochsAt = args.indexOf('--epochs');
const epochs = epochsAt >= 0 ? Number(args[epochsAt + 1]) : 4;
const PIPE = 3;
const name = (id: number) => (id === 0 ? 'learnerThreads 2 in one thread' : id === PIPE ? `rolloutThread (${pipelineRatio})` : `learnerThreads ${id}`);
const keys = ['map', 'inventory', 'vitals', 'facing', 'sleeping'];

for (const agents of [1, 6]) {
  if (only !== undefined && only !== agents) continue;
  const config = { totalSteps: 1e9, numEnvs: agents === 1 ? 16 : 4, numSteps: 64, hidden: [128, 128], learningRate: 3e-4, observationKeys: keys, lossGradient, updateEpochs: epochs } as const;
  const steps = config.numEnvs * config.numSteps * updates;
  // Case 0: learnerThreads 2 with both halves in this thread (the same numbers as case 2): what sharding costs on one core.
  const variants = [[1, 1, true], ...(args.includes('--skip2') ? [] : [[2, 2, true] as const]), ...(inline ? [[0, 2, false] as const] : []), ...(pipeline ? [[PIPE, 1, true] as const] : [])] as const;
  const world = { agents, events: false };
  const workerEnv = { module: import.meta.resolve('../worlds/crafter/create-crafter-env.js'), factory: 'createCrafterEnv', arg: world };
  const ppos = new Map(variants.map(([id, t, thread]) => [id, new Ppo({ makeEnv: () => createCrafterEnv(world), rng: Rng.fromSeed(1), backend, config: { ...config, learnerThreads: t, ...(id === PIPE && { rolloutThread: true, pipelineRatio }) }, learnerThread: thread, workerEnv })]));
  for (const p of ppos.values()) p.iterate(); // warm-up: kernels, Adam's slots, the worker's start
  const totals = new Map<number, { wall: number; cpu: number; rollout: number; update: number; second: number; proximal: number }>();
  console.log(`crafter ${agents} agent(s), ${config.numEnvs} envs x ${config.numSteps}, [128, 128] bag, ${epochs} epochs, lossGradient ${lossGradient}, ${updates} updates per case per round`);
  for (let r = 0; r < rounds; r++) {
    const line: string[] = [];
    for (const [t, ppo] of ppos) {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      let rollout = 0;
      let update = 0;
      let second = 0;
      let proximal = 0;
      for (let i = 0; i < updates; i++) {
        ppo.iterate();
        rollout += ppo.lastTimings.rolloutMs;
        update += ppo.lastTimings.updateMs;
        second += ppo.lastTimings.secondHalfMs;
        proximal += ppo.lastTimings.proximalMs;
      }
      const wall = performance.now() - t0;
      const used = process.cpuUsage(cpu0);
      const tot = totals.get(t) ?? { wall: 0, cpu: 0, rollout: 0, update: 0, second: 0, proximal: 0 };
      totals.set(t, { wall: tot.wall + wall, cpu: tot.cpu + (used.user + used.system) / 1000, rollout: tot.rollout + rollout, update: tot.update + update, second: tot.second + second, proximal: tot.proximal + proximal });
      line.push(`${name(t)} ${Math.round(steps / (wall / 1000))}`);
    }
    console.log(`  round ${r + 1}: ${line.join(', ')} env steps/s (load ${load()})`);
  }
  const rate = (t: number) => (steps * rounds) / ((totals.get(t)?.wall ?? 1) / 1000);
  for (const [t, tot] of totals) {
    console.log(`  ${name(t)}: ${Math.round(rate(t))} env steps/s (${Math.round(rate(t) * agents)} agent steps/s, ${Math.round((steps * rounds) / (tot.cpu / 1000))} per CPU-s of all threads); rollout ${Math.round((steps * rounds) / (tot.rollout / 1000))} env steps/s, update ${Math.round((steps * rounds * agents * epochs) / (tot.update / 1000))} samples/s`);
  }
  const one = totals.get(0);
  if (one) {
    // The second half's share of the in-thread run: a worker running it fully in parallel, at no cost, would save that.
    const bound = (steps * rounds) / ((one.wall - one.second) / 1000);
    console.log(`  second half: ${Math.round((100 * one.second) / one.wall)}% of the in-thread run; with it fully overlapped: <= ${Math.round(bound)} env steps/s (${(bound / rate(1)).toFixed(2)}x learnerThreads 1)`);
  }
  if (totals.has(2)) console.log(`  ratio 2 threads / 1 thread: ${(rate(2) / rate(1)).toFixed(2)} (load ${load()})`);
  if (totals.has(PIPE)) {
    const cpu = (t: number) => (steps * rounds) / ((totals.get(t)?.cpu ?? 1) / 1000);
    const p = totals.get(PIPE) as { rollout: number; proximal: number; update: number };
    const per = (ms: number) => (ms / (updates * rounds)).toFixed(1);
    console.log(`  rolloutThread per update: waited ${per(p.rollout)} ms for the rollout, proximal pass ${per(p.proximal)} ms, update ${per(p.update)} ms`);
    console.log(`  ratio rolloutThread / learnerThreads 1: ${(rate(PIPE) / rate(1)).toFixed(2)} end to end, ${(cpu(PIPE) / cpu(1)).toFixed(2)} per CPU-s (load ${load()})`);
  }
  for (const p of ppos.values()) p.dispose();
}
