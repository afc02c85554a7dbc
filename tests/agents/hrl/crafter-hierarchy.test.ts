// The Crafter hierarchy's pieces: feasible goal draws from given inventories, the recipe regression's next step
// (the same answers as the knowledge graph's missingFor), reached detection from hand-made events, and a tiny
// training smoke run of the low level and both managers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../agents/learn/backend.js';
import { Ppo } from '../../../agents/learn/ppo.js';
import { CrafterGoalTask } from '../../../agents/hrl/crafter-goal-task.js';
import { CrafterManagerTask, recipeSlotChooser } from '../../../agents/hrl/crafter-manager-task.js';
import { CrafterRecipePlanner } from '../../../agents/hrl/crafter-recipe-planner.js';
import { GoalConditionedEnv } from '../../../agents/hrl/goal-conditioned-env.js';
import { ManagerEnv, type ManagerInfo } from '../../../agents/hrl/manager-env.js';
import { policyActor } from '../../../agents/hrl/policy-actor.js';
import { TaskPlanner } from '../../../agents/hrl/task-planners.js';
import type { WorldEventInput } from '../../../core/events.js';
import type { ParallelEnv } from '../../../core/parallel-env.js';
import { Rng } from '../../../core/rng.js';
import { GraphologyStore } from '../../../memory/graphology-store.js';
import { KnowledgeGraph } from '../../../memory/knowledge-graph.js';
import { missingFor } from '../../../memory/kg-recipes.js';
import type { CrafterInfo, CrafterState } from '../../../worlds/crafter/crafter-env.js';
import { createCrafterEnv } from '../../../worlds/crafter/create-crafter-env.js';
import { crafterSubgoals, describeCrafterSubgoal, type CrafterSubgoal } from '../../../worlds/crafter/crafter-subgoals.js';
import type { SymbolicObservation } from '../../../worlds/crafter/observation.js';
import { loadRules } from '../../../worlds/crafter/rules.js';
import { crafterSemanticRules } from '../../../worlds/crafter/semantic-rules.js';

const rules = loadRules();
const vocab = crafterSubgoals(rules);
const planner = new CrafterRecipePlanner(rules, vocab);
const grass = rules.materialId.grass as number;

/** An observation holding `items`, with `stations` drawn in the view (all else grass). */
function obs(items: Record<string, number>, stations: string[] = []): SymbolicObservation {
  const map = new Uint8Array(63).fill(grass);
  stations.forEach((s, i) => (map[i] = rules.materialId[s] as number));
  const inventory = Int32Array.from(planner.inventoryNames, (n) => items[n] ?? 0);
  return { map, inventory, vitals: Int32Array.of(9, 9, 9, 9), facing: Uint8Array.of(0, 0, 0, 1), light: Float32Array.of(1), sleeping: Uint8Array.of(0) };
}
const names = (list: readonly (CrafterSubgoal | null)[]) => list.filter((s): s is CrafterSubgoal => s !== null).map(describeCrafterSubgoal);

test('feasible subgoals follow the inventory and the stations in view', () => {
  assert.deepEqual(names(planner.feasible(obs({}))), ['collect:wood', 'collect:drink', 'collect:sapling']);
  const withTable = names(planner.feasible(obs({ wood: 1 }, ['table'])));
  assert.ok(withTable.includes('make:wood_pickaxe') && withTable.includes('make:wood_sword'), `wood + table in view: ${withTable.join(', ')}`);
  assert.ok(!names(planner.feasible(obs({ wood: 1 }))).includes('make:wood_pickaxe'), 'make needs the table in view');
  const held = names(planner.feasible(obs({ wood: 3, wood_pickaxe: 1 }, ['table'])));
  assert.ok(!held.includes('make:wood_pickaxe'), 'a held tool is not made again');
  assert.ok(held.includes('collect:stone') && held.includes('collect:coal') && !held.includes('collect:iron'), `with a wood pickaxe: ${held.join(', ')}`);
  assert.ok(!names(planner.feasible(obs({ wood: 9 }))).includes('collect:wood'), 'wood at its maximum is not collected');
});

