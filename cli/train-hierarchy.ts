import { z } from 'zod';
import { GoalConditionedEnv } from '../agents/hrl/goal-conditioned-env.js';
import { ManagerEnv, type ManagerInfo } from '../agents/hrl/manager-env.js';
import { policyActor, ReseedOnReset, type PolicyActor } from '../agents/hrl/policy-actor.js';
import { NavigationGoalTask } from '../agents/hrl/navigation-goal-task.js';
import { NavigationManagerTask } from '../agents/hrl/navigation-manager-task.js';
import type { GoalPolicy } from '../agents/hrl/navigation-manager-task.js';
import { CrafterGoalTask } from '../agents/hrl/crafter-goal-task.js';
import { CrafterManagerTask, recipeSlotChooser, type CrafterGoalPolicy } from '../agents/hrl/crafter-manager-task.js';
import { collectDemonstrations, imitate, type ImitationStats } from '../agents/learn/imitation.js';
import { CrafterPrimitiveOptions } from '../agents/hrl/crafter-primitive-options.js';
import { CrafterRecipePlanner } from '../agents/hrl/crafter-recipe-planner.js';
import { CrafterSurvival } from '../agents/hrl/crafter-survival.js';
import { goalInView, UntilReward } from '../agents/learn/intrinsic/index.js';
import type { IntrinsicReward } from '../agents/learn/intrinsic/index.js';
import { PpoConfigError, parsePpoConfig, type Ppo } from '../agents/learn/ppo.js';
import type { PpoConfig } from '../agents/learn/ppo.js';
import type { DiscreteEnv } from '../agents/learn/rollout/vector-env.js';
import { SubgoalError } from '../core/subgoal-vocabulary.js';
import type { AgentInfo, ParallelEnv } from '../core/parallel-env.js';
import { Rng } from '../core/rng.js';
import { navigationSubgoals } from '../worlds/navigation/navigation-subgoals.js';
import type { CrafterEnv, CrafterInfo, CrafterState } from '../worlds/crafter/crafter-env.js';
import { crafterSubgoals } from '../worlds/crafter/crafter-subgoals.js';
import { loadRules } from '../worlds/crafter/rules.js';
import type { SymbolicObservation } from '../worlds/crafter/observation.js';
import type { NavigationInfo, NavigationObservation } from '../worlds/navigation/navigation-env.js';
import { CliError } from './errors.js';
import { makeTrainWorld, NAVIGATION_PLACE_SIZE, withTrainIntrinsic } from './train-env.js';
import type { ResolvedTrainConfig } from './train-config.js';

/**
 * `hierarchy:` of a train config (navigation): a goal-conditioned low level pi(a | view, waypoint) trained first on
 * the subgoal reward (`lowLevel`), then a learned manager over subgoal slots (the goal, frontier places of its
 * topological map) trained with semi-MDP discounting on the world's reward plus the config's `intrinsic` modules.
 * The manager's PPO is the config's `ppo`; `totalSteps` counts the manager's decisions.
 */
export const HierarchySchema = z.strictObject({
  /** Side of a place of the topological map, in cells. */
  placeSize: z.int().positive().default(NAVIGATION_PLACE_SIZE),
  lowLevel: z.strictObject({
    /** World steps of the low level's training (phase 1). */
    steps: z.int().positive(),
    /** Waypoint offsets are clipped to [-reach, reach]. */
    reach: z.int().positive().default(4),
    /** Practice waypoints lie 1..maxDistance steps away over known cells (the executor hands out near ones). */
    maxDistance: z.int().positive().default(2),
    reachedBonus: z.number().default(1),
    timeoutPenalty: z.number().min(0).default(0),
    /** The low level's PPO (agents/learn README), over the defaults below; `totalSteps` is `steps`. */
    ppo: z.record(z.string(), z.unknown()).default({}),
  }),
  manager: z.strictObject({
    /** Subgoal kinds the manager proposes; each must be offered by the world (its subgoal vocabulary). */
    subgoals: z.array(z.string()).min(1).default(['goal', 'frontier']),
    /** Frontier slots after the goal slot, nearest first: the manager's action space is 1 + frontierSlots. */
    frontierSlots: z.int().positive().default(2),
    /** An option ends after this many world steps if its subgoal is not reached. */
    maxOptionSteps: z.int().positive().default(24),
    /** The waypoint handed to the low level lies this many steps along the route. */
    lookahead: z.int().positive().default(1),
    /** The manager's intrinsic rewards stop for the rest of an episode once the goal is in view (`UntilReward`). */
    intrinsicUntilGoal: z.boolean().default(true),
    /** The low level samples its actions inside options instead of taking the most likely one (see Crafter's). */
    sampleLowLevel: z.boolean().default(false),
  }).default({ subgoals: ['goal', 'frontier'], frontierSlots: 2, maxOptionSteps: 24, lookahead: 1, intrinsicUntilGoal: true, sampleLowLevel: false }),
});

