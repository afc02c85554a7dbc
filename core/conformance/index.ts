/**
 * The conformance kit: run it over your own world to check the `ParallelEnv` contract (`core/parallel-env.ts`).
 *
 * @example
 * checkConformance(() => createMyEnv({ maxSteps: 50 }), { seed: 1, cycles: 500, maxSteps: 50 });
 */
import { apiTest } from './api-test.js';
import { maxStepsTest } from './max-steps-test.js';
import type { EnvFactory } from './random-actions.js';
import { seedTest } from './seed-test.js';

export { ConformanceError } from './conformance-error.js';
export { firstDifference } from './first-difference.js';
export { randomActions } from './random-actions.js';
export type { AnyEnv, EnvFactory } from './random-actions.js';
export { apiTest, type ApiTestOptions } from './api-test.js';
export { seedTest, type SeedTestOptions } from './seed-test.js';
export { maxStepsTest, type MaxStepsTestOptions } from './max-steps-test.js';

export interface ConformanceOptions {
  readonly seed?: number;
  /** Steps of `apiTest` (default 300). */
  readonly cycles?: number;
  /** Steps of `seedTest` (default 300). */
  readonly steps?: number;
  /** The step limit `makeEnv` configures; `maxStepsTest` runs only when it is given. */
  readonly maxSteps?: number;
}

/** Runs `apiTest`, `seedTest` and (with `maxSteps`) `maxStepsTest`; throws the first `ConformanceError`. */
export function checkConformance(makeEnv: EnvFactory, opts: ConformanceOptions = {}): void {
  const seed = opts.seed ?? 0;
  apiTest(makeEnv, { seed, ...(opts.cycles !== undefined ? { cycles: opts.cycles } : {}) });
  seedTest(makeEnv, { seed, ...(opts.steps !== undefined ? { steps: opts.steps } : {}) });
  if (opts.maxSteps !== undefined) maxStepsTest(makeEnv, { maxSteps: opts.maxSteps, seed });
}
