// The full Crafter hierarchy's new pieces: survival subgoals in the world's vocabulary, the survival rules on
// hand-made observations, and one-step options played by GoalConditionedEnv in a hand-made Crafter world.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrafterGoalTask } from '../../../agents/hrl/crafter-goal-task.js';
import { CrafterManagerTask, recipeSlotChooser } from '../../../agents/hrl/crafter-manager-task.js';
import { CrafterPrimitiveOptions } from '../../../agents/hrl/crafter-primitive-options.js';
import { CrafterRecipePlanner } from '../../../agents/hrl/crafter-recipe-planner.js';
import { CrafterSurvival } from '../../../agents/hrl/crafter-survival.js';
import { GoalConditionedEnv } from '../../../agents/hrl/goal-conditioned-env.js';
import type { ManagerInfo } from '../../../agents/hrl/manager-env.js';
import { EnvWrapper } from '../../../core/env-wrapper.js';
import type { WorldEventInput } from '../../../core/events.js';
import type { ResetResult } from '../../../core/parallel-env.js';
import { Rng } from '../../../core/rng.js';
import { SubgoalError } from '../../../core/subgoal-vocabulary.js';
import type { CrafterEnv, CrafterInfo, CrafterState } from '../../../worlds/crafter/crafter-env.js';
import { crafterSubgoals, describeCrafterSubgoal, type CrafterSubgoal } from '../../../worlds/crafter/crafter-subgoals.js';
import type { SymbolicObservation } from '../../../worlds/crafter/observation.js';
import { loadRules } from '../../../worlds/crafter/rules.js';
import { make } from '../../worlds/crafter/helpers.js';

const rules = loadRules();
const vocab = crafterSubgoals(rules);
const planner = new CrafterRecipePlanner(rules, vocab);
const grass = rules.materialId.grass as number;
const zombieId = rules.materials.length + 3;
const info: CrafterInfo = { actionMask: new Uint8Array(rules.data.actions.length), position: new Int32Array(2) };

/** A grass view with the given vitals (health, food, drink, energy), light, and a zombie `zombieAt` cells right of the player. */
function obs(vitals: [number, number, number, number], opts: { light?: number; zombieAt?: number; sleeping?: boolean } = {}): SymbolicObservation {
  const map = new Uint8Array(63).fill(grass);
  if (opts.zombieAt !== undefined) map[3 * 9 + 4 + opts.zombieAt] = zombieId;
  const inventory = new Int32Array(planner.inventoryNames.length);
  return { map, inventory, vitals: Int32Array.from(vitals), facing: Uint8Array.of(0, 0, 0, 1), light: Float32Array.of(opts.light ?? 1), sleeping: Uint8Array.of(opts.sleeping ? 1 : 0) };
}
const name = (g: CrafterSubgoal | null) => (g === null ? null : describeCrafterSubgoal(g));

test('the vocabulary offers eat, defeat and sleep read from the achievements, and names what it offers when asked for more', () => {
  assert.deepEqual(vocab.survival.map(describeCrafterSubgoal), ['eat:cow', 'eat:plant', 'defeat:skeleton', 'defeat:zombie', 'sleep']);
  assert.deepEqual(vocab.parse({ kind: 'eat', food: 'cow' }), { kind: 'eat', food: 'cow' });
  assert.deepEqual(vocab.parse({ kind: 'sleep' }), { kind: 'sleep' });
  assert.throws(() => vocab.parse({ kind: 'eat', food: 'pizza' }), (e: unknown) => e instanceof SubgoalError && /offers no eat "pizza"; it offers cow, plant/.test(e.message));
  assert.throws(() => vocab.parse({ kind: 'defeat', creature: 'cow' }), /offers no defeat "cow"; it offers skeleton, zombie/);
  assert.throws(() => vocab.parse({ kind: 'sleep', long: true }), SubgoalError, 'sleep takes no fields');
  const reached = (g: CrafterSubgoal, events: WorldEventInput[]) => vocab.isReached(g, { agent: 'player_0', observation: obs([9, 9, 9, 9]), info, events });
  assert.ok(reached({ kind: 'eat', food: 'cow' }, [{ type: 'eat', data: { agent: 'player_0', food: 'cow' } }]));
  assert.ok(!reached({ kind: 'eat', food: 'cow' }, [{ type: 'eat', data: { agent: 'player_0', food: 'plant' } }]), 'a plant is not a cow');
  assert.ok(reached({ kind: 'defeat', creature: 'zombie' }, [{ type: 'defeat', data: { agent: 'player_0', creature: 'zombie' } }]));
  assert.ok(!reached({ kind: 'defeat', creature: 'zombie' }, [{ type: 'defeat', data: { agent: 'player_1', creature: 'zombie' } }]), "another player's kill");
  assert.ok(reached({ kind: 'sleep' }, [{ type: 'wakeUp', data: { agent: 'player_0' } }]));
});

