import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../../../core/simulation.js';
import type { WorldEvent } from '../../../core/events.js';
import { CrafterEnv } from '../../../worlds/crafter/crafter-env.js';
import { firstStepKey, MAC_TASKS } from '../../../worlds/crafter/mac-tasks.js';
import { createScriptedCrafterController } from '../../../agents/crafter/scripted.js';

test('first-completion steps of the MAC tasks match the first achievementUnlocked event of any player', () => {
  const env = new CrafterEnv({ players: 4, ruleset: 'mac' });
  const sim = new Simulation({ env, seed: 11, controllers: () => createScriptedCrafterController() });
  const first = new Map<string, number>();
  const ends: WorldEvent<'episodeEnd'>[] = [];
  sim.events$.subscribe((e) => {
    if (e.type === 'episodeStart') first.clear();
    if (e.type === 'achievementUnlocked' && !first.has(e.data.achievement)) first.set(e.data.achievement, e.step);
    if (e.type === 'episodeEnd') {
      ends.push(e);
      const steps = env.taskFirstSteps();
      for (const { task, achievement } of MAC_TASKS) {
        const expected = first.get(achievement) ?? -1;
        assert.equal(steps[task], expected, `episode ${e.episode}, ${task}: ${steps[task]} vs the events' ${expected}`);
        assert.equal(e.data.metrics[firstStepKey(task)], expected >= 0 ? expected : undefined, `episode ${e.episode}: metric of ${task}`);
      }
    }
  });
  sim.runSync({ episodes: 2 });
  assert.equal(ends.length, 2);
  // The scripted team gets at least wood and a table within 350 steps; the tree order shows in the steps.
  const m = ends[0]!.data.metrics;
  assert.ok(m.firstStep_wood! >= 1 && m.firstStep_table! > m.firstStep_wood!, JSON.stringify(m));
});

test('a diamond at step 1 ends a MAC episode with firstStep_diamond 1; a new episode starts with none', () => {
  const env = new CrafterEnv({ players: 2, ruleset: 'mac' });
  env.reset({ seed: 7 });
  const e = env.engine;
  const s = e.slot[0]!;
  e.store.setMaterial(e.store.x[s]! + e.facingX[0]!, e.store.y[s]! + e.facingY[0]!, env.rules.materialId.diamond!);
  e.inv[env.rules.itemIndex.iron_pickaxe!] = 1;
  env.step({ player_0: 'do', player_1: 'noop' });
  assert.equal(env.episodeMetrics().firstStep_diamond, 1);
  assert.equal(env.taskFirstSteps().diamond, 1);
  assert.equal(env.taskFirstSteps().wood, -1);
  env.reset({ seed: 8 });
  assert.ok(Object.values(env.taskFirstSteps()).every((v) => v === -1));
  assert.equal(Object.keys(env.episodeMetrics()).some((k) => k.startsWith('firstStep_')), false);
});
