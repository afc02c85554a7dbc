/**
 * The Crafter hierarchy (issue 5, item 3; the Crafter benchmark row): a goal-conditioned low level pi(a | o, g)
 * over the world's subgoal vocabulary (collect / place / make X), trained by PPO on the subgoal reward (reached
 * +1, timeout -0.1) plus half the world's reward, with goals drawn by `CrafterGoalTask` (the recipe regression's
 * next step toward the diamond, 30% a random feasible one). Then two managers drive it through `ManagerEnv`:
 * - `kg`: the knowledge graph's recipe regression picks each subgoal (`recipeSlotChooser`), no learning;
 * - `learned`: PPO over the subgoal slots (semi-MDP discounting via `infos.optionSteps`) on the world's reward.
 * Each manager runs `managerSteps` world steps; its Crafter score (Hafner 2021: geometric mean of achievement
 * success rates) is over every episode that ended in that time, as the paper counts training episodes, and over
 * the last tenth. The low level's own training episodes are scored too (its goal sampler acting as the manager).
 * Usage: node --import tsx bench/crafter-hierarchy.ts [lowSteps=200000] [managerSteps=100000] [seed=1]
 */
import { initBackend } from '../agents/learn/backend.js';
import { Ppo } from '../agents/learn/ppo.js';
import { CrafterGoalTask } from '../agents/hrl/crafter-goal-task.js';
import { CrafterManagerTask, recipeSlotChooser } from '../agents/hrl/crafter-manager-task.js';
import { CrafterRecipePlanner } from '../agents/hrl/crafter-recipe-planner.js';
import { GoalConditionedEnv } from '../agents/hrl/goal-conditioned-env.js';
import { ManagerEnv, type ManagerInfo } from '../agents/hrl/manager-env.js';
import { policyActor } from '../agents/hrl/policy-actor.js';
import type { ParallelEnv } from '../core/parallel-env.js';
import { Rng } from '../core/rng.js';
import type { CrafterInfo, CrafterState } from '../worlds/crafter/crafter-env.js';
import { createCrafterEnv } from '../worlds/crafter/create-crafter-env.js';
import { crafterSubgoals, describeCrafterSubgoal, type CrafterSubgoal } from '../worlds/crafter/crafter-subgoals.js';
import type { SymbolicObservation } from '../worlds/crafter/observation.js';
import { loadRules } from '../worlds/crafter/rules.js';
import { crafterScore, successRates } from '../worlds/crafter/score.js';
import { EpisodeLog, EpisodeTap, type TappedEpisode } from './support/episode-tap.js';

const lowSteps = Number(process.argv[2] ?? 200_000);
const managerSteps = Number(process.argv[3] ?? 100_000);
const seed = Number(process.argv[4] ?? 1);
const backend = await initBackend('wasm');
const rules = loadRules();
const vocab = crafterSubgoals(rules);
const planner = new CrafterRecipePlanner(rules, vocab);
const goals = new CrafterGoalTask(planner);
const rng = Rng.fromSeed(seed);
const t0 = performance.now();
const secs = () => Math.round((performance.now() - t0) / 1000);
type World = ParallelEnv<SymbolicObservation, number, CrafterInfo, CrafterState>;
// PPO seeds its env copies from its own generator; the kg manager's loop seeds its one copy on the first reset.
const world = (log: EpisodeLog): World => new EpisodeTap(createCrafterEnv({ agents: 1 }) as unknown as World, log);

function report(name: string, episodes: readonly TappedEpisode[], steps: number, extra: Record<string, unknown> = {}): void {
  const rates = successRates(episodes.map((e) => e.metrics), rules.achievements);
  const late = episodes.filter((e) => e.envSteps > 0.9 * steps);
  const lateRates = successRates(late.map((e) => e.metrics), rules.achievements);
  const round = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v.toFixed(1))]));
  console.log(JSON.stringify({ method: name, seed, worldSteps: steps, episodes: episodes.length, score: Number(crafterScore(Object.values(rates)).toFixed(2)), lastTenthEpisodes: late.length, lastTenthScore: Number(crafterScore(Object.values(lateRates)).toFixed(2)), successRates: round(rates), seconds: secs(), ...extra }));
}

