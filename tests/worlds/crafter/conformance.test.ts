import { test } from 'node:test';
import { checkConformance } from '../../../core/conformance/index.js';
import { createCrafterEnv, RULESETS } from '../../../worlds/crafter/index.js';

// A short episode length (a rule override) so that maxStepsTest and episode boundaries fit in a few hundred steps.
const LENGTH = 30;

// Steps per check shrink with the player count: 100 players cost ~100x per step (and seedTest keeps deep copies).
const STEPS: Record<number, number> = { 1: 150, 2: 120, 6: 80, 100: 12 };

for (const ruleset of RULESETS) {
  for (const agents of [1, 2, 6, 100]) {
    test(`crafter ${ruleset}, ${agents} player(s) passes the conformance kit`, () => {
      const steps = STEPS[agents]!;
      const make = () => createCrafterEnv({ ruleset, agents, overrides: { 'world.length': LENGTH } });
      checkConformance(make, { seed: agents * 3 + 1, cycles: steps, steps, maxSteps: LENGTH });
    });
  }
}
