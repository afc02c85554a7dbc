import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrajectoryHasher } from '../../core/index.js';
import type { StepTransition } from '../../core/index.js';

function step(overrides: Partial<StepTransition['result']> & { actions?: Record<string, unknown>; step?: number } = {}): StepTransition {
  const { actions, step: n, ...result } = overrides;
  return {
    episode: 0,
    step: n ?? 1,
    actions: actions ?? { a: 1, b: 2 },
    result: {
      observations: { a: Int32Array.of(1, 2), b: Int32Array.of(3, 4) },
      rewards: { a: 0.5, b: -1 },
      terminations: { a: false, b: false },
      truncations: { a: false, b: false },
      infos: { a: {}, b: {} },
      ...result,
    },
  };
}

function digestOf(...steps: StepTransition[]): string {
  const h = new TrajectoryHasher();
  h.addReset({ episode: 0, seed: 7, result: { observations: { a: Int32Array.of(0, 0), b: Int32Array.of(0, 0) }, infos: {} } });
  for (const s of steps) h.addStep(s);
  return h.digest();
}

test('equal trajectories hash equal, whatever the key order of records', () => {
  const reordered = step({ rewards: { b: -1, a: 0.5 }, actions: { b: 2, a: 1 } });
  assert.equal(digestOf(step(), step({ step: 2 })), digestOf(reordered, step({ step: 2 })));
});

test('any change in actions, rewards, terminations, truncations or observations changes the digest', () => {
  const base = digestOf(step());
  const variants: [string, StepTransition][] = [
    ['action', step({ actions: { a: 1, b: 0 } })],
    ['reward', step({ rewards: { a: 0.5, b: -0.999 } })],
    ['termination', step({ terminations: { a: true, b: false } })],
    ['truncation', step({ truncations: { a: false, b: true } })],
    ['observation byte', step({ observations: { a: Int32Array.of(1, 2), b: Int32Array.of(3, 5) } })],
    ['observation dtype', step({ observations: { a: Float32Array.of(1, 2), b: Int32Array.of(3, 4) } })],
    ['observation as plain array', step({ observations: { a: [1, 2], b: Int32Array.of(3, 4) } })],
    ['step index', step({ step: 2 })],
  ];
  const seen = new Set([base]);
  for (const [what, s] of variants) {
    const d = digestOf(s);
    assert.notEqual(d, base, `changing the ${what} did not change the digest`);
    seen.add(d);
  }
  assert.equal(seen.size, variants.length + 1, 'two different variants collided');
});

test('episode boundaries and reset observations count', () => {
  const a = new TrajectoryHasher();
  const b = new TrajectoryHasher();
  const reset = (episode: number, seed: number, x: number) => ({ episode, seed, result: { observations: { a: [x] }, infos: {} } });
  a.addReset(reset(0, 1, 0));
  b.addReset(reset(0, 1, 1));
  assert.notEqual(a.digest(), b.digest(), 'reset observations are not hashed');
  const c = new TrajectoryHasher();
  const d = new TrajectoryHasher();
  c.addReset(reset(0, 1, 0));
  d.addReset(reset(1, 1, 0));
  assert.notEqual(c.digest(), d.digest(), 'the episode index is not hashed');
});

test('digest can be taken midway and hashing continues', () => {
  const h = new TrajectoryHasher();
  h.addStep(step());
  const first = h.digest();
  assert.equal(h.digest(), first, 'digest() must not change the state');
  h.addStep(step({ step: 2 }));
  assert.notEqual(h.digest(), first);
  assert.equal(h.digest(), digestOfSteps(step(), step({ step: 2 })));
});

test('large observations (beyond the internal buffer) hash by content', () => {
  const big = new Float32Array(300_000).map((_, i) => i % 17);
  const big2 = big.slice();
  big2[299_999] = 1000;
  assert.notEqual(
    digestOfSteps(step({ observations: { a: big } })),
    digestOfSteps(step({ observations: { a: big2 } })),
  );
  assert.equal(digestOfSteps(step({ observations: { a: big } })), digestOfSteps(step({ observations: { a: big.slice() } })));
});

function digestOfSteps(...steps: StepTransition[]): string {
  const h = new TrajectoryHasher();
  for (const s of steps) h.addStep(s);
  return h.digest();
}