test('survival rules: fight the zombie at hand, drink and eat with hysteresis, sleep when tired or in the dark but not beside a zombie', () => {
  const s = new CrafterSurvival(rules);
  assert.equal(name(s.need('a', obs([9, 9, 9, 9]))), null, 'nothing pressing');
  assert.equal(name(s.need('a', obs([9, 9, 9, 9], { zombieAt: 2 }))), 'defeat:zombie');
  assert.equal(name(s.need('a', obs([9, 9, 9, 9], { zombieAt: 3 }))), null, 'a zombie 3 cells away is left alone');
  assert.equal(name(s.need('a', obs([9, 9, 5, 9]))), null, 'drink 5 is not thirsty yet');
  assert.equal(name(s.need('a', obs([9, 9, 4, 9]))), 'collect:drink');
  assert.equal(name(s.need('a', obs([9, 9, 6, 9]))), 'collect:drink', 'keeps drinking after the low mark');
  assert.equal(name(s.need('b', obs([9, 9, 6, 9]))), null, 'the hysteresis is per agent');
  assert.equal(name(s.need('a', obs([9, 9, 8, 9]))), null, 'stops at the high mark');
  assert.equal(name(s.need('a', obs([9, 3, 9, 9]))), 'eat:cow');
  assert.equal(name(s.need('a', obs([9, 3, 3, 9]))), 'collect:drink', 'drink before food');
  const n = new CrafterSurvival(rules, { firstNap: 7, nap: 7 });
  assert.equal(name(n.need('a', obs([9, 9, 9, 8]))), null, 'rested enough');
  assert.equal(name(n.need('a', obs([9, 9, 9, 7]))), 'sleep', 'a nap by day');
  assert.equal(name(n.need('a', obs([9, 9, 9, 7], { light: 0.2 }))), null, 'no nap in the dark');
  assert.equal(name(n.need('a', obs([9, 9, 9, 7], { zombieAt: 4 }))), null, 'no nap with a zombie in view');
  assert.equal(name(s.need('a', obs([9, 9, 9, 1], { light: 0.2 }))), 'sleep', 'exhausted: sleep even in the dark');
  assert.equal(name(s.need('a', obs([9, 9, 9, 1], { zombieAt: 4 }))), null, 'but not with a zombie 4 cells away');
  assert.equal(name(s.need('a', obs([9, 9, 9, 9], { sleeping: true, zombieAt: 1 }))), 'sleep', 'a sleeper cannot act: it sleeps on');
  s.reset();
  assert.equal(name(s.need('a', obs([9, 9, 6, 9]))), null, 'reset forgets the hysteresis');
});