// ---------------------------------------------------------------- low level
const lowLog = new EpisodeLog();
const low = new Ppo({
  makeEnv: (i) => new GoalConditionedEnv(world(lowLog), { task: goals, rng: rng.fork(`goals-${i}`), reachedBonus: 1, timeoutPenalty: 0.1, extrinsicWeight: 0.5 }),
  rng: rng.fork('low'),
  backend,
  config: { totalSteps: lowSteps, numEnvs: 16, numSteps: 64, hidden: [128, 128], learningRate: 3e-4, gamma: 0.95, observationKeys: ['map', 'inventory', 'vitals', 'facing', 'sleeping', 'goal'] },
});
const perGoal: Record<string, { reached: number; ended: number }> = {};
const lateGoal: Record<string, { reached: number; ended: number }> = {};
low.train((s) => {
  for (const e of low.lastEpisodes) {
    for (const [k, v] of Object.entries(e.metrics)) {
      const m = /^goal\/(.+)\/(reached|ended)$/.exec(k);
      if (!m) continue;
      for (const table of s.envSteps > 0.75 * lowSteps ? [perGoal, lateGoal] : [perGoal]) {
        const c = (table[m[1] as string] ??= { reached: 0, ended: 0 });
        c[m[2] as 'reached' | 'ended'] += v;
      }
    }
  }
  if (s.update % 25 === 0 || s.update === low.numUpdates) console.error(`low level update ${s.update}/${low.numUpdates} env steps ${s.envSteps} hit rate ${(100 * s.successRate).toFixed(1)}% entropy ${s.entropy.toFixed(2)} (${secs()} s)`);
});
const hitRates = (t: Record<string, { reached: number; ended: number }>) =>
  Object.fromEntries(Object.entries(t).sort().map(([k, c]) => [k, `${((100 * c.reached) / Math.max(1, c.ended)).toFixed(1)}% of ${c.ended}`]));
report('low level (goal sampler as manager)', lowLog.episodes, lowSteps, { hitRate: hitRates(perGoal), hitRateLastQuarter: hitRates(lateGoal) });

// ---------------------------------------------------------------- managers
const managerEnv = (log: EpisodeLog, i: number, name: string) => {
  const actor = policyActor((a) => low.controller(a, { greedy: false }), rng.fork(`${name}-actor-${i}`));
  const task = new CrafterManagerTask(goals, actor, rules.materials.length + 7);
  return new ManagerEnv(world(log), task, { maxOptionSteps: 60 });
};

const kgLog = new EpisodeLog();
{
  const env = managerEnv(kgLog, 0, 'kg');
  const choose = recipeSlotChooser(env.task as CrafterManagerTask, rng.fork('kg-choose'));
  let options = 0;
  const optionHits: Record<string, { reached: number; ended: number }> = {};
  while (kgLog.envSteps < managerSteps) {
    let r = env.reset(options === 0 ? { seed: seed * 1000 + 500 } : {});
    while (env.agents.length > 0 && kgLog.envSteps < managerSteps) {
      const a = env.agents[0] as string;
      const slot = choose(a, r.observations[a] as Int32Array, r.infos[a] as ManagerInfo);
      const res = env.step({ [a]: slot });
      options++;
      // Options that ended by reaching their subgoal, per subgoal (an episode's end counts as neither).
      const end = (res.infos[a] as ManagerInfo).optionEnd;
      if (end === 'done' || end === 'timeout') {
        const c = (optionHits[describeCrafterSubgoal(vocab.tasks[slot] as CrafterSubgoal)] ??= { reached: 0, ended: 0 });
        c.ended++;
        if (end === 'done') c.reached++;
      }
      r = { observations: res.observations, infos: res.infos };
    }
  }
  report('hierarchy, kg-planner manager', kgLog.episodes, managerSteps, { options, optionHitRate: hitRates(optionHits) });
}

const learnedLog = new EpisodeLog();
const manager = new Ppo({
  makeEnv: (i) => managerEnv(learnedLog, i, 'learned'),
  rng: rng.fork('manager'),
  backend,
  config: { totalSteps: managerSteps, numEnvs: 8, numSteps: 16, hidden: [64], learningRate: 5e-4, lrSchedule: 'constant', gamma: 0.99, entCoef: 0.01, numMinibatches: 2 },
});
let updates = 0;
while (learnedLog.envSteps < managerSteps) {
  const s = manager.iterate();
  if (++updates % 10 === 0) console.error(`manager update ${updates} world steps ${learnedLog.envSteps} entropy ${s.entropy.toFixed(2)} (${secs()} s)`);
}
report('hierarchy, learned manager', learnedLog.episodes, managerSteps, { updates });
low.dispose();
manager.dispose();
