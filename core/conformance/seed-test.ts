import type { AgentInfo, PerAgent } from '../parallel-env.js';
import { Rng } from '../rng.js';
import { ensure } from './conformance-error.js';
import { firstDifference } from './first-difference.js';
import { randomActions, type AnyEnv, type EnvFactory } from './random-actions.js';

export interface SeedTestOptions {
  /** Seed of the first reset and of the actions (default 0). */
  readonly seed?: number;
  /** Steps to compare, over as many episodes as they span; later episodes reset without a seed (default 300). */
  readonly steps?: number;
}

interface Recorded {
  readonly actions: PerAgent<unknown>[];
  /** Reset results (index 0 and after every episode end) and step results, deep-copied as returned. */
  readonly results: unknown[];
  /** The objects as returned, to detect a world that mutates what it returned earlier. */
  readonly originals: unknown[];
}

/**
 * Determinism (PettingZoo's `seed_test`): two environments reset with the same seed and given the same actions
 * return identical observations, rewards, terminations, truncations, infos and events (typed arrays compared
 * element by element), also across later resets without a seed; and one environment reset twice with the same
 * seed replays the same trajectory. Also checks that the world never changes a result after returning it.
 * @throws ConformanceError naming the step and the first differing path, e.g. `step 12: observations.agent_0.view[3]: 2 vs 5`.
 */
export function seedTest(makeEnv: EnvFactory, opts: SeedTestOptions = {}): void {
  const seed = opts.seed ?? 0;
  const steps = opts.steps ?? 300;
  const a = makeEnv();
  const b = makeEnv();
  const first = record(a, seed, steps, null);
  const second = record(b, seed, steps, first.actions);
  compare(first, second, `seedTest: two environments reset with seed ${seed} and given the same actions differ at`);
  const again = record(a, seed, steps, first.actions);
  compare(first, again, `seedTest: one environment reset twice with seed ${seed} and given the same actions differs at`);
  for (const rec of [first, second]) {
    rec.originals.forEach((orig, i) => {
      const d = firstDifference(rec.results[i], orig, label(i, rec));
      ensure(d === null, () => `seedTest: the world changed a result after returning it (${d}, as returned vs later); return fresh arrays or document and copy`);
    });
  }
}

function record(env: AnyEnv, seed: number, steps: number, replay: readonly PerAgent<unknown>[] | null): Recorded {
  const rng = Rng.fromSeed(seed).fork('conformance-seed');
  const out: Recorded = { actions: [], results: [], originals: [] };
  const keep = (r: unknown) => {
    out.originals.push(r);
    out.results.push(structuredClone(r));
  };
  let res = env.reset({ seed });
  keep(res);
  let infos: Readonly<PerAgent<AgentInfo>> = res.infos;
  for (let t = 0; t < steps; t++) {
    if (env.agents.length === 0) {
      res = env.reset();
      keep(res);
      infos = res.infos;
      out.actions.push({});
      continue;
    }
    const actions = replay ? (replay[t] as PerAgent<unknown>) : randomActions(env, infos, rng);
    out.actions.push(actions);
    const s = env.step(actions);
    keep(s);
    infos = s.infos;
  }
  return out;
}

function compare(x: Recorded, y: Recorded, prefix: string): void {
  const n = Math.max(x.results.length, y.results.length);
  for (let i = 0; i < n; i++) {
    const d = firstDifference(x.results[i], y.results[i], label(i, x));
    ensure(d === null, () => `${prefix} ${d}`);
  }
}

/** `reset` or `step N` (counting steps within the whole recording) for result `i`. */
function label(i: number, rec: Recorded): string {
  if (i === 0) return 'reset';
  const action = rec.actions[i - 1];
  return action && Object.keys(action).length === 0 ? `reset after step ${i - 1}` : `step ${i}`;
}
