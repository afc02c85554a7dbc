import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ObservationEncoder } from '../../../agents/learn/observation-encoder.js';
import { box, dict, discrete } from '../../../core/spaces.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';

describe('ObservationEncoder', () => {
  it('encodes a navigation view one-hot, and its bag lists exactly the dense non-zeros', () => {
    const env = createNavigationEnv({ layout: 'four-rooms', viewSize: 5, agents: 2 });
    const { observations } = env.reset({ seed: 3 });
    const enc = new ObservationEncoder(env.observationSpace('agent_0'), { keys: ['view', 'hasKey'], agentIds: 2 });
    // 25 cells x 8 categories + hasKey 2 categories + 2 agent ids.
    assert.equal(enc.size, 25 * 8 + 2 + 2);
    assert.equal(enc.bagSize, 25 + 1 + 1);
    assert.equal(enc.unitValues, true, 'a purely categorical bag has unit values');
    const obs = observations.agent_1;
    const dense = new Float32Array(enc.size).fill(9);
    enc.encodeDense(obs, 1, dense);
    const idx = new Int32Array(enc.bagSize);
    const val = new Float32Array(enc.bagSize);
    enc.encodeBag(obs, 1, idx, val);
    const fromBag = new Float32Array(enc.size);
    idx.forEach((j, k) => (fromBag[j] = (fromBag[j] as number) + (val[k] as number)));
    assert.deepEqual(fromBag, dense, 'bag and dense encodings disagree');
    const view = (obs as { view: Uint8Array }).view;
    for (let c = 0; c < 25; c++) assert.equal(dense[c * 8 + (view[c] as number)], 1, `cell ${c} should be one-hot at its category ${view[c]}`);
    assert.equal(dense[enc.size - 1], 1, 'agent 1 id should be the last feature');
  });

  it('scales wide integer boxes, passes floats through, and drops zeros from the bag', () => {
    const space = dict({ pos: box([2], 0, 100, 'int32'), f: box([4], 0, 1, 'float32'), d: discrete(3, 1) });
    const enc = new ObservationEncoder(space, { bagSize: 4 });
    assert.equal(enc.size, 2 + 4 + 3);
    assert.equal(enc.unitValues, false, 'numbers make a weighted bag');
    const obs = { pos: Int32Array.from([50, 0]), f: Float32Array.from([0, 0.25, 0, 1]), d: 3 };
    const dense = new Float32Array(enc.size);
    enc.encodeDense(obs, 0, dense);
    assert.deepEqual([...dense], [0.5, 0, 0, 0.25, 0, 1, 0, 0, 1]);
    const idx = new Int32Array(4);
    const val = new Float32Array(4);
    enc.encodeBag(obs, 0, idx, val);
    assert.deepEqual([...idx], [0, 3, 5, 8]);
    assert.deepEqual([...val], [0.5, 0.25, 1, 1]);
    assert.throws(() => enc.encodeBag({ ...obs, pos: Int32Array.from([1, 1]) }, 0, idx, val), /more than bagSize = 4 non-zero features/);
    assert.throws(() => enc.encodeDense({ ...obs, d: 7 }, 0, dense), /d\[0\] = 7 is outside 1\.\.3/);
  });
});
