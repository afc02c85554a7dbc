// The night option: the scripted shelter routine played as the `shelter` subgoal's primitive actions under the
// kg manager, on a hand-made Crafter world, and the world's `sealedIn` read of the view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrafterGoalTask } from '../../../agents/hrl/crafter-goal-task.js';
import { CrafterPrimitiveOptions } from '../../../agents/hrl/crafter-primitive-options.js';
import { CrafterRecipePlanner } from '../../../agents/hrl/crafter-recipe-planner.js';
import { CrafterShelter } from '../../../agents/hrl/crafter-shelter.js';
import { CrafterSurvival } from '../../../agents/hrl/crafter-survival.js';
import { GoalConditionedEnv } from '../../../agents/hrl/goal-conditioned-env.js';
import { EnvWrapper } from '../../../core/env-wrapper.js';
import type { ResetResult } from '../../../core/parallel-env.js';
import { Rng } from '../../../core/rng.js';
import type { CrafterEnv, CrafterInfo, CrafterState } from '../../../worlds/crafter/crafter-env.js';
import { crafterSubgoals, describeCrafterSubgoal, sealedIn, type CrafterSubgoal } from '../../../worlds/crafter/crafter-subgoals.js';
import type { SymbolicObservation } from '../../../worlds/crafter/observation.js';
import { loadRules } from '../../../worlds/crafter/rules.js';
import { make } from '../../worlds/crafter/helpers.js';

const rules = loadRules();
const vocab = crafterSubgoals(rules);
const planner = new CrafterRecipePlanner(rules, vocab);
const name = (g: CrafterSubgoal | null) => (g === null ? null : describeCrafterSubgoal(g));

class ScenarioStart extends EnvWrapper<SymbolicObservation, number, CrafterInfo, CrafterState> {
  constructor(readonly env: CrafterEnv) {
    super(env as never);
  }
  override reset(): ResetResult<SymbolicObservation, CrafterInfo> {
    return this.env.afterReset();
  }
}

/** A grass world with a block of stone right of the player, the day cycle on and shifted so that step 0 is step `step` of a day. */
function dusk(step: number, extra: Record<string, unknown> = {}): CrafterEnv {
  const cells: [number, number, string][] = [];
  for (let x = 35; x <= 44; x++) for (let y = 26; y <= 38; y++) cells.push([x, y, 's']);
  return make(cells, { daylight: true, overrides: { 'daylight.phase': 0.3 + step / 300 }, ...extra });
}

function task(shelter: CrafterShelter): CrafterGoalTask {
  return new CrafterGoalTask(planner, { survival: new CrafterSurvival(rules), primitives: new CrafterPrimitiveOptions(rules), shelter, readyCraftsFirst: true, randomShare: 0 });
}

test('the vocabulary offers shelter; sealedIn reads a pocket from the view', () => {
  assert.equal(name(vocab.parse({ kind: 'shelter' })), 'shelter');
  const stone = rules.materialId.stone as number;
  const grass = rules.materialId.grass as number;
  const water = rules.materialId.water as number;
  const map = new Uint8Array(63).fill(stone);
  map[3 * 9 + 4] = rules.materials.length + 1; // the player
  const o = (m: Uint8Array): SymbolicObservation => ({ map: m, inventory: new Int32Array(12), vitals: Int32Array.of(9, 9, 9, 9), facing: Uint8Array.of(0, 0, 0, 1), light: Float32Array.of(1), sleeping: Uint8Array.of(0) });
  assert.ok(sealedIn(o(map), rules), 'stone all round');
  const two = map.slice();
  two[3 * 9 + 5] = grass;
  assert.ok(sealedIn(o(two), rules), 'a two-cell pocket');
  const three = two.slice();
  three[3 * 9 + 6] = grass;
  assert.ok(!sealedIn(o(three), rules), 'three cells are a corridor, not a pocket');
  const wet = two.slice();
  wet[2 * 9 + 5] = water;
  assert.ok(!sealedIn(o(wet), rules), 'arrows cross water');
  const open = new Uint8Array(63).fill(grass);
  assert.ok(!sealedIn(o(open), rules));
});

test('at dusk the kg manager seals the player into the hill and the option lasts the night, inside one policy step', () => {
  const env = dusk(150, { player: { pos: [32, 32], facing: [0, 1], inventory: { wood_pickaxe: 1 } } });
  const shelter = new CrafterShelter();
  const t = task(shelter);
  const g = new GoalConditionedEnv(new ScenarioStart(env), { task: t, rng: Rng.fromSeed(1), extrinsicWeight: 0 });
  const first = g.reset();
  assert.ok((first.observations.player_0!.light[0] as number) < 0.6, 'it is getting dark');
  assert.equal(name(g.goalOf('player_0')), 'shelter', 'no pocket yet, a pickaxe to dig one: shelter first');
  const before = env.state().step;
  const res = g.step({ player_0: 0 });
  const steps = env.state().step - before;
  const o = res.observations.player_0!;
  assert.ok(steps > 100, `the night passed inside the option: ${steps} world steps`);
  assert.ok(sealedIn(o, rules), 'morning finds the player sealed in');
  assert.ok((o.light[0] as number) >= 0.6, 'and it is light again');
  assert.equal(g.episodeMetrics()['goal/shelter/reached'], 1);
  assert.ok(env.achievementCounts('player_0').collect_stone! >= 1, 'it dug into the hill');
  assert.equal(res.terminations.player_0, false);
  assert.notEqual(name(g.goalOf('player_0')), 'shelter', 'by day the tech tree again');
});

test('without stones or a pickaxe there is no shelter, and by day none is sought', () => {
  const bare = dusk(150);
  const shelter = new CrafterShelter();
  const t = task(shelter);
  const g = new GoalConditionedEnv(new ScenarioStart(bare), { task: t, rng: Rng.fromSeed(1), extrinsicWeight: 0 });
  g.reset();
  assert.notEqual(name(g.goalOf('player_0')), 'shelter');
  const day = dusk(20, { player: { pos: [32, 32], facing: [0, 1], inventory: { wood_pickaxe: 1 } } });
  const g2 = new GoalConditionedEnv(new ScenarioStart(day), { task: task(new CrafterShelter()), rng: Rng.fromSeed(1), extrinsicWeight: 0 });
  g2.reset();
  assert.notEqual(name(g2.goalOf('player_0')), 'shelter');
});

test('`after` keeps agents low on the tech tree out of shelters', () => {
  const env = dusk(150, { player: { pos: [32, 32], facing: [0, 1], inventory: { wood_pickaxe: 1 } } });
  const g = new GoalConditionedEnv(new ScenarioStart(env), { task: task(new CrafterShelter({ after: ['stone_pickaxe'] })), rng: Rng.fromSeed(1), extrinsicWeight: 0 });
  g.reset();
  assert.notEqual(name(g.goalOf('player_0')), 'shelter', 'a wood pickaxe is not enough');
  const env2 = dusk(150, { player: { pos: [32, 32], facing: [0, 1], inventory: { wood_pickaxe: 1, stone_pickaxe: 1 } } });
  const g2 = new GoalConditionedEnv(new ScenarioStart(env2), { task: task(new CrafterShelter({ after: ['stone_pickaxe'] })), rng: Rng.fromSeed(1), extrinsicWeight: 0 });
  g2.reset();
  assert.equal(name(g2.goalOf('player_0')), 'shelter');
});