test('the next step is the recipe regression toward the diamond, as the knowledge graph answers it', async () => {
  const kg = await KnowledgeGraph.open(new GraphologyStore());
  kg.loadRules(crafterSemanticRules(rules.data));
  const cases: [Record<string, number>, string[]][] = [[{}, []], [{ wood: 3 }, []], [{ wood: 2 }, ['table']], [{ wood: 2, stone: 1, wood_pickaxe: 1 }, ['table']], [{ wood: 2, coal: 1, iron: 1, stone_pickaxe: 1 }, ['table', 'furnace']]];
  for (const [inv, near] of cases) {
    const fromGraph = await kg.missingFor('diamond', inv, { nearby: near });
    assert.deepEqual(missingFor(planner.book, 'diamond', inv, near).steps, fromGraph.steps, `plan from ${JSON.stringify(inv)} near ${near.join(',')}`);
  }
  const next = (inv: Record<string, number>, st: string[] = []) => {
    const n = planner.next(obs(inv, st));
    return n === null ? null : describeCrafterSubgoal(n);
  };
  assert.equal(next({}), 'collect:wood');
  assert.equal(next({ wood: 1 }, ['table']), 'make:wood_pickaxe');
  assert.equal(next({ wood: 2, wood_pickaxe: 1 }, ['table']), 'collect:stone');
  assert.equal(next({ wood: 2, coal: 1, iron: 1, stone_pickaxe: 1 }, ['table', 'furnace']), 'make:iron_pickaxe');
  assert.equal(next({ iron_pickaxe: 1 }), 'collect:diamond');
});

test('the goal task draws only feasible subgoals, mostly the plan\'s next step', () => {
  const task = new CrafterGoalTask(planner, { randomShare: 0.3 });
  const rng = Rng.fromSeed(5);
  for (const [inv, st] of [[{}, []], [{ wood: 1 }, ['table']], [{ wood: 3, stone: 2, wood_pickaxe: 1 }, ['table']], [{ sapling: 1, wood: 5, stone: 5, stone_pickaxe: 1 }, ['table']]] as [Record<string, number>, string[]][]) {
    const o = obs(inv, st);
    const feasible = new Set(names(planner.feasible(o)));
    const next = describeCrafterSubgoal(planner.next(o) as CrafterSubgoal);
    const counts = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const g = task.sample('player_0', o, { actionMask: new Uint8Array(0), position: new Int32Array(2) }, rng);
      assert.ok(g !== null, 'a goal is drawn');
      const d = describeCrafterSubgoal(g);
      assert.ok(feasible.has(d), `${d} is not feasible from ${JSON.stringify(inv)}`);
      counts.set(d, (counts.get(d) ?? 0) + 1);
      const code = task.encode(g)[0] as number;
      assert.equal(describeCrafterSubgoal(vocab.tasks[code - 1] as CrafterSubgoal), d, 'the encoded goal names the drawn subgoal');
    }
    assert.ok((counts.get(next) ?? 0) > 150, `the plan's next step ${next} drawn ${counts.get(next) ?? 0} of 300 times`);
    if (feasible.size > 1) assert.ok(counts.size > 1, `only ${[...counts.keys()].join(', ')} drawn`);
  }
  assert.deepEqual([...task.encode(null)], [0]);
});

test('reached detection reads the agent\'s own collect / place / make events', () => {
  const task = new CrafterGoalTask(planner);
  const at = (events: WorldEventInput[]) => ({ agent: 'player_0', observation: obs({}), info: { actionMask: new Uint8Array(0), position: new Int32Array(2) }, events });
  const collectWood: WorldEventInput = { type: 'collect', data: { agent: 'player_0', material: 'tree', items: { wood: 1 }, pos: [1, 1] } };
  assert.equal(task.isReached({ kind: 'collect', item: 'wood' }, at([collectWood])), true);
  assert.equal(task.isReached({ kind: 'collect', item: 'stone' }, at([collectWood])), false);
  assert.equal(task.isReached({ kind: 'collect', item: 'wood' }, at([{ type: 'collect', data: { agent: 'player_1', material: 'tree', items: { wood: 1 }, pos: [1, 1] } }])), false, 'another player\'s collect');
  assert.equal(task.isReached({ kind: 'place', what: 'table' }, at([{ type: 'place', data: { agent: 'player_0', name: 'table', pos: [2, 2] } }])), true);
  assert.equal(task.isReached({ kind: 'place', what: 'table' }, at([{ type: 'place', data: { agent: 'player_0', name: 'stone', pos: [2, 2] } }])), false);
  assert.equal(task.isReached({ kind: 'make', item: 'wood_pickaxe' }, at([{ type: 'achievementUnlocked', data: { agent: 'player_0', achievement: 'make_wood_pickaxe' } }, { type: 'make', data: { agent: 'player_0', item: 'wood_pickaxe' } }])), true);
  assert.equal(task.isReached({ kind: 'make', item: 'wood_pickaxe' }, at([])), false);
});

