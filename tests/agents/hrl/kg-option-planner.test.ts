// The kg-planner as core OptionController's planner: the same agent, split into planner and executor, plays the
// same episode step for step, and its options are subgoals of the world's vocabulary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionController } from '../../../core/option-controller.js';
import { Simulation } from '../../../core/simulation.js';
import { TrajectoryHasher } from '../../../core/trajectory-hash.js';
import { KnowledgeGraph } from '../../../memory/knowledge-graph.js';
import { GraphologyStore } from '../../../memory/graphology-store.js';
import { createCrafterEnv } from '../../../worlds/crafter/create-crafter-env.js';
import { crafterSubgoals } from '../../../worlds/crafter/crafter-subgoals.js';
import { crafterSemanticRules } from '../../../worlds/crafter/semantic-rules.js';
import { createKgPlannerController } from '../../../agents/crafter/kg-planner.js';
import { kgOptionPair, type KgSubgoal } from '../../../agents/hrl/kg-option-planner.js';
import type { OptionOutcome } from '../../../core/option-controller.js';

async function episode(asOptions: boolean): Promise<{ hash: string; outcomes: OptionOutcome<KgSubgoal>[] }> {
  const env = createCrafterEnv({ ruleset: 'mac', agents: 1, oneHot: false, overrides: { 'world.length': 60 } });
  const kg = await KnowledgeGraph.open(new GraphologyStore());
  kg.loadRules(crafterSemanticRules(env.rules.data));
  const outcomes: OptionOutcome<KgSubgoal>[] = [];
  const sim = new Simulation({
    env: env as never,
    seed: 5,
    controllers: () => {
      const c = createKgPlannerController({ kg, shareMemory: false, team: 'team', rules: env.rules, agents: env.possibleAgents });
      if (!asOptions) return c as never;
      const { planner, executor } = kgOptionPair(c);
      const wrapped = { ...planner, optionEnded: (o: OptionOutcome<KgSubgoal>) => outcomes.push(o) };
      return new OptionController({ planner: wrapped, executor }) as never;
    },
  });
  const hasher = new TrajectoryHasher();
  hasher.follow(sim);
  await sim.run({ episodes: 1 });
  await kg.close();
  return { hash: hasher.digest(), outcomes };
}

test('kg-planner behind OptionController: same trajectory, options in the crafter vocabulary', async () => {
  const plain = await episode(false);
  const split = await episode(true);
  assert.equal(split.hash, plain.hash, 'splitting the kg-planner into planner + executor changed its actions');
  const vocab = crafterSubgoals(createCrafterEnv({ ruleset: 'mac' }).rules);
  const names = split.outcomes.map((o) => (o.subgoal.kind === 'explore' ? 'explore' : vocab.describe(vocab.parse(o.subgoal))));
  assert.ok(names.includes('collect:wood'), names.join(' '));
  assert.ok(names.indexOf('make:wood_pickaxe') > names.indexOf('collect:wood'), `pickaxe after wood: ${names.join(' ')}`);
  assert.ok(split.outcomes.every((o) => o.steps >= 1));
});