test('a first nap comes early; later naps wait for their own mark', () => {
  const s = new CrafterSurvival(rules);
  assert.deepEqual([s.thresholds.firstNap, s.thresholds.nap], [8, 3], 'the defaults measured best');
  assert.equal(name(s.need('a', obs([9, 9, 9, 8]))), 'sleep', 'first nap at energy 8');
  assert.equal(name(s.need('a', obs([9, 9, 9, 8], { sleeping: true }))), 'sleep');
  assert.equal(name(s.need('a', obs([9, 9, 9, 8]))), null, 'slept once: energy 8 is fine now');
  assert.equal(name(s.need('a', obs([9, 9, 9, 3]))), 'sleep', 'the later mark');
  s.reset();
  assert.equal(name(s.need('a', obs([9, 9, 9, 8]))), 'sleep', 'a new episode: the first nap again');
});

test('milestones: the regression makes the stone pickaxe before it gathers the furnace\'s stones', () => {
  const withMilestone = new CrafterRecipePlanner(rules, vocab, 'diamond', ['stone_pickaxe']);
  const view = (items: Record<string, number>) => ({ ...obs([9, 9, 9, 9]), inventory: Int32Array.from(planner.inventoryNames, (n) => items[n] ?? 0) });
  const inv = { wood_pickaxe: 1, stone: 3 };
  assert.equal(name(planner.next(view(inv))), 'collect:stone', 'toward the diamond: more stone for the furnace');
  assert.equal(name(withMilestone.next(view(inv))), 'collect:wood', 'toward the stone pickaxe: wood for a table and the pickaxe');
  assert.equal(name(withMilestone.next(view({ ...inv, stone_pickaxe: 1 }))), name(planner.next(view({ ...inv, stone_pickaxe: 1 }))), 'past the milestone: the diamond\'s plan');
});

test('stock: spare wood is cut while a tree is in view, before the table; not fetched from afar; bad stock is refused', () => {
  const stocked = new CrafterRecipePlanner(rules, vocab, 'diamond', [], { wood: 5 });
  const tree = rules.materialId.tree as number;
  const view = (items: Record<string, number>, trees: boolean) => {
    const o = { ...obs([9, 9, 9, 9]), inventory: Int32Array.from(planner.inventoryNames, (n) => items[n] ?? 0) };
    if (trees) o.map[2 * 9 + 1] = tree;
    return o;
  };
  assert.equal(name(planner.next(view({ wood: 2 }, true))), 'place:table', 'unstocked: the table as soon as two wood are held');
  assert.equal(name(stocked.next(view({ wood: 2 }, true))), 'collect:wood', 'stocked: three more wood while the tree is in view');
  assert.equal(name(stocked.next(view({ wood: 5 }, true))), 'place:table', 'stocked up: the regression goes on');
  assert.equal(name(stocked.next(view({ wood: 2 }, false))), 'place:table', 'no tree in view: no detour for the stock');
  assert.throws(() => new CrafterRecipePlanner(rules, vocab, 'diamond', [], { gold: 1 }), /stock item "gold" is not collected from any material/);
  assert.throws(() => new CrafterRecipePlanner(rules, vocab, 'diamond', [], { wood: -1 }), /stock of "wood" must be >= 0/);
});

test('survival needs interrupt less pressing goals, not the need being served', () => {
  const s = new CrafterSurvival(rules);
  const iron: CrafterSubgoal = { kind: 'collect', item: 'iron' };
  assert.ok(!s.interrupts('a', iron, obs([9, 9, 9, 9])));
  assert.ok(s.interrupts('a', iron, obs([9, 9, 3, 9])), 'thirst ends an iron hunt');
  assert.ok(!s.interrupts('a', { kind: 'collect', item: 'drink' }, obs([9, 9, 3, 9])), 'drinking goes on');
  assert.ok(!s.interrupts('a', { kind: 'collect', item: 'drink' }, obs([9, 2, 3, 9])), 'hunger does not stop drinking');
  assert.ok(s.interrupts('a', { kind: 'collect', item: 'drink' }, obs([9, 9, 3, 9], { zombieAt: 1 })), 'a zombie at hand does');
  assert.ok(s.interrupts('a', { kind: 'sleep' }, obs([9, 9, 9, 5], { zombieAt: 3 })), 'an awake sleeper stops with a zombie near');
  assert.ok(!s.interrupts('a', { kind: 'sleep' }, obs([9, 9, 9, 5], { sleeping: true })), 'a sleeper sleeps on');
});

