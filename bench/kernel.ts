/**
 * Kernel overhead: the navigation world stepped through the kernel's lockstep clock vs `world.step` called
 * directly with the same actions and the same reset seeds, in one process, alternating repetitions. Also the speed
 * of a 64x64 world with 6 agents (each step computes all 6 egocentric views).
 *
 * Run: npm run bench:kernel   (node --import tsx bench/kernel.ts [steps])
 */
import { Simulation } from '../core/simulation.js';
import type { Controller } from '../core/controller.js';
import type { AgentId, PerAgent } from '../core/parallel-env.js';
import { ACTION_COUNT, createNavigationEnv } from '../worlds/navigation/index.js';
import type { NavigationConfigInput, NavigationEnv } from '../worlds/navigation/index.js';

const STEPS = Number(process.argv[2] ?? 50_000);
const REPS = 9;
const SEED = 7;

/**
 * The action both paths give: a cheap function of (step in episode, agent index), so neither path pays for a
 * policy and the comparison isolates the kernel's own work.
 */
function actionFor(step: number, agentIndex: number): number {
  return (step * 7 + agentIndex * 3 + ((step >> 3) & 1)) % ACTION_COUNT;
}

function formulaController(agentIndex: number): Controller<unknown, number> {
  return { act: (ctx) => actionFor(ctx.step, agentIndex) };
}

interface Measured {
  readonly stepsPerSecond: number;
  /** Sum of all rewards and episode count: equal on both paths when they really took the same trajectory. */
  readonly check: string;
}

/** Through the kernel: `Simulation.runSync` with nothing subscribed, as `canopy run` minus its recording. */
function viaKernel(config: NavigationConfigInput, steps: number, seeds?: number[]): Measured {
  const env = createNavigationEnv(config);
  const index = new Map(env.possibleAgents.map((a, i) => [a, i]));
  const sim = new Simulation({ env, seed: SEED, controllers: (agent) => formulaController(index.get(agent) ?? 0) });
  let rewardSum = 0;
  let episodes = 0;
  // Only the untimed recording pass listens: listeners cost time the timed pass must not pay.
  if (seeds) {
    sim.resets$.subscribe((r) => seeds.push(r.seed));
    sim.transitions$.subscribe((t) => {
      for (const r of Object.values(t.result.rewards)) rewardSum += r;
      if (env.agents.length === 0) episodes++;
    });
  }
  const t0 = performance.now();
  const summary = sim.runSync({ steps });
  const seconds = (performance.now() - t0) / 1000;
  sim.close();
  return { stepsPerSecond: summary.steps / seconds, check: `${rewardSum.toFixed(3)}/${episodes}` };
}

/** Directly: reset with the seeds the kernel used, step with the same actions, nothing else. */
function direct(config: NavigationConfigInput, steps: number, seeds: readonly number[], withCheck = false): Measured {
  const env: NavigationEnv = createNavigationEnv(config);
  const index = new Map<AgentId, number>(env.possibleAgents.map((a, i) => [a, i]));
  let episode = 0;
  let step = 0;
  let rewardSum = 0;
  let episodes = 0;
  const t0 = performance.now();
  env.reset({ seed: seeds[episode] as number });
  for (let n = 0; n < steps; n++) {
    if (env.agents.length === 0) {
      episode++;
      step = 0;
      env.reset({ seed: seeds[episode] as number });
    }
    const actions: PerAgent<number> = {};
    for (const a of env.agents) actions[a] = actionFor(step, index.get(a) as number);
    const result = env.step(actions);
    step++;
    if (withCheck) {
      for (const r of Object.values(result.rewards)) rewardSum += r;
      if (env.agents.length === 0) episodes++;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return { stepsPerSecond: steps / seconds, check: `${rewardSum.toFixed(3)}/${episodes}` };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function compare(label: string, config: NavigationConfigInput, steps: number): void {
  // Untimed pass: record the reset seeds the kernel draws, and check both paths take the same trajectory.
  const seeds: number[] = [];
  const recorded = viaKernel(config, steps, seeds);
  const replayed = direct(config, steps, seeds, true);
  if (recorded.check !== replayed.check) throw new Error(`paths diverged: kernel ${recorded.check} vs direct ${replayed.check}`);

  const kernel: number[] = [];
  const plain: number[] = [];
  const ratios: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    // Alternate which goes first so warm-up and machine noise do not favour one side; the ratio is taken within
    // each back-to-back pair, which shared-machine load drifts disturb far less than the speeds themselves.
    let d: number;
    let k: number;
    if (rep % 2 === 0) {
      d = direct(config, steps, seeds).stepsPerSecond;
      k = viaKernel(config, steps).stepsPerSecond;
    } else {
      k = viaKernel(config, steps).stepsPerSecond;
      d = direct(config, steps, seeds).stepsPerSecond;
    }
    plain.push(d);
    kernel.push(k);
    ratios.push(k / d);
  }
  const r = median(ratios);
  console.log(
    `${label}: direct ${fmt(median(plain))} steps/s, kernel lockstep ${fmt(median(kernel))} steps/s, kernel/direct ${r.toFixed(3)} ` +
      `(overhead ${((1 / r - 1) * 100).toFixed(1)}% time per step; medians of ${REPS} alternating pairs of ${fmt(steps)} steps, ` +
      `same trajectory checked: ${recorded.check} reward/episodes)`,
  );
}

console.log(`node ${process.version}, ${STEPS} steps per repetition`);
compare('four-rooms 19x19, 4 agents', { layout: 'four-rooms', agents: 4, seed: SEED }, STEPS);
compare('open-room 64x64, 6 agents, 7x7 views', { layout: 'open-room', width: 64, height: 64, agents: 6, seed: SEED }, STEPS);