/**
 * `hierarchy:` of a Crafter train config: a goal-conditioned low level pi(a | o, g) over the collect / place / make
 * subgoals (goals from the recipe regression toward the diamond, or random feasible ones: `CrafterGoalTask`), then a
 * learned manager over one slot per subgoal (`CrafterManagerTask`), as in bench/crafter-hierarchy.ts.
 */
export const CrafterHierarchySchema = z.strictObject({
  lowLevel: z.strictObject({
    /** World steps of the low level's training (phase 1). */
    steps: z.int().positive(),
    /** Share of practice goals drawn among the feasible ones instead of the regression's next step. */
    randomShare: z.number().min(0).max(1).default(0.3),
    /** Of the random draws, the share taken among feasible places and makes when there are any. */
    craftShare: z.number().min(0).max(1).default(0.5),
    /** Steps allowed per goal kind (iron, coal and diamond get twice `collect`). */
    timeouts: z.strictObject({ collect: z.int().positive().default(60), place: z.int().positive().default(20), make: z.int().positive().default(40) }).default({ collect: 60, place: 20, make: 40 }),
    reachedBonus: z.number().default(1),
    timeoutPenalty: z.number().min(0).default(0.1),
    /** Weight of the world's reward added to the subgoal reward. */
    extrinsicWeight: z.number().min(0).default(0.5),
    /** Survival rules first (drink, eat, sleep, fight: `CrafterSurvival`), with the survival subgoals as goals and slots. */
    survival: z.boolean().default(false),
    /**
     * One-step options (`CrafterPrimitiveOptions`): `options` plays ready makes / places and sleep as their action
     * and leaves the policy noop, moves, do and place_stone; `all` plays them too but leaves every action to it.
     */
    primitives: z.enum(['none', 'options', 'all']).default('none'),
    /** With primitives: `defeat X` / `eat X` with the creature (or a ripe plant) next to the player is played as the blow or bite. */
    strikes: z.boolean().default(false),
    /** With primitives: `collect X` with its source next to the player (tools held) is played as the `do`. */
    collects: z.boolean().default(false),
    /** Feasible makes of tools not held yet (swords too) and a held sapling's planting before the regression's next step. */
    readyCraftsFirst: z.boolean().default(false),
    /**
     * Items the recipe regression reaches for, in order, before the diamond (e.g. `[stone_pickaxe]`: the pickaxe
     * before the furnace's stones). Each must be an item some rule of the world makes or collects.
     */
    milestones: z.array(z.string()).default([]),
    /**
     * Items topped up while a source is in view, before the regression's next step (e.g. `{ wood: 5 }`: spare wood
     * for the swords, cut while the trees are near). Each must be an item some material gives when collected.
     */
    stock: z.record(z.string(), z.int().nonnegative()).default({}),
    ppo: z.record(z.string(), z.unknown()).default({}),
  }),
  manager: z.strictObject({
    /** An option ends after this many world steps if its subgoal is not reached. */
    maxOptionSteps: z.int().positive().default(60),
    /**
     * Options also end on the low level's survival interrupts (a zombie at hand, thirst, hunger, tiredness), as
     * under the kg manager, and the manager decides again. Needs `lowLevel.survival`.
     */
    interrupts: z.boolean().default(false),
    /**
     * The low level samples its actions inside options, as it did while it trained, instead of taking the most likely
     * one (greedy, the kg manager's episodes over a 600k-step low level scored 11.6% instead of 17.3%: bench, seed 1).
     * Each episode's sampling restarts from the episode's seed, so `--resume` stays exact. Also how `canopy eval` /
     * `policy:DIR` run it.
     */
    sampleLowLevel: z.boolean().default(false),
    /**
     * Behaviour-cloning warm start: before its PPO, the kg manager (the goal task's own choice: survival, ready
     * crafts, stock, then the recipe regression) drives the trained low level for `steps` world steps, and the
     * manager's network is fitted to its picks and to the returns that followed (agents/learn/imitation.ts).
     */
    imitation: z.strictObject({
      steps: z.int().positive(),
      /** Passes over the demonstrations. */
      epochs: z.int().positive().default(30),
      learningRate: z.number().positive().default(1e-3),
      /** Weight of the value column's fit to the returns (0: the critic starts untrained). */
      valueCoef: z.number().min(0).default(0.5),
      minibatchSize: z.int().positive().default(256),
    }).optional(),
  }).default({ maxOptionSteps: 60, interrupts: false, sampleLowLevel: false }),
});

