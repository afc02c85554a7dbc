/**
 * Hierarchy against flat PPO on sparse-reward navigation (issue 5, item 7): MultiRoom with 4 rooms and a 25x25
 * maze, a fixed budget of world steps per run, several seeds. Methods:
 * - `flat`: PPO on the world's sparse reward;
 * - `flat+count`: PPO with count-based cell novelty (1/sqrt(n), per episode);
 * - `hrl+topo`: the hierarchy — a goal-conditioned low level pi(a | view, waypoint) trained by PPO on the subgoal
 *   reward for `lowShare` of the budget, then a manager trained by PPO over subgoal slots (the goal, frontier
 *   places of the topological map) on the world's reward plus the topological reward, for the rest. Both phases'
 *   world steps count against the budget.
 * - `scripted`: no learning, the ceiling of the hierarchy's planner — the same manager task with the goal-first,
 *   nearest-frontier slot and a low level that steps straight to a waypoint one cell along the route.
 * Success and coverage are means over episodes that ended in each quarter of the budget (training episodes; the
 * hierarchy's first phase practises waypoints and has no world episodes to report). `final` = last quarter.
 * Usage: node --import tsx bench/hrl-navigation.ts [budget=60000] [seeds=5] [--only hrl+topo,flat,flat+count,scripted] [--max-steps 256] [--layouts multi-room,maze]
 */
import { initBackend } from '../agents/learn/backend.js';
import { Ppo } from '../agents/learn/ppo.js';
import { CountNovelty, navigationPlaceReader, TopologicalReward, withIntrinsic } from '../agents/learn/intrinsic/index.js';
import { GoalConditionedEnv } from '../agents/hrl/goal-conditioned-env.js';
import { ManagerEnv, type ManagerInfo } from '../agents/hrl/manager-env.js';
import { firstSlotChooser } from '../agents/hrl/task-planners.js';
import { NavigationGoalTask } from '../agents/hrl/navigation-goal-task.js';
import { NavigationManagerTask } from '../agents/hrl/navigation-manager-task.js';
import { policyActor } from '../agents/hrl/policy-actor.js';
import { Rng } from '../core/rng.js';
import { Action, createNavigationEnv, type NavigationConfigInput } from '../worlds/navigation/index.js';
import { EpisodeLog, EpisodeTap } from './support/episode-tap.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const only = flag('--only')?.split(',');
const layoutNames = flag('--layouts')?.split(',') ?? ['multi-room', 'maze'];
const MAX_STEPS = Number(flag('--max-steps') ?? 256);
const budget = Number(args[0] ?? 60_000);
const seeds = Number(args[1] ?? 5);
const LAYOUTS: Record<string, NavigationConfigInput> = {
  'multi-room': { layout: 'multi-room', rooms: 4, roomSize: 5, maxSteps: MAX_STEPS },
  maze: { layout: 'maze', width: 25, height: 25, maxSteps: MAX_STEPS },
};
const NOVELTY_WEIGHT = 0.05;
const TOPO_WEIGHT = 0.1;
const lowShare = 0.5;
const backend = await initBackend('wasm');

type Method = 'flat' | 'flat+count' | 'hrl+topo' | 'scripted';
const methods: Method[] = (['hrl+topo', 'flat', 'flat+count', 'scripted'] as const).filter((m) => !only || only.includes(m));

function world(layout: string, seed: number, i: number, log: EpisodeLog) {
  return new EpisodeTap(createNavigationEnv({ ...(LAYOUTS[layout] as NavigationConfigInput), seed: seed * 1000 + i } as NavigationConfigInput), log);
}

function runFlat(layout: string, seed: number, novelty: boolean): EpisodeLog {
  const log = new EpisodeLog();
  const reader = navigationPlaceReader(3);
  const ppo = new Ppo({
    makeEnv: (i) => (novelty ? withIntrinsic(world(layout, seed, i, log), [{ module: new CountNovelty({ reader }), weight: NOVELTY_WEIGHT }]) : world(layout, seed, i, log)),
    rng: Rng.fromSeed(seed),
    backend,
    config: { totalSteps: budget, numEnvs: 8, numSteps: 128, hidden: [64, 64], observationKeys: ['view', 'position'], learningRate: 1e-3, gamma: 0.99 },
  });
  while (log.envSteps < budget) ppo.iterate();
  ppo.dispose();
  return log;
}

