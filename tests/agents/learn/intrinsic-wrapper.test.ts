// withIntrinsic on a real navigation world: rewards are extrinsic + weighted bonuses, episodeMetrics reports the
// sums apart; the registry builds modules from specs and rejects unknown names and bad options clearly.
import { describe, it } from 'node:test';
import { z } from 'zod';
import assert from 'node:assert/strict';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';
import { Action } from '../../../worlds/navigation/materials.js';
import { CountNovelty, defaultIntrinsicRegistry, IntrinsicSpecError, navigationPlaceReader, TopologicalReward, withIntrinsic } from '../../../agents/learn/intrinsic/index.js';

// Agent 0 starts at (1,1); the goal is at (4,1): three steps right.
const corridor = { layout: 'ascii' as const, map: ['######', '#0  G#', '######'] };

describe('withIntrinsic', () => {
  it('adds weighted bonuses to the reward and reports extrinsic and per-module sums', () => {
    const reader = navigationPlaceReader(3);
    const env = withIntrinsic(createNavigationEnv(corridor), [
      { module: new CountNovelty({ reader }), weight: 0.1 },
      { module: new TopologicalReward({ reader, edgeBonus: 0, frontierBonus: 0 }), weight: 2 },
    ]);
    env.reset({ seed: 1 });
    const rewards: number[] = [];
    for (let i = 0; i < 3; i++) rewards.push(env.step({ agent_0: Action.right }).rewards.agent_0 as number);
    // Cells (2,1) (3,1) (4,1) are new: 0.1 each. Place 1,0 (x 3..5) is entered on step 2: 2 * 1. Goal on step 3: +1.
    assert.deepEqual(rewards.map((r) => +r.toFixed(9)), [0.1, 2.1, 1.1]);
    const m = env.episodeMetrics();
    assert.equal(m.extrinsic, 1);
    assert.ok(Math.abs((m['intrinsic/count-novelty'] as number) - 0.3) < 1e-12, `count-novelty sum ${m['intrinsic/count-novelty']}`);
    assert.equal(m['intrinsic/topological'], 2);
    assert.equal(m.success, 1, "the world's own metrics pass through");
    env.reset();
    assert.equal(env.episodeMetrics()['intrinsic/topological'], 0, 'sums restart with the episode');
  });

  it('forwards spaces as the same objects and rejects duplicate names', () => {
    const inner = createNavigationEnv(corridor);
    const reader = navigationPlaceReader(3);
    const env = withIntrinsic(inner, [new CountNovelty({ reader })]);
    assert.equal(env.observationSpace('agent_0'), inner.observationSpace('agent_0'));
    assert.throws(() => withIntrinsic(inner, [new CountNovelty({ reader }), new CountNovelty({ reader })]), /unique names: "count-novelty" appears twice/);
  });
});

describe('IntrinsicRegistry', () => {
  const reader = navigationPlaceReader(3);
  it('builds weighted modules from specs, with instance names', () => {
    const mods = defaultIntrinsicRegistry().build([{ name: 'topological', weight: 0.5, edgeBonus: 0 }, { name: 'count-novelty', as: 'novelty', scope: 'run' }], { reader });
    assert.deepEqual(mods.map((m) => [m.module.name, m.weight]), [['topological', 0.5], ['novelty', 1]]);
    assert.ok(mods[0]?.module instanceof TopologicalReward);
  });

  it('fails clearly on an unknown module, a bad option, a missing reader and a missing subgoal source', () => {
    const reg = defaultIntrinsicRegistry();
    assert.throws(() => reg.build([{ name: 'curiosity', weight: 1 }], { reader }), (e: Error) => e instanceof IntrinsicSpecError && /intrinsic\[0\]: unknown intrinsic module "curiosity"; known: count-novelty, team-novelty, topological, subgoal/.test(e.message));
    assert.throws(() => reg.build([{ name: 'topological', edgeBonus: -1 }], { reader }), /intrinsic\[0\] \(topological\): edgeBonus: Too small/);
    assert.throws(() => reg.build([{ name: 'count-novelty', colour: 'red' }], { reader }), /Unrecognized key: "colour"/);
    assert.throws(() => reg.build([{ name: 'team-novelty' }], {}), /needs a place reader/);
    assert.throws(() => reg.build([{ name: 'subgoal' }], { reader }), /needs the subgoal source/);
    assert.throws(() => reg.build({ name: 'subgoal' }, { reader }), /expected a list of modules/);
  });

  it('lets a user register a module of their own', () => {
    const reg = defaultIntrinsicRegistry().register('step-cost', {
      options: z.strictObject({ cost: z.number().positive() }),
      create: (o, name) => ({
        name,
        reset: () => {},
        reward: (step) => Object.fromEntries(step.agents.map((a) => [a, -o.cost])),
      }),
    });
    const env = withIntrinsic(createNavigationEnv(corridor), reg.build([{ name: 'step-cost', cost: 0.25 }], { reader }));
    env.reset({ seed: 1 });
    assert.equal(env.step({ agent_0: Action.noop }).rewards.agent_0, -0.25);
    assert.throws(() => reg.register('step-cost', { options: z.strictObject({}), create: () => { throw new Error('unused'); } }), /already registered/);
  });
});
