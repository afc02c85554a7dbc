/**
 * The full Crafter hierarchy at the paper's budget (issue 5, Crafter row): every world step of `budget` is counted,
 * and the Crafter score is over every episode that ended in it, the low level's training episodes included.
 * - kg (managerSteps = 0): the kg manager (`CrafterGoalTask` with survival rules, ready crafts first, then a top-up of
 *   wood and stone while they are in view, then the recipe regression toward the stone pickaxe, then the diamond;
 *   10% practice draws among feasible subgoals) picks every subgoal of the
 *   whole run while PPO trains the goal-conditioned low level pi(a | o, g) on the subgoal reward (reached +1,
 *   timeout -0.1) plus half the world's reward. Make / place subgoals whose action would succeed, sleep, and
 *   collect / eat / defeat with the target next to the player run as one-step options (the primitive action: the
 *   turn to face it, the do); the policy walks to things.
 * - learned (managerSteps > 0): the same for `budget - managerSteps` world steps, then PPO over the goal slots
 *   (collect / place / make and the survival subgoals; semi-MDP discounting) drives the trained low level for the
 *   remaining `managerSteps`; the score covers both phases' episodes.
 * Usage: node --import tsx bench/crafter-hierarchy-1m.ts [budget=1000000] [managerSteps=0] [seed=1] [settings JSON]
 * Settings (all optional; the defaults are the best measured, see agents/hrl/README.md): randomShare (0.1), readyCraftsFirst, primitives (false: the policy plays makes and sleep too),
 * policyActions ('options': the low level walks, does and places stone; 'all': every action),
 * survival (false: none, or thresholds as in CrafterSurvivalThresholds), extrinsicWeight (0.5), gamma (0.95),
 * learningRate (6e-4), milestones (items the recipe regression reaches for before the diamond; ["stone_pickaxe"]),
 * stock (items topped up while a source is in view, before the regression's next step; {"wood":6,"stone":2}: the
 * table, both pickaxes and both swords' worth),
 * shelter (off; true or thresholds as in CrafterShelterThresholds: the scripted night option, sealed in a pocket),
 * strikes (true: a defeat / eat subgoal with the creature or ripe plant next to the player is played as the blow;
 * false: the policy fights), collects (true: a collect subgoal with its source next to the player is played as the
 * `do`; false: the policy collects), plantOnce (false; true: collect and plant a sapling early in each episode),
 * managerFeatures (the learned manager's options, as in CrafterManagerOptions: interrupts (true: options end on
 * the survival interrupts), daylight, advice (false)), adviceBonus (0: a reward for picking the kg manager's choice),
 * imitation ({ steps, epochs (30), learningRate (1e-3), valueCoef (0.5), minibatchSize (256) }: the last `steps` of
 * the kg phase, the kg manager drives the trained low level through the manager's world and the manager's network
 * is cloned from its decisions before PPO; `steps` come out of the low level's training, so the learned phase stays
 * `managerSteps`; dagger: { rounds, steps, epochs (10) } adds rounds where the cloned manager acts for `steps` world
 * steps while the kg manager labels its states, each followed by a refit on all decisions so far), manager
 * ({ learningRate (5e-4), entCoef (0.01), hidden ([64]) }: the learned manager's PPO), greedyLowLevel (false: the low level samples
 * under the learned manager and in the demonstrations).
 * Prints progress to stderr and one JSON line per phase plus the whole run; `deaths` counts how episodes that
 * ended before the time limit looked at their last step (vitals at 0, asleep, a zombie within 2).
 */
import { initBackend } from '../agents/learn/backend.js';
import { Ppo } from '../agents/learn/ppo.js';
import { CrafterGoalTask } from '../agents/hrl/crafter-goal-task.js';
import { CrafterManagerTask, recipeSlotChooser, type CrafterManagerOptions } from '../agents/hrl/crafter-manager-task.js';
import { CrafterPrimitiveOptions } from '../agents/hrl/crafter-primitive-options.js';
import { CrafterRecipePlanner } from '../agents/hrl/crafter-recipe-planner.js';
import { CrafterLocalView } from '../agents/hrl/crafter-local-view.js';
import { CrafterSurvival, type CrafterSurvivalThresholds } from '../agents/hrl/crafter-survival.js';
import { CrafterShelter, type CrafterShelterThresholds } from '../agents/hrl/crafter-shelter.js';
import { EnvWrapper } from '../core/env-wrapper.js';
import { GoalConditionedEnv } from '../agents/hrl/goal-conditioned-env.js';
import { ManagerEnv, type ManagerInfo } from '../agents/hrl/manager-env.js';
import { policyActor } from '../agents/hrl/policy-actor.js';
import type { ParallelEnv, PerAgent, StepResult } from '../core/parallel-env.js';
import { Rng } from '../core/rng.js';
import type { CrafterInfo, CrafterState } from '../worlds/crafter/crafter-env.js';
import { createCrafterEnv } from '../worlds/crafter/create-crafter-env.js';
import { crafterSubgoals } from '../worlds/crafter/crafter-subgoals.js';
import type { SymbolicObservation } from '../worlds/crafter/observation.js';
import { loadRules } from '../worlds/crafter/rules.js';
import { crafterScore, successRates } from '../worlds/crafter/score.js';
import { agreement, collectDemonstrations, imitate } from '../agents/learn/imitation.js';
import { EpisodeLog, EpisodeTap, type TappedEpisode } from './support/episode-tap.js';

