import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../agents/learn/backend.js';
import { ActorCritic } from '../../../agents/learn/networks/actor-critic.js';
import { ObservationEncoder } from '../../../agents/learn/observation-encoder.js';
import { PolicyController } from '../../../agents/learn/policy-controller.js';
import { sampleAction } from '../../../agents/learn/rollout/sampling.js';
import { Rng } from '../../../core/rng.js';
import { box } from '../../../core/spaces.js';

describe('acting with a policy', () => {
  before(async () => {
    await initBackend('wasm', { quiet: true });
  });

  it('a PolicyController never picks a masked action, greedy or sampling, and greedy takes the best legal one', () => {
    const space = box([2], 0, 1, 'float32');
    const enc = new ObservationEncoder(space);
    const net = new ActorCritic({ input: 'dense', inputSize: 2, bagSize: 2, hidden: [3], activation: 'tanh', actions: 4, customGradients: true }, Rng.fromSeed(1));
    // Head bias: logits 5, 4, 0, 0 (action 0 best, then 1); the other weights are zero so inputs do not matter.
    const w = net.getWeights().map((a) => new Float32Array(a.length));
    w[w.length - 1]!.set([5, 4, 0, 0, 0]);
    net.setWeights(w);
    const agents = ['a'];
    const ctx = (mask: number[]) => ({ agent: 'a', observation: Float32Array.of(0.5, 1), info: { actionMask: Uint8Array.from(mask) }, step: 0, episode: 0, worldState: () => null });
    const greedy = new PolicyController(net, enc, { agents, input: 'dense', greedy: true });
    greedy.reset({ agent: 'a', episode: 0, observationSpace: space, actionSpace: space, rng: Rng.fromSeed(2) });
    assert.equal(greedy.act(ctx([1, 1, 1, 1])), 0, 'greedy takes the largest logit');
    assert.equal(greedy.act(ctx([0, 1, 1, 1])), 1, 'greedy takes the best legal action');
    const sampler = new PolicyController(net, enc, { agents, input: 'dense' });
    sampler.reset({ agent: 'a', episode: 0, observationSpace: space, actionSpace: space, rng: Rng.fromSeed(3) });
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) counts[sampler.act(ctx([0, 1, 0, 1]))]! += 1;
    assert.equal(counts[0]! + counts[2]!, 0, `masked actions were sampled: ${counts}`);
    assert.ok(counts[1]! > 300 && counts[3]! > 0, `legal actions should follow softmax(4, 0) ~ 98% / 2%: ${counts}`);
    assert.throws(() => greedy.act({ ...ctx([1, 1, 1, 1]), agent: 'b' }), /unknown agent "b"/);
    net.dispose();
  });

  it('sampleAction returns the log-probability of the sampled action under the masked softmax', () => {
    const logits = Float32Array.of(9, 1, 2, 3);
    const bias = Float32Array.of(-1e9, 0, 0, 0);
    const rng = Rng.fromSeed(4);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    for (let i = 0; i < 50; i++) {
      const [a, logp] = sampleAction(logits, 0, 4, bias, 0, rng);
      assert.ok(a >= 1 && a <= 3, `sampled masked action ${a}`);
      assert.ok(Math.abs(logp - Math.log(Math.exp(logits[a]!) / z)) < 1e-5, `log-prob of ${a}: ${logp}`);
    }
  });
});
