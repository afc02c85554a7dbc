import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiTest, checkConformance, ConformanceError, firstDifference, maxStepsTest, seedTest } from '../../core/conformance/index.js';
import { LineWalkEnv, type Fault } from './line-walk-env.js';

const make = (fault?: Fault) => () => new LineWalkEnv({ agents: 3, maxSteps: 20, ...(fault ? { fault } : {}) });

const caught = (run: () => void, ...patterns: RegExp[]) => {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof ConformanceError, `expected a ConformanceError, got ${String(e)}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
};

test('a correct environment passes every check', () => {
  checkConformance(make(), { seed: 3, cycles: 200, steps: 200, maxSteps: 20 });
});

test('apiTest: spaces that are new objects on every call', () => {
  caught(() => apiTest(make('fresh-spaces')), /observationSpace\("walker_0"\).*not the same object/);
});

test('apiTest: an observation outside its space names agent, step and element', () => {
  caught(() => apiTest(make('obs-out-of-space')), /observation of walker_0 from step \(episode 0, step 4\) is not in its observation space/, /observations\.walker_0\[0\] = \d+ is above high 7/);
});

test('apiTest: an agent revived after it left', () => {
  caught(() => apiTest(make('revive'), { cycles: 400 }), /walker_\d came back after episode \d+, step \d+ after it was terminated or truncated/);
});

test('apiTest: a missing reward key, a NaN reward, a bad action mask', () => {
  caught(() => apiTest(make('missing-reward')), /rewards from step \(episode 0, step 3\) should have exactly the live agents .*; missing walker_2/);
  caught(() => apiTest(make('nan-reward')), /reward of walker_0 at episode 0, step 2 should be a finite number, got NaN/);
  caught(() => apiTest(make('bad-mask')), /actionMask .* has length 2, the action space has n = 3/);
});

test('apiTest: stepping a finished episode or for an unknown agent must throw', () => {
  caught(() => apiTest(make('step-after-end-ok'), { cycles: 400 }), /step\(\{\}\) after the episode ended .* should throw until reset\(\)/);
  caught(() => apiTest(make('ignores-unknown-agent'), { cycles: 400 }), /should throw/);
});

test('apiTest: state() that changes the world', () => {
  caught(() => apiTest(make('state-mutates')), /calling state\(\) changed the trajectory: at (reset|step \d+)/);
});

test('seedTest: an environment that ignores the seed, and one that rewrites returned observations', () => {
  caught(() => seedTest(make('unseeded')), /two environments reset with seed 0 .* differ at reset\.observations\.walker_\d\[0\]: \d vs \d/);
  caught(() => seedTest(make('reused-obs-buffer')), /changed a result after returning it \(reset\.observations\.walker_0\[0\]/);
});

test('maxStepsTest: truncation one step late or one step early', () => {
  caught(() => maxStepsTest(make('late-truncation'), { maxSteps: 20 }), /walker_0 is neither truncated nor terminated at step 20 = maxSteps \(episode 0\)/);
  caught(() => maxStepsTest(make('early-truncation'), { maxSteps: 20 }), /walker_0 was truncated at step 19, before maxSteps 20/);
});

test('firstDifference reports the path of the first difference, typed arrays included', () => {
  assert.equal(firstDifference({ a: [1, { b: Uint8Array.of(1, 2) }] }, { a: [1, { b: Uint8Array.of(1, 3) }] }), 'value.a[1].b[1]: 2 vs 3');
  assert.equal(firstDifference(Int32Array.of(1), Uint8Array.of(1), 'x'), 'x: Int32Array(1) vs Uint8Array(1)');
  assert.equal(firstDifference({ a: NaN, b: [1] }, { a: NaN, b: [1] }), null);
  assert.equal(firstDifference({ a: 1 }, { a: 1, c: 2 }), 'value.c: missing vs present');
});