const budget = Number(process.argv[2] ?? 1_000_000);
const managerSteps = Number(process.argv[3] ?? 0);
const seed = Number(process.argv[4] ?? 1);
const settings = JSON.parse(process.argv[5] ?? '{}') as Settings;
const dagger = settings.imitation?.dagger;
const demoSteps = managerSteps > 0 ? (settings.imitation?.steps ?? 0) + (dagger ? dagger.rounds * dagger.steps : 0) : 0;
const lowSteps = budget - managerSteps - demoSteps;
interface Settings {
  randomShare?: number;
  readyCraftsFirst?: boolean;
  primitives?: boolean;
  policyActions?: 'options' | 'all';
  survival?: false | Partial<CrafterSurvivalThresholds>;
  extrinsicWeight?: number;
  gamma?: number;
  learningRate?: number;
  milestones?: string[];
  stock?: Record<string, number>;
  shelter?: boolean | Partial<CrafterShelterThresholds>;
  strikes?: boolean;
  collects?: boolean;
  plantOnce?: boolean;
  managerFeatures?: CrafterManagerOptions;
  adviceBonus?: number;
  imitation?: { steps: number; epochs?: number; learningRate?: number; valueCoef?: number; minibatchSize?: number; dagger?: { rounds: number; steps: number; epochs?: number } };
  manager?: { learningRate?: number; entCoef?: number; hidden?: number[] };
  greedyLowLevel?: boolean;
}
const backend = await initBackend('wasm');
const rules = loadRules();
const vocab = crafterSubgoals(rules);
const planner = new CrafterRecipePlanner(rules, vocab, 'diamond', settings.milestones ?? ['stone_pickaxe'], settings.stock ?? { wood: 6, stone: 2 });
const rng = Rng.fromSeed(seed);
// One survival state per env copy (its hysteresis is per agent, and every copy has a player_0).
const goalTask = () =>
  new CrafterGoalTask(planner, {
    ...(settings.survival !== false && { survival: new CrafterSurvival(rules, settings.survival ?? {}) }),
    ...(settings.primitives !== false && { primitives: new CrafterPrimitiveOptions(rules, settings.policyActions ?? 'options', { strikes: settings.strikes ?? true, collects: settings.collects ?? true }) }),
    ...(settings.shelter !== undefined && settings.shelter !== false && { shelter: new CrafterShelter(settings.shelter === true ? {} : settings.shelter) }),
    readyCraftsFirst: settings.readyCraftsFirst ?? true,
    plantOnce: settings.plantOnce ?? false,
    randomShare: settings.randomShare ?? 0.1,
  });
const t0 = performance.now();
const secs = () => Math.round((performance.now() - t0) / 1000);
type World = ParallelEnv<SymbolicObservation, number, CrafterInfo, CrafterState>;
const log = new EpisodeLog();
const deaths: Record<string, number> = {};
const view = new CrafterLocalView(rules);
/** Counts what the player's last observation looked like when its episode ended early. */
class DeathTap extends EnvWrapper<SymbolicObservation, number, CrafterInfo, CrafterState> {
  override step(actions: Readonly<PerAgent<number>>): StepResult<SymbolicObservation, CrafterInfo> {
    const res = this.inner.step(actions);
    const o = res.observations.player_0;
    if (o && res.terminations.player_0) {
      const zero = (['food', 'drink', 'energy'] as const).filter((v) => view.vitalOf(o, v) === 0);
      const key = [...zero.map((z) => `${z}0`), ...(o.sleeping[0] ? ['asleep'] : []), ...(view.distanceTo(o, 'zombie') <= 2 ? ['zombie'] : []), ...(view.distanceTo(o, 'skeleton') <= 4 ? ['skeleton'] : [])].join('+') || 'other';
      deaths[key] = (deaths[key] ?? 0) + 1;
    }
    return res;
  }
}
const world = (): World => new DeathTap(new EpisodeTap(createCrafterEnv({ agents: 1 }) as unknown as World, log));