/** A validated hierarchy: navigation's (`world` absent in configs written before Crafter had one) or Crafter's. */
export type Hierarchy = (z.output<typeof HierarchySchema> & { readonly world?: 'navigation' }) | (z.output<typeof CrafterHierarchySchema> & { readonly world: 'crafter' });

/** The low level's PPO defaults (as in bench/hrl-navigation.ts): it sees its view and the waypoint. */
const LOW_LEVEL_PPO = { observationKeys: ['view', 'goal'], learningRate: 3e-3, gamma: 0.9 } as const;
/** Crafter's low level (as in bench/crafter-hierarchy.ts): the flat PPO's keys plus the goal. */
const CRAFTER_LOW_LEVEL_PPO = { observationKeys: ['map', 'inventory', 'vitals', 'facing', 'sleeping', 'goal'], hidden: [128, 128], numEnvs: 16, numSteps: 64, learningRate: 3e-4, gamma: 0.95 };

/** Kinds the navigation manager task can propose. */
const MANAGER_KINDS = ['goal', 'frontier'] as const;

/**
 * Validates `hierarchy` against the run: the world (navigation or crafter), its subgoal vocabulary (a kind the
 * world does not offer fails with the vocabulary's message) and the worker count. @throws CliError
 */
export function parseHierarchy(raw: unknown, run: { world: string; layout?: string; params: Readonly<Record<string, unknown>>; workers: number }, source: string): Hierarchy {
  if (run.world === 'crafter') return parseCrafterHierarchy(raw, run, source);
  const res = HierarchySchema.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0];
    throw new CliError(`${source}: hierarchy.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const h = res.data;
  if (run.world !== 'navigation') throw new CliError(`${source}: hierarchy: only the navigation and crafter worlds have a goal-conditioned low level so far (got world ${run.world})`);
  if (run.workers > 0) throw new CliError(`${source}: hierarchy: env workers are not supported with a hierarchy yet (set workers: 0)`);
  let vocab;
  try {
    vocab = navigationSubgoals({ ...run.params, layout: run.layout } as never, h.placeSize);
  } catch (err) {
    throw new CliError(`${source}: hierarchy: ${(err as Error).message.split('\n')[0]}`);
  }
  h.manager.subgoals.forEach((kind, i) => {
    try {
      if (!(vocab.kinds as readonly string[]).includes(kind)) vocab.parse({ kind });
    } catch (err) {
      if (err instanceof SubgoalError) throw new CliError(`${source}: hierarchy.manager.subgoals[${i}]: ${err.message}`);
      throw err;
    }
    if (!(MANAGER_KINDS as readonly string[]).includes(kind)) throw new CliError(`${source}: hierarchy.manager.subgoals[${i}]: the navigation manager proposes ${MANAGER_KINDS.join(' and ')} subgoals; "${kind}" is offered by the world but not used by it yet`);
  });
  lowLevelPpoConfig(h, 'auto', source);
  return h;
}

function parseCrafterHierarchy(raw: unknown, run: { params: Readonly<Record<string, unknown>>; workers: number }, source: string): Hierarchy {
  const res = CrafterHierarchySchema.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0];
    throw new CliError(`${source}: hierarchy.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  if (run.workers > 0) throw new CliError(`${source}: hierarchy: env workers are not supported with a hierarchy yet (set workers: 0)`);
  if (run.params.events === false) throw new CliError(`${source}: hierarchy: crafter subgoals are reached from the world's events: remove params.events: false`);
  const h: Hierarchy = { world: 'crafter', ...res.data };
  const rules = loadRules(); // the rulesets share their items (MAC changes caps, sharing and the iron tools' stations)
  const collected = new Set(Object.values(rules.data.collect).flatMap((c) => Object.keys(c.receive)));
  const obtainable = new Set([...Object.keys(rules.data.make), ...collected]);
  h.lowLevel.milestones.forEach((m, i) => {
    if (!obtainable.has(m)) throw new CliError(`${source}: hierarchy.lowLevel.milestones[${i}]: "${m}" is not an item this world's rules make or collect (${[...obtainable].sort().join(', ')})`);
  });
  for (const item of Object.keys(h.lowLevel.stock)) {
    if (!collected.has(item)) throw new CliError(`${source}: hierarchy.lowLevel.stock.${item}: "${item}" is not an item this world's rules collect (${[...collected].sort().join(', ')})`);
  }
  if (h.manager.interrupts && !h.lowLevel.survival) throw new CliError(`${source}: hierarchy.manager.interrupts: the interrupts are the survival rules' (set lowLevel.survival: true)`);
  for (const k of ['strikes', 'collects'] as const) {
    if (h.lowLevel[k] && h.lowLevel.primitives === 'none') throw new CliError(`${source}: hierarchy.lowLevel.${k}: needs one-step options (set primitives: options)`);
  }
  lowLevelPpoConfig(h, 'auto', source);
  return h;
}