/** Starts the episode from the scenario as loaded (its reset is the scenario's first observation). */
class ScenarioStart extends EnvWrapper<SymbolicObservation, number, CrafterInfo, CrafterState> {
  constructor(readonly env: CrafterEnv) {
    super(env as never);
  }
  override reset(): ResetResult<SymbolicObservation, CrafterInfo> {
    return this.env.afterReset();
  }
}

test('one-step options: the env plays sleep until waking, then a ready make, inside one policy step', () => {
  // A table to the right, one wood, energy 3: the kg manager sends the player to sleep first, then makes the pickaxe.
  const env = make([[33, 32, 'T']], { player: { pos: [32, 32], facing: [0, 1], inventory: { wood: 1 }, vitals: { energy: 3 } } });
  const task = new CrafterGoalTask(planner, { survival: new CrafterSurvival(rules), primitives: new CrafterPrimitiveOptions(rules), readyCraftsFirst: true, randomShare: 0 });
  const g = new GoalConditionedEnv(new ScenarioStart(env), { task, rng: Rng.fromSeed(1), extrinsicWeight: 0 });
  g.reset();
  assert.equal(name(g.goalOf('player_0')), 'sleep');
  const before = env.state().step;
  const res = g.step({ player_0: 0 });
  const worldSteps = env.state().step - before;
  assert.ok(worldSteps > 30, `sleeping from energy 3 to 9 takes many world steps inside one step, took ${worldSteps}`);
  const counts = env.achievementCounts('player_0');
  assert.equal(counts.wake_up, 1, 'woke up');
  assert.equal(counts.make_wood_pickaxe, 1, 'then made the pickaxe at the table');
  assert.equal(res.rewards.player_0, 2, 'both goals reached: two bonuses');
  const m = g.episodeMetrics();
  assert.equal(m['goal/sleep/reached'], 1);
  assert.equal(m['goal/make:wood_pickaxe/reached'], 1);
  assert.equal(task.primitive(g.goalOf('player_0') as CrafterSubgoal, 'player_0', res.observations.player_0!, res.infos.player_0!), null, 'the next goal (a collect) is the policy\'s');
  const allowed = rules.data.actions.filter((_, i) => res.infos.player_0!.actionMask[i] === 1);
  assert.deepEqual(allowed, ['noop', 'move_left', 'move_right', 'move_up', 'move_down', 'do'], 'the policy walks and collects (no stone to place); options make, place and sleep');
  const own = task.policyActions() as Uint8Array;
  assert.deepEqual(rules.data.actions.filter((_, i) => own[i] === 1), ['noop', 'move_left', 'move_right', 'move_up', 'move_down', 'do', 'place_stone'], 'with a stone it may also place one');
});

test('the manager task offers the survival slots and its kg chooser puts survival first', () => {
  const task = new CrafterGoalTask(planner, { survival: new CrafterSurvival(rules), primitives: new CrafterPrimitiveOptions(rules) });
  const manager = new CrafterManagerTask(task, () => 0, rules.materials.length + 7);
  assert.equal(manager.slots, vocab.tasks.length + vocab.survival.length);
  manager.observe('player_0', obs([9, 9, 3, 9], { zombieAt: 3 }));
  const legal = manager.candidates('player_0').filter((c): c is CrafterSubgoal => c !== null).map(describeCrafterSubgoal);
  assert.ok(legal.includes('defeat:zombie') && legal.includes('eat:cow') && !legal.includes('eat:plant'), legal.join(', '));
  const choose = recipeSlotChooser(manager, Rng.fromSeed(2));
  const mask = new Uint8Array(manager.slots).fill(1);
  const slot = choose('player_0', manager.features('player_0'), { actionMask: mask, optionSteps: 0, optionEnd: 'none' } as ManagerInfo);
  assert.equal(describeCrafterSubgoal(task.goals[slot] as CrafterSubgoal), 'collect:drink');
});