function report(name: string, episodes: readonly TappedEpisode[], from: number, to: number, extra: Record<string, unknown> = {}): void {
  const rates = successRates(episodes.map((e) => e.metrics), rules.achievements);
  const late = episodes.filter((e) => e.envSteps > to - 0.1 * (to - from));
  const lateRates = successRates(late.map((e) => e.metrics), rules.achievements);
  const round = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v.toFixed(1))]));
  const length = episodes.reduce((s, e) => s + (e.metrics.length ?? 0), 0) / Math.max(1, episodes.length);
  console.log(JSON.stringify({ method: name, seed, worldSteps: [from, to], episodes: episodes.length, meanLength: Math.round(length), score: Number(crafterScore(Object.values(rates)).toFixed(2)), lastTenthEpisodes: late.length, lastTenthScore: Number(crafterScore(Object.values(lateRates)).toFixed(2)), successRates: round(rates), lastTenthSuccessRates: round(lateRates), seconds: secs(), ...extra }));
}

/** The manager's reward plus `weight` for each decision that picks the kg manager's own choice (shaping toward it). */
class AdviceBonus extends EnvWrapper<Int32Array, number, ManagerInfo, CrafterState> {
  constructor(inner: ParallelEnv<Int32Array, number, ManagerInfo, CrafterState>, private readonly task: CrafterManagerTask, private readonly weight: number) {
    super(inner);
  }
  override step(actions: Readonly<PerAgent<number>>): StepResult<Int32Array, ManagerInfo> {
    const bonus: PerAgent<number> = {};
    for (const [a, slot] of Object.entries(actions)) bonus[a] = slot === this.task.advisedSlot(a) ? this.weight : 0;
    const res = this.inner.step(actions);
    for (const a of Object.keys(res.rewards)) res.rewards[a] = (res.rewards[a] ?? 0) + (bonus[a] ?? 0);
    return res;
  }
}

// ---------------------------------------------------------------- low level under the kg manager
const low = new Ppo({
  makeEnv: (i) => new GoalConditionedEnv(world(), { task: goalTask(), rng: rng.fork(`goals-${i}`), reachedBonus: 1, timeoutPenalty: 0.1, extrinsicWeight: settings.extrinsicWeight ?? 0.5 }),
  rng: rng.fork('low'),
  backend,
  config: { totalSteps: lowSteps, numEnvs: 16, numSteps: 64, hidden: [128, 128], learningRate: settings.learningRate ?? 6e-4, gamma: settings.gamma ?? 0.95, observationKeys: ['map', 'inventory', 'vitals', 'facing', 'sleeping', 'goal'] },
});
const perGoal: Record<string, { reached: number; ended: number; interrupted: number }> = {};
let updates = 0;
while (log.envSteps < lowSteps) {
  const s = low.iterate();
  updates++;
  for (const e of low.lastEpisodes) {
    for (const [k, v] of Object.entries(e.metrics)) {
      const m = /^goal\/(.+)\/(reached|ended|interrupted)$/.exec(k);
      if (!m || log.envSteps < 0.75 * lowSteps) continue;
      const c = (perGoal[m[1] as string] ??= { reached: 0, ended: 0, interrupted: 0 });
      c[m[2] as 'reached' | 'ended' | 'interrupted'] += v;
    }
  }
  if (updates % 25 === 0) {
    const recent = successRates(log.episodes.slice(-200).map((e) => e.metrics), rules.achievements);
    console.error(`low level update ${updates} world steps ${log.envSteps} (${Math.round(log.envSteps / Math.max(1, secs()))}/s) episodes ${log.episodes.length} score(last 200) ${crafterScore(Object.values(recent)).toFixed(2)}% hit rate ${(100 * s.successRate).toFixed(1)}% entropy ${s.entropy.toFixed(2)} (${secs()} s)`);
  }
}
const lowEpisodes = [...log.episodes];
const hitRates = Object.fromEntries(Object.entries(perGoal).sort().map(([k, c]) => [k, `${((100 * c.reached) / Math.max(1, c.ended)).toFixed(1)}% of ${c.ended}${c.interrupted ? `, ${c.interrupted} interrupted` : ''}`]));
report(managerSteps > 0 ? 'low level under the kg manager (phase 1)' : 'hierarchy, kg manager (the whole run)', lowEpisodes, 0, log.envSteps, { settings, updates, deaths, hitRateLastQuarter: hitRates });

