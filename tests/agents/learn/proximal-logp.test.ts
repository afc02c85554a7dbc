import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../agents/learn/backend.js';
import { proximalLogp } from '../../../agents/learn/learner/proximal-logp.js';
import { ActorCritic } from '../../../agents/learn/networks/actor-critic.js';
import { networkInput } from '../../../agents/learn/networks/network-input.js';
import { ObservationEncoder } from '../../../agents/learn/observation-encoder.js';
import { allocRolloutBuffers, collectRollout } from '../../../agents/learn/rollout/collect-rollout.js';
import type { InferGroups } from '../../../agents/learn/rollout/collect-rollout.js';
import { VectorEnv } from '../../../agents/learn/rollout/vector-env.js';
import { Rng } from '../../../core/rng.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';

describe('proximalLogp (decoupled PPO for the pipelined rollout)', () => {
  it('gives the behaviour log-probs and weight 1 for the behaviour net, and exp(logp_prox - logp_behaviour) for another', async () => {
    await initBackend('wasm', { quiet: true });
    // Two agents, one policy each (two groups of slots), with masked actions near walls.
    const make = () => createNavigationEnv({ layout: 'open-room', width: 5, height: 5, agents: 2, maxSteps: 6 });
    const env = make();
    const encoder = new ObservationEncoder(env.observationSpace('agent_0'), { keys: ['view'] });
    const vec = new VectorEnv([make(), make(), make()], encoder, 'embedding-bag', Rng.fromSeed(1).fork('envs'));
    vec.reset();
    const spec = { input: 'embedding-bag', inputSize: encoder.size, bagSize: encoder.bagSize, unitValues: encoder.unitValues, hidden: [8], activation: 'tanh', actions: vec.actions, customGradients: true } as const;
    const behaviour = [new ActorCritic(spec, Rng.fromSeed(2)), new ActorCritic(spec, Rng.fromSeed(3))];
    const other = [new ActorCritic(spec, Rng.fromSeed(4)), new ActorCritic(spec, Rng.fromSeed(5))];
    const w = encoder.bagSize;
    const groups = [0, 1].map((g) => ({ firstSlot: g * 3, slotCount: 3 }));
    const infer: InferGroups = (obs, use) => groups.forEach((g, gi) => {
      const rows = (a: Float32Array | Int32Array | null) => a && a.subarray(g.firstSlot * w, (g.firstSlot + g.slotCount) * w);
      const head = tf.tidy(() => (behaviour[gi] as ActorCritic).head(networkInput('embedding-bag', g.slotCount, w, null, rows(obs.idx) as Int32Array, rows(obs.val) as Float32Array)).dataSync() as Float32Array);
      use(gi, head, Float32Array.from({ length: g.slotCount }, (_, k) => head[k * (vec.actions + 1) + vec.actions] as number));
    });
    const T = 10;
    const buf = allocRolloutBuffers(T * vec.slots, w, vec.actions, 'embedding-bag');
    collectRollout(vec, buf, w, groups, { numSteps: T, gamma: 0.99, useActionMask: true, bootstrapTruncation: true }, infer, Rng.fromSeed(6));
    const same = proximalLogp(groups.map((g, i) => ({ ...g, net: behaviour[i] as ActorCritic })), buf, 'embedding-bag', w, T, vec.slots, vec.actions);
    for (let i = 0; i < T * vec.slots; i++) {
      assert.ok(Math.abs((same.logp[i] as number) - (buf.logp[i] as number)) < 1e-5, `sample ${i}: proximal ${same.logp[i]} vs behaviour ${buf.logp[i]}`);
      assert.ok(Math.abs((same.weight[i] as number) - 1) < 1e-5, `sample ${i}: weight ${same.weight[i]}`);
    }
    const diff = proximalLogp(groups.map((g, i) => ({ ...g, net: other[i] as ActorCritic })), buf, 'embedding-bag', w, T, vec.slots, vec.actions);
    let moved = 0;
    for (let i = 0; i < T * vec.slots; i++) {
      const want = Math.exp((diff.logp[i] as number) - (buf.logp[i] as number));
      assert.ok(Math.abs((diff.weight[i] as number) - want) < 1e-5 * want, `sample ${i}: weight ${diff.weight[i]}, want ${want}`);
      assert.ok(Number.isFinite(diff.logp[i]) && (diff.logp[i] as number) <= 0, `sample ${i}: log-prob ${diff.logp[i]}`);
      if (Math.abs((diff.weight[i] as number) - 1) > 1e-3) moved++;
    }
    assert.ok(moved > 0, 'another policy gives other weights');
    for (const n of [...behaviour, ...other]) n.dispose();
  });
});