test('manager options: with interrupts, a zombie at hand or thirst ends a tech-tree option as under the kg manager', () => {
  const task = new CrafterGoalTask(planner, { survival: new CrafterSurvival(rules), primitives: new CrafterPrimitiveOptions(rules) });
  const plain = new CrafterManagerTask(task, () => 0, rules.materials.length + 7);
  const interrupting = new CrafterManagerTask(task, () => 0, rules.materials.length + 7, { interrupts: true });
  const wood: CrafterSubgoal = { kind: 'collect', item: 'wood' };
  const ctx = (o: SymbolicObservation) => ({ agent: 'player_0', observation: o, info, events: [] });
  assert.ok(!plain.isDone('player_0', wood, ctx(obs([9, 9, 9, 9], { zombieAt: 1 }))), 'without: only reaching it ends the option');
  assert.ok(interrupting.isDone('player_0', wood, ctx(obs([9, 9, 9, 9], { zombieAt: 1 }))), 'a zombie next to the player');
  assert.ok(interrupting.isDone('player_0', wood, ctx(obs([9, 9, 3, 9]))), 'thirst');
  assert.ok(!interrupting.isDone('player_0', wood, ctx(obs([9, 9, 9, 9]))), 'nothing pressing: the option goes on');
  assert.ok(!interrupting.isDone('player_0', { kind: 'collect', item: 'drink' }, ctx(obs([9, 9, 3, 9]))), 'the need being served goes on');
});

test('manager features: advice marks the kg manager\'s pick among the legal slots, daylight adds the light 0..9', () => {
  const task = new CrafterGoalTask(planner, { survival: new CrafterSurvival(rules), primitives: new CrafterPrimitiveOptions(rules) });
  const plain = new CrafterManagerTask(task, () => 0, rules.materials.length + 7);
  const advised = new CrafterManagerTask(task, () => 0, rules.materials.length + 7, { advice: true, daylight: true });
  assert.equal(advised.featureSpace.shape[0], (plain.featureSpace.shape[0] as number) + 1, 'one more feature: the daylight');
  const o = obs([9, 9, 3, 9], { light: 0.4 });
  plain.observe('player_0', o);
  advised.observe('player_0', o);
  const slotsAt = (m: CrafterManagerTask) => m.features('player_0').slice(63 + planner.inventoryNames.length + 4, 63 + planner.inventoryNames.length + 4 + m.slots);
  const plainSlots = slotsAt(plain);
  const advisedSlots = slotsAt(advised);
  const drink = task.slotOf({ kind: 'collect', item: 'drink' });
  assert.equal(advisedSlots[drink], 2, 'thirsty: the kg manager would drink');
  assert.equal(advised.advisedSlot('player_0'), drink, 'advisedSlot names the same slot');
  assert.deepEqual([...advisedSlots].map((v) => Math.min(v, 1)), [...plainSlots], 'the other slots read as without advice');
  assert.equal([...advisedSlots].filter((v) => v === 2).length, 1, 'one slot is advised');
  const f = advised.features('player_0');
  assert.equal(f[f.length - 1], 4, 'light 0.4 reads 4');
});

test('the manager\'s executor plays a ready make itself and hands the rest to the low level under its own actions', () => {
  const task = new CrafterGoalTask(planner, { survival: new CrafterSurvival(rules), primitives: new CrafterPrimitiveOptions(rules) });
  const seen: Uint8Array[] = [];
  const manager = new CrafterManagerTask(task, (_a, _o, i) => (seen.push(i.actionMask), 0), rules.materials.length + 7);
  const all = new Uint8Array(rules.data.actions.length).fill(1);
  const o = obs([9, 9, 9, 9]);
  const make = rules.data.actions.indexOf('make_wood_pickaxe');
  assert.equal(manager.act('player_0', { kind: 'make', item: 'wood_pickaxe' }, o, { ...info, actionMask: all }), make, 'the world allows it: the option is the action');
  assert.equal(seen.length, 0, 'the low level was not asked');
  assert.equal(manager.act('player_0', { kind: 'collect', item: 'wood' }, o, { ...info, actionMask: all }), 0);
  assert.deepEqual(rules.data.actions.filter((_, i) => seen[0]![i] === 1), ['noop', 'move_left', 'move_right', 'move_up', 'move_down', 'do', 'place_stone']);
});