/** The planner's ceiling: first legal slot, a waypoint one step along the route, a low level that steps to it. */
function runScripted(layout: string, seed: number): EpisodeLog {
  const log = new EpisodeLog();
  const stepAlong = (_a: string, o: { goal: Int32Array }) => {
    const [dx, dy] = o.goal as unknown as [number, number];
    return dx > 0 ? Action.right : dx < 0 ? Action.left : dy > 0 ? Action.down : dy < 0 ? Action.up : Action.noop;
  };
  const env = new ManagerEnv(world(layout, seed, 0, log), new NavigationManagerTask({ lowLevel: stepAlong, lookahead: 1 }), { maxOptionSteps: 24 });
  while (log.envSteps < budget) {
    let r = env.reset();
    while (env.agents.length > 0) {
      const res = env.step({ agent_0: firstSlotChooser('agent_0', r.observations.agent_0 as Int32Array, r.infos.agent_0 as ManagerInfo) });
      r = { observations: res.observations, infos: res.infos };
    }
  }
  return log;
}

function runHierarchy(layout: string, seed: number): EpisodeLog {
  const log = new EpisodeLog();
  const rng = Rng.fromSeed(seed);
  log.recording = false;
  const low = new Ppo({
    makeEnv: (i) => new GoalConditionedEnv(world(layout, seed, 100 + i, log), { task: new NavigationGoalTask(), rng: rng.fork(`goals-${i}`) }),
    rng: rng.fork('low'),
    backend,
    config: { totalSteps: budget * lowShare, numEnvs: 8, numSteps: 128, hidden: [64, 64], observationKeys: ['view', 'goal'], learningRate: 1e-3, gamma: 0.9 },
  });
  while (log.envSteps < budget * lowShare) low.iterate();
  log.recording = true;
  const actor = policyActor((a) => low.controller(a, { greedy: false }), rng.fork('actor'));
  const reader = navigationPlaceReader(3);
  const manager = new Ppo({
    makeEnv: (i) => new ManagerEnv(withIntrinsic(world(layout, seed, i, log), [{ module: new TopologicalReward({ reader }), weight: TOPO_WEIGHT }]), new NavigationManagerTask({ lowLevel: actor }), { maxOptionSteps: 24 }),
    rng: rng.fork('manager'),
    backend,
    config: { totalSteps: budget, numEnvs: 8, numSteps: 16, hidden: [32], learningRate: 1e-3, lrSchedule: 'constant', gamma: 0.95, entCoef: 0.01, numMinibatches: 2 },
  });
  while (log.envSteps < budget) manager.iterate();
  low.dispose();
  manager.dispose();
  return log;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const pct = (x: number) => (Number.isNaN(x) ? '  -  ' : `${(100 * x).toFixed(1)}%`.padStart(6));
console.log(`budget ${budget} world steps per run, seeds 1..${seeds}, maxSteps ${MAX_STEPS}, layouts ${layoutNames.join(', ')}`);
for (const layout of layoutNames) {
  for (const method of methods) {
    const t0 = performance.now();
    const quarters: { success: number[]; coverage: number[] }[] = [0, 1, 2, 3].map(() => ({ success: [], coverage: [] }));
    const finals: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const log = method === 'hrl+topo' ? runHierarchy(layout, seed) : method === 'scripted' ? runScripted(layout, seed) : runFlat(layout, seed, method === 'flat+count');
      for (const e of log.episodes) {
        const q = quarters[Math.min(3, Math.floor((4 * (e.envSteps - 1)) / budget))] as { success: number[]; coverage: number[] };
        q.success.push(e.metrics.success as number);
        q.coverage.push(e.metrics.coverage as number);
      }
      finals.push(mean(log.episodes.filter((e) => e.envSteps > 0.75 * budget).map((e) => e.metrics.success as number)));
      console.error(`${layout} ${method} seed ${seed}: final success ${pct(finals.at(-1) as number)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    const s = quarters.map((q) => pct(mean(q.success))).join(' ');
    const c = quarters.map((q) => pct(mean(q.coverage))).join(' ');
    console.log(`${layout.padEnd(10)} ${method.padEnd(10)} success by quarter ${s} | coverage by quarter ${c} | final success per seed ${finals.map((f) => pct(f).trim()).join(' ')} | ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
}