/** The low level's PPO config: defaults, then `hierarchy.lowLevel.ppo`, with the run's backend and `lowLevel.steps`. */
export function lowLevelPpoConfig(h: Hierarchy, backend: string, source = 'config'): PpoConfig {
  try {
    const defaults = h.world === 'crafter' ? CRAFTER_LOW_LEVEL_PPO : LOW_LEVEL_PPO;
    const c = parsePpoConfig({ ...defaults, ...h.lowLevel.ppo, backend, totalSteps: h.lowLevel.steps }, `${source}: hierarchy.lowLevel.ppo`);
    if (c.rolloutThread) throw new CliError(`${source}: hierarchy.lowLevel.ppo.rolloutThread: not supported in a hierarchy yet`);
    return c;
  } catch (err) {
    if (err instanceof PpoConfigError) throw new CliError(err.message.replace(/^invalid /, ''));
    throw err;
  }
}

/** Env `index` of the low level's training: the world with a goal-conditioned waypoint task (goals drawn per env). */
export function makeLowLevelEnv(config: ResolvedTrainConfig, h: Hierarchy, index: number): DiscreteEnv {
  if (h.world === 'crafter') {
    const world = makeTrainWorld(config) as unknown as CrafterWorld;
    const task = crafterGoalTask(h, (world as unknown as CrafterEnv).rules);
    const rng = Rng.fromSeed(config.seed).fork('hierarchy').fork(`goals-${index}`);
    return new GoalConditionedEnv(world, { task, rng, reachedBonus: h.lowLevel.reachedBonus, timeoutPenalty: h.lowLevel.timeoutPenalty, extrinsicWeight: h.lowLevel.extrinsicWeight }) as unknown as DiscreteEnv;
  }
  const world = makeTrainWorld(config) as unknown as ParallelEnv<NavigationObservation, number, NavigationInfo>;
  const task = new NavigationGoalTask({ reach: h.lowLevel.reach, maxDistance: h.lowLevel.maxDistance, placeSize: h.placeSize });
  const rng = Rng.fromSeed(config.seed).fork('hierarchy').fork(`goals-${index}`);
  return new GoalConditionedEnv(world, { task, rng, reachedBonus: h.lowLevel.reachedBonus, timeoutPenalty: h.lowLevel.timeoutPenalty }) as unknown as DiscreteEnv;
}

/** Env of the manager's training: one step is one option run by `lowLevel`; rewards are the world's plus `intrinsic`. */
export function makeManagerEnv(config: ResolvedTrainConfig, h: Hierarchy, lowLevel: GoalPolicy | CrafterGoalPolicy): DiscreteEnv {
  // A policyActor's sampling restarts with each episode's seed (give every env its own actor).
  const reseeded = <W extends ParallelEnv<never, number, never>>(world: W): W => ('reseed' in lowLevel ? (new ReseedOnReset(world, lowLevel as PolicyActor<unknown, AgentInfo>) as unknown as W) : world);
  if (h.world === 'crafter') {
    const base = makeTrainWorld(config);
    const rules = (base as unknown as CrafterEnv).rules;
    const world = reseeded(withTrainIntrinsic(config, base) as unknown as ParallelEnv<never, number, never>) as unknown as CrafterWorld;
    return new ManagerEnv(world, makeCrafterManagerTask(h, lowLevel as CrafterGoalPolicy, rules), { maxOptionSteps: h.manager.maxOptionSteps }) as unknown as DiscreteEnv;
  }
  const untilGoal = h.manager.intrinsicUntilGoal ? (m: IntrinsicReward<never, never>) => new UntilReward(m, goalInView as never) as unknown as IntrinsicReward<never, never> : undefined;
  const world = reseeded(withTrainIntrinsic(config, makeTrainWorld(config), untilGoal) as unknown as ParallelEnv<never, number, never>) as unknown as ParallelEnv<NavigationObservation, number, NavigationInfo>;
  return new ManagerEnv(world, makeManagerTask(h, lowLevel as GoalPolicy), { maxOptionSteps: h.manager.maxOptionSteps }) as unknown as DiscreteEnv;
}