test('with strikes, defeat X next to the player is the turn to face it, then the blow; elsewhere the policy walks', () => {
  const strikes = new CrafterPrimitiveOptions(rules, 'options', { strikes: true });
  const defeat: CrafterSubgoal = { kind: 'defeat', creature: 'zombie' };
  const act = (name: string) => rules.data.actions.indexOf(name);
  const right = obs([9, 9, 9, 9], { zombieAt: 1 });
  assert.equal(strikes.action(defeat, info, right), act('move_right'), 'facing down, zombie to the right: turn to it');
  const facing = { ...right, facing: Uint8Array.of(0, 1, 0, 0) };
  assert.equal(strikes.action(defeat, info, facing), act('do'), 'facing it: hit');
  assert.equal(strikes.action(defeat, info, obs([9, 9, 9, 9], { zombieAt: 2 })), null, 'two cells away: the low level walks there');
  assert.equal(new CrafterPrimitiveOptions(rules).action(defeat, info, facing), null, 'off by default');
});

test('a ripe plant in view comes before drinking and cows; strikes bite a cow or a ripe plant next to the player, not an unripe one', () => {
  const plantId = rules.materials.length + 6;
  const cowId = rules.materials.length + 2;
  /** A plant one cell right of the player, ripe or not (`flat` holds the ripe-plant channel 16 of cell (3, 5)). */
  const withPlant = (ripe: boolean): SymbolicObservation => {
    const o = obs([9, 9, 3, 9]);
    const map = o.map.slice();
    map[3 * 9 + 5] = plantId;
    const flat = new Float32Array(1345);
    if (ripe) flat[(3 * 9 + 5) * 21 + 16] = 1;
    return { ...o, map, flat };
  };
  const s = new CrafterSurvival(rules);
  assert.equal(name(s.need('a', withPlant(true))), 'eat:plant');
  assert.equal(name(s.need('b', withPlant(false))), 'collect:drink', 'an unripe plant is no food');
  assert.equal(name(new CrafterSurvival(rules, { ripePlant: false }).need('c', withPlant(true))), 'collect:drink');
  const strikes = new CrafterPrimitiveOptions(rules, 'options', { strikes: true });
  const right = rules.data.actions.indexOf('move_right');
  assert.equal(strikes.action({ kind: 'eat', food: 'plant' }, info, withPlant(true)), right);
  assert.equal(strikes.action({ kind: 'eat', food: 'plant' }, info, withPlant(false)), null);
  const cow = obs([9, 9, 9, 9]);
  const map = cow.map.slice();
  map[2 * 9 + 4] = cowId;
  assert.equal(strikes.action({ kind: 'eat', food: 'cow' }, info, { ...cow, map }), rules.data.actions.indexOf('move_up'), 'the cow above: turn up');
  assert.equal(strikes.action({ kind: 'eat', food: 'cow' }, info, { ...cow, map, facing: Uint8Array.of(0, 0, 1, 0) }), rules.data.actions.indexOf('do'));
});