test('under the kernel, a TaskPlanner ends a Crafter subgoal on the events of the step just taken', () => {
  const task = new CrafterManagerTask(new CrafterGoalTask(planner), () => 0, rules.materials.length + 7);
  const tp = new TaskPlanner(task, () => 0);
  const info = { actionMask: new Uint8Array(0), position: new Int32Array(2) };
  const ctx = { agent: 'player_0', observation: obs({}), info, step: 1, episode: 0, worldState: () => { throw new Error('not needed'); } };
  const wood: CrafterSubgoal = { kind: 'collect', item: 'wood' };
  const step = (events: WorldEventInput[]) => tp.observe({ action: 5, reward: 0, terminated: false, truncated: false, observation: obs({}), info, events });
  assert.equal(tp.isDone(wood, ctx), false, 'nothing happened yet');
  step([{ type: 'collect', data: { agent: 'player_0', material: 'tree', items: { wood: 1 }, pos: [1, 1] } }]);
  assert.equal(tp.isDone(wood, ctx), true, 'the collect event of the last step');
  step([]);
  assert.equal(tp.isDone(wood, ctx), false, 'only the last step counts');
});

test('smoke: the low level trains on the goal env and records its hit rate; both managers drive it', async () => {
  const backend = await initBackend('wasm', { quiet: true });
  const rng = Rng.fromSeed(3);
  const task = new CrafterGoalTask(planner, { timeouts: { collect: 8, place: 4, make: 4 } });
  type World = ParallelEnv<SymbolicObservation, number, CrafterInfo, CrafterState>;
  const world = () => createCrafterEnv({ agents: 1, oneHot: false, overrides: { 'world.length': 40 } }) as unknown as World;
  const low = new Ppo({
    makeEnv: (i) => new GoalConditionedEnv(world(), { task, rng: rng.fork(`g${i}`), timeoutPenalty: 0.1, extrinsicWeight: 0.5 }),
    rng: rng.fork('low'),
    backend,
    config: { totalSteps: 256, numEnvs: 2, numSteps: 64, hidden: [16], observationKeys: ['map', 'inventory', 'vitals', 'goal'], numMinibatches: 2, updateEpochs: 1 },
  });
  const stats = [];
  low.train((s) => stats.push(s));
  assert.equal(stats.length, 2);
  const episodes = low.lastEpisodes;
  assert.ok(episodes.length > 0, '40-step episodes end within a 128-step rollout');
  const m = episodes[0]?.metrics as Record<string, number>;
  const ended = (m.goalsReached as number) + (m.goalsTimedOut as number);
  assert.ok(ended > 0, 'goals ended in an episode');
  const perGoal = Object.keys(m).filter((k) => /^goal\/.+\/ended$/.test(k)).reduce((a, k) => a + (m[k] as number), 0);
  assert.equal(perGoal, ended, 'per-goal counts add up to the goals that ended');
  assert.ok(m.success !== undefined && m.success >= 0 && m.success <= 1);
  // The goal is one category per vocabulary task plus "none" in the encoder.
  assert.equal(task.goalSpace.high, vocab.tasks.length);

  const policy = policyActor((a) => low.controller(a), rng.fork('actor'));
  let goalsSeen = 0;
  const actor = (a: string, o: SymbolicObservation & { goal: Int32Array }, info: CrafterInfo) => {
    assert.equal(o.goal.length, 1);
    if ((o.goal[0] as number) > 0) goalsSeen++;
    return policy(a, o, info);
  };
  const mtask = new CrafterManagerTask(task, actor, rules.materials.length + 7);
  const env = new ManagerEnv(world(), mtask, { maxOptionSteps: 10 });
  const choose = recipeSlotChooser(mtask, rng.fork('choose'));
  let r = env.reset({ seed: 1 });
  const a = env.agents[0] as string;
  assert.equal((r.observations[a] as Int32Array).length, mtask.featureSpace.shape[0]);
  const first = choose(a, r.observations[a] as Int32Array, r.infos[a] as ManagerInfo);
  assert.equal(describeCrafterSubgoal(vocab.tasks[first] as CrafterSubgoal), 'collect:wood', 'the kg manager starts with wood');
  let options = 0;
  while (env.agents.length > 0) {
    const info = r.infos[a] as ManagerInfo;
    const slot = choose(a, r.observations[a] as Int32Array, info);
    assert.equal(info.actionMask[slot], 1, 'the chooser picks a legal slot');
    const res = env.step({ [a]: slot });
    options++;
    r = { observations: res.observations, infos: res.infos };
  }
  assert.ok(options >= 4 && env.envSteps === 40, `${options} options over ${env.envSteps} world steps`);
  assert.equal(goalsSeen, 40, 'the low level got a subgoal on every world step');
  const manager = new Ppo({ makeEnv: () => new ManagerEnv(world(), new CrafterManagerTask(task, actor, rules.materials.length + 7), { maxOptionSteps: 10 }), rng: rng.fork('m'), backend, config: { totalSteps: 8, numEnvs: 1, numSteps: 8, hidden: [8], numMinibatches: 1, updateEpochs: 1 } });
  const s = manager.iterate();
  assert.ok(Number.isFinite(s.policyLoss), 'the manager update ran');
  low.dispose();
  manager.dispose();
});