/**
 * The trained low level as the manager's executor: greedy, or sampling (`hierarchy.manager.sampleLowLevel`) from a
 * stream that `makeManagerEnv` restarts at each episode's seed. Build one per env.
 */
export function lowLevelActor(h: Hierarchy, low: Ppo, rng: Rng): GoalPolicy & CrafterGoalPolicy & Pick<PolicyActor<unknown, AgentInfo>, 'reseed'> {
  return policyActor((a) => low.controller(a, { greedy: !h.manager.sampleLowLevel }), rng) as unknown as GoalPolicy & CrafterGoalPolicy & Pick<PolicyActor<unknown, AgentInfo>, 'reseed'>;
}

/** What `hierarchy.manager.imitation` did: the teacher's world steps and decisions, and the fit per epoch. */
export interface ManagerImitation {
  readonly worldSteps: number;
  readonly decisions: number;
  readonly fit: ImitationStats;
}

/**
 * The Crafter manager's behaviour-cloning warm start (`hierarchy.manager.imitation`), or null without one: the kg
 * manager (`recipeSlotChooser`) drives `lowLevel` in the manager's own world (intrinsic rewards included) until
 * `steps` world steps have passed and an episode ends, then `manager`'s network is fitted to its decisions.
 */
export function imitateKgManager(config: ResolvedTrainConfig, h: Hierarchy, lowLevel: CrafterGoalPolicy, manager: Ppo): ManagerImitation | null {
  if (h.world !== 'crafter' || !h.manager.imitation) return null;
  const im = h.manager.imitation;
  const env = makeManagerEnv(config, h, lowLevel) as unknown as ManagerEnv<SymbolicObservation, CrafterInfo, unknown>;
  const rng = Rng.fromSeed(config.seed).fork('imitation');
  const teacher = recipeSlotChooser(env.task as unknown as CrafterManagerTask, rng.fork('teacher'));
  const demos = collectDemonstrations(env as unknown as DiscreteEnv<Int32Array, ManagerInfo>, teacher, { rng: rng.fork('episodes'), gamma: manager.config.gamma, done: () => env.envSteps >= im.steps });
  const fit = imitate(manager, demos, { rng: rng.fork('fit'), epochs: im.epochs, learningRate: im.learningRate, valueCoef: im.valueCoef, minibatchSize: im.minibatchSize });
  return { worldSteps: env.envSteps, decisions: demos.length, fit };
}

/** The navigation manager's task (its slots, features and the executor around `lowLevel`) as training built it. */
export function makeManagerTask(h: Hierarchy & { world?: 'navigation' }, lowLevel: GoalPolicy): NavigationManagerTask {
  return new NavigationManagerTask({
    lowLevel, frontierSlots: h.manager.frontierSlots, placeSize: h.placeSize, reach: h.lowLevel.reach, lookahead: h.manager.lookahead,
    kinds: h.manager.subgoals as ('goal' | 'frontier')[],
  });
}

type CrafterWorld = ParallelEnv<SymbolicObservation, number, CrafterInfo, CrafterState>;

/** The Crafter manager's task (one slot per subgoal, the executor around `lowLevel`) as training built it. */
export function makeCrafterManagerTask(h: Hierarchy & { world: 'crafter' }, lowLevel: CrafterGoalPolicy, rules: CrafterEnv['rules']): CrafterManagerTask {
  return new CrafterManagerTask(crafterGoalTask(h, rules), lowLevel, rules.materials.length + 7, { interrupts: h.manager.interrupts });
}

/**
 * The Crafter goal task of a run: the world's rules give the vocabulary and the recipe regression; survival rules
 * and one-step options as `hierarchy.lowLevel` configures them.
 */
function crafterGoalTask(h: Hierarchy & { world: 'crafter' }, rules: CrafterEnv['rules']): CrafterGoalTask {
  const l = h.lowLevel;
  return new CrafterGoalTask(new CrafterRecipePlanner(rules, crafterSubgoals(rules), 'diamond', l.milestones, l.stock), {
    randomShare: l.randomShare, craftShare: l.craftShare, timeouts: l.timeouts, readyCraftsFirst: l.readyCraftsFirst,
    ...(l.survival && { survival: new CrafterSurvival(rules) }),
    ...(l.primitives !== 'none' && { primitives: new CrafterPrimitiveOptions(rules, l.primitives, { strikes: l.strikes, collects: l.collects }) }),
  });
}
