import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { policyActor, ReseedOnReset } from '../../../agents/hrl/policy-actor.js';
import type { Controller, EpisodeContext } from '../../../core/controller.js';
import type { Rng } from '../../../core/rng.js';
import { Rng as SeededRng } from '../../../core/rng.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';

/** A controller whose every action is a draw from the stream its reset handed it. */
function drawing(): Controller<unknown, number> {
  let rng: Rng | null = null;
  return {
    reset: (ctx: EpisodeContext) => void (rng = ctx.rng),
    act: () => (rng as Rng).int(0, 1_000_000),
  };
}

describe('policyActor streams', () => {
  it('reseed(seed) restarts every agent\'s stream: the same seed, the same actions; another seed, others', () => {
    const actor = policyActor(() => drawing(), SeededRng.fromSeed(1));
    const run = () => [actor('a', null, { actionMask: new Uint8Array(0) }), actor('b', null, { actionMask: new Uint8Array(0) }), actor('a', null, { actionMask: new Uint8Array(0) })];
    actor.reseed(5);
    const first = run();
    actor.reseed(5);
    assert.deepEqual(run(), first, 'replayed from the same seed');
    actor.reseed(6);
    assert.notDeepEqual(run(), first);
    assert.notEqual(first[0], first[1], 'each agent has its own fork');
  });

  it('ReseedOnReset reseeds the actor at every seeded reset of the world it wraps', () => {
    const actor = policyActor(() => drawing(), SeededRng.fromSeed(1));
    const env = new ReseedOnReset(createNavigationEnv({ layout: 'open-room', width: 5, height: 5 }), actor);
    const info = { actionMask: new Uint8Array(0) };
    env.reset({ seed: 9 });
    const a = [actor('x', null, info), actor('x', null, info)];
    actor('x', null, info);
    env.reset({ seed: 9 });
    assert.deepEqual([actor('x', null, info), actor('x', null, info)], a, 'an episode replayed from its seed draws the same');
    env.reset({ seed: 10 });
    assert.notDeepEqual([actor('x', null, info), actor('x', null, info)], a);
  });
});
