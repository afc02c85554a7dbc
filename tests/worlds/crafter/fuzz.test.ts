import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrafterEnv } from '../../../worlds/crafter/crafter-env.js';
import { checkInvariants } from '../../../worlds/crafter/check-invariants.js';
import { Rng } from '../../../core/rng.js';
import type { RulesetName } from '../../../worlds/crafter/rules.js';
import { Kind, KIND_NAMES } from '../../../worlds/crafter/world-store.js';

/** Object kinds seen during the last fuzz run (to check the run exercised creatures, not just walking). */
const seen = new Set<number>();

function fuzz(players: number, ruleset: RulesetName, seed: number, steps: number): number {
  seen.clear();
  const env = new CrafterEnv({ players, ruleset, oneHot: false });
  const rng = Rng.fromSeed(seed);
  env.reset({ seed });
  const prev = new Int32Array(players * env.rules.achievements.length);
  let episodes = 1;
  assert.deepEqual(checkInvariants(env, null, prev), [], 'after reset');
  for (let i = 0; i < steps; i++) {
    if (env.agents.length === 0) {
      env.reset();
      prev.fill(0);
      episodes++;
    }
    const actions: Record<string, number> = {};
    for (const a of env.agents) actions[a] = rng.int(0, env.nActions - 1);
    const res = env.step(actions);
    const st = env.engine.store;
    for (let k = 0; k < st.orderLen; k++) seen.add(st.kind[st.order[k]!]!);
    const problems = checkInvariants(env, res, prev);
    assert.deepEqual(problems, [], `players=${players} ${ruleset} seed=${seed} step ${env.engine.stepCount}`);
  }
  return episodes;
}

test('fuzz: 1 player, crafter rules, random actions over 3 seeds keep every invariant', () => {
  const kinds = new Set<number>();
  for (const seed of [1, 2, 3]) {
    assert.ok(fuzz(1, 'crafter', seed, 1500) >= 1);
    for (const k of seen) kinds.add(k);
  }
  for (const k of [Kind.cow, Kind.zombie, Kind.skeleton, Kind.arrow]) assert.ok(kinds.has(k), `the fuzz met no ${KIND_NAMES[k]}`);
});

test('fuzz: 6 players, crafter and mac rules (with share actions)', () => {
  fuzz(6, 'crafter', 4, 800);
  assert.ok(seen.has(Kind.zombie));
  // mac episodes last 350 steps: 800 steps cover at least two resets.
  assert.ok(fuzz(6, 'mac', 5, 800) >= 3);
});

test('fuzz: 100 players in one world', () => {
  fuzz(100, 'crafter', 6, 120);
  fuzz(100, 'mac', 7, 60);
  assert.ok(!seen.has(Kind.zombie) && !seen.has(Kind.skeleton), 'mac worlds have no hostile creatures');
});