// ---------------------------------------------------------------- learned manager over the trained low level
if (managerSteps > 0) {
  const managerTask = (i: number | string) => {
    const actor = policyActor((a) => low.controller(a, { greedy: settings.greedyLowLevel === true }), rng.fork(`actor-${i}`));
    return new CrafterManagerTask(goalTask(), actor, rules.materials.length + 7, { interrupts: true, ...settings.managerFeatures });
  };
  const managerGamma = 0.99;
  const manager = new Ppo({
    makeEnv: (i) => {
      const task = managerTask(i);
      const env = new ManagerEnv(world(), task, { maxOptionSteps: 60 });
      return settings.adviceBonus ? new AdviceBonus(env, task, settings.adviceBonus) : env;
    },
    rng: rng.fork('manager'),
    backend,
    config: { totalSteps: managerSteps, numEnvs: 8, numSteps: 16, hidden: settings.manager?.hidden ?? [64], learningRate: settings.manager?.learningRate ?? 5e-4, lrSchedule: 'constant', gamma: managerGamma, entCoef: settings.manager?.entCoef ?? 0.01, numMinibatches: 2 },
  });
  if (demoSteps > 0) {
    // Behaviour cloning: the kg manager drives the trained low level through the manager's own world for
    // `demoSteps` world steps; the manager's network is fitted to its picks and to the returns that followed.
    const from = log.envSteps;
    const before = log.episodes.length;
    const task = managerTask('demo');
    const im = settings.imitation ?? { steps: 0 };
    const bcEnd = lowSteps + im.steps;
    const demos = collectDemonstrations(new ManagerEnv(world(), task, { maxOptionSteps: 60 }), recipeSlotChooser(task, rng.fork('teacher')), { rng: rng.fork('demo-seeds'), gamma: managerGamma, done: () => log.envSteps >= bcEnd });
    const fitOpts = { learningRate: im.learningRate ?? 1e-3, valueCoef: im.valueCoef ?? 0.5, minibatchSize: im.minibatchSize ?? 256 };
    let fit = imitate(manager, demos, { rng: rng.fork('imitate'), epochs: im.epochs ?? 30, ...fitOpts });
    const r3 = (xs: number[]) => xs.map((x) => Number(x.toFixed(3)));
    report('kg manager demonstrations (phase 1b)', log.episodes.slice(before), from, log.envSteps, { decisions: demos.length, crossEntropy: r3(fit.crossEntropy), accuracy: r3(fit.accuracy), valueLoss: r3(fit.valueLoss) });
    // DAgger: the cloned manager acts, the kg manager labels the states it reaches; refit on everything so far.
    for (let round = 0; dagger && round < dagger.rounds; round++) {
      const at = log.envSteps;
      const seen = log.episodes.length;
      const t = managerTask(`dagger-${round}`);
      const actor = policyActor((a) => manager.controller(a), rng.fork(`dagger-actor-${round}`));
      const more = collectDemonstrations(new ManagerEnv(world(), t, { maxOptionSteps: 60 }), recipeSlotChooser(t, rng.fork(`dagger-teacher-${round}`)), { rng: rng.fork(`dagger-seeds-${round}`), gamma: managerGamma, done: () => log.envSteps >= bcEnd + (round + 1) * dagger.steps, actor });
      const agreed = agreement(manager, more);
      demos.push(...more);
      fit = imitate(manager, demos, { rng: rng.fork(`dagger-fit-${round}`), epochs: dagger.epochs ?? 10, ...fitOpts });
      report(`DAgger round ${round + 1} (the cloned manager acts, the kg manager labels)`, log.episodes.slice(seen), at, log.envSteps, { decisions: more.length, agreementOnItsOwnStates: Number(agreed.toFixed(3)), accuracy: r3(fit.accuracy) });
    }
  }
  const start = log.envSteps;
  const phaseFrom = log.episodes.length;
  let mUpdates = 0;
  while (log.envSteps < budget) {
    const s = manager.iterate();
    if (++mUpdates % 10 === 0) {
      const recent = successRates(log.episodes.slice(Math.max(phaseFrom, log.episodes.length - 100)).map((e) => e.metrics), rules.achievements);
      console.error(`manager update ${mUpdates} world steps ${log.envSteps} score(last 100) ${crafterScore(Object.values(recent)).toFixed(2)}% entropy ${s.entropy.toFixed(2)} (${secs()} s)`);
    }
  }
  report('learned manager (phase 2)', log.episodes.slice(phaseFrom), start, log.envSteps, { updates: mUpdates });
  report('hierarchy, learned manager (the whole run)', log.episodes, 0, log.envSteps);
  manager.dispose();
}
low.dispose();