test('with collects, collect X next to its source is the turn and the do, only with the tools it needs; grass is not turned to', () => {
  const collects = new CrafterPrimitiveOptions(rules, 'options', { collects: true });
  const act = (n: string) => rules.data.actions.indexOf(n);
  const withCell = (dx: number, dy: number, material: string, inventory: Record<string, number> = {}): SymbolicObservation => {
    const o = obs([9, 9, 9, 9]);
    const map = o.map.slice();
    map[(3 + dy) * 9 + 4 + dx] = rules.materialId[material] as number;
    const inv = new Int32Array(planner.inventoryNames.length);
    for (const [k, v] of Object.entries(inventory)) inv[planner.inventoryNames.indexOf(k)] = v;
    return { ...o, map, inventory: inv };
  };
  assert.equal(collects.action({ kind: 'collect', item: 'wood' }, info, withCell(1, 0, 'tree')), act('move_right'), 'a tree to the right: turn to it');
  assert.equal(collects.action({ kind: 'collect', item: 'wood' }, info, withCell(0, 1, 'tree')), act('do'), 'facing it (down): do');
  assert.equal(collects.action({ kind: 'collect', item: 'stone' }, info, withCell(0, 1, 'stone')), null, 'no pickaxe: the low level');
  assert.equal(collects.action({ kind: 'collect', item: 'stone' }, info, withCell(-1, 0, 'stone', { wood_pickaxe: 1 })), act('move_left'));
  assert.equal(collects.action({ kind: 'collect', item: 'sapling' }, info, obs([9, 9, 9, 9])), act('do'), 'facing grass: do (a sapling one time in ten)');
  assert.equal(collects.action({ kind: 'collect', item: 'wood' }, info, obs([9, 9, 9, 9])), null, 'nothing near: the low level walks');
  assert.equal(new CrafterPrimitiveOptions(rules).action({ kind: 'collect', item: 'wood' }, info, withCell(0, 1, 'tree')), null, 'off by default');
});

test('plantOnce: a sapling comes first until one leaves the inventory (planted), then not again this episode', () => {
  const task = new CrafterGoalTask(planner, { survival: new CrafterSurvival(rules), readyCraftsFirst: true, plantOnce: true, randomShare: 0 });
  const slot = planner.inventoryNames.indexOf('sapling');
  const withSaplings = (n: number): SymbolicObservation => {
    const o = obs([9, 9, 9, 9]);
    const inventory = new Int32Array(planner.inventoryNames.length);
    inventory[slot] = n;
    return { ...o, inventory };
  };
  task.reset();
  task.observe('a', withSaplings(0), info);
  assert.equal(name(task.choose('a', withSaplings(0))), 'collect:sapling');
  task.observe('a', withSaplings(1), info);
  assert.equal(name(task.choose('a', withSaplings(1))), 'place:plant', 'a held sapling is planted (ready crafts)');
  task.observe('a', withSaplings(0), info);
  assert.notEqual(name(task.choose('a', withSaplings(0))), 'collect:sapling', 'planted: the tech tree now');
  task.reset();
  task.observe('a', withSaplings(0), info);
  assert.equal(name(task.choose('a', withSaplings(0))), 'collect:sapling', 'a new episode plants again');
  const off = new CrafterGoalTask(planner, { survival: new CrafterSurvival(rules), readyCraftsFirst: true, randomShare: 0 });
  assert.notEqual(name(off.choose('a', withSaplings(0))), 'collect:sapling', 'off by default');
});

test('snack: a cow within range is eaten once food is at the snack mark, before hunger would send the agent hunting', () => {
  const cowId = rules.materials.length + 2;
  const withCow = (food: number, dx: number): SymbolicObservation => {
    const o = obs([9, food, 9, 9]);
    const map = o.map.slice();
    map[3 * 9 + 4 + dx] = cowId;
    return { ...o, map };
  };
  const s = new CrafterSurvival(rules, { snack: 6 });
  assert.equal(name(s.need('a', withCow(6, 2))), 'eat:cow');
  assert.equal(name(s.need('b', withCow(7, 2))), null, 'not hungry enough');
  assert.equal(name(s.need('c', withCow(6, 4))), null, 'the cow is too far for a snack');
  assert.equal(name(new CrafterSurvival(rules).need('d', withCow(6, 1))), null, 'off by default');
});
