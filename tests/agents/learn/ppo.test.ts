import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BackendError, initBackend, parseBackendName } from '../../../agents/learn/backend.js';
import { Ppo, PpoConfigError, gae, parsePpoConfig } from '../../../agents/learn/ppo.js';
import { Rng } from '../../../core/rng.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';

describe('bad learning configs fail with a clear message', () => {
  it('an unknown backend names the allowed ones', async () => {
    assert.throws(() => parseBackendName('tpu'), (e: Error) => e instanceof BackendError && /unknown backend "tpu": expected one of auto, gpu, node, wasm, cpu/.test(e.message));
    await assert.rejects(initBackend('metal', { quiet: true }), /unknown backend "metal": expected one of auto, gpu, node, wasm, cpu/);
    assert.throws(() => parsePpoConfig({ backend: 'tpu' }), (e: Error) => e instanceof PpoConfigError && /backend = "tpu"/.test(e.message));
  });

  it('a native backend that is not installed says how to install it; auto falls back to wasm', async () => {
    for (const name of ['gpu', 'node'] as const) {
      try {
        const info = await initBackend(name, { quiet: true });
        assert.equal(info.backend, name, 'a native backend that started must report itself');
      } catch (e) {
        assert.ok(e instanceof BackendError, `expected a BackendError, got ${String(e)}`);
        assert.match(e.message, /npm install @tensorflow\/tfjs-node/);
      }
    }
    const auto = await initBackend('auto', { quiet: true });
    assert.ok(['gpu', 'node', 'wasm'].includes(auto.backend), `auto chose ${auto.backend}`);
    assert.equal(auto.requested, 'auto');
  });

  it('a negative learning rate names the field, the value and the bound', () => {
    assert.throws(() => parsePpoConfig({ learningRate: -0.001 }), (e: Error) => e instanceof PpoConfigError && /learningRate = -0\.001: .*>0/.test(e.message));
  });

  it('other bad fields and unknown keys are named too', () => {
    assert.throws(() => parsePpoConfig({ gamma: 1.5, numEnvs: 0 }), /numEnvs = 0: .*; gamma = 1\.5: .*<=1/);
    assert.throws(() => parsePpoConfig({ learningrate: 0.1 }), /unrecognized key.*learningrate/i);
    assert.throws(() => parsePpoConfig({ hidden: [] }), /hidden = \[\]/);
  });

  it('the Ppo constructor validates before building anything, and observation keys must exist', async () => {
    const backend = await initBackend('wasm', { quiet: true });
    const makeEnv = () => createNavigationEnv({ layout: 'open-room', width: 5, height: 5 });
    assert.throws(() => new Ppo({ makeEnv, rng: Rng.fromSeed(1), backend, config: { learningRate: -1 } }), /learningRate = -1/);
    assert.throws(() => new Ppo({ makeEnv, rng: Rng.fromSeed(1), backend, config: { observationKeys: ['pixels'] } }), /observation key "pixels" is not in the space \(keys: view, position, hasKey\)/);
    assert.throws(() => new Ppo({ makeEnv, rng: Rng.fromSeed(1), backend, config: { backend: 'cpu' } }), /asks for backend "cpu" but "wasm" is running/);
    await assert.rejects(Ppo.create({ makeEnv, rng: Rng.fromSeed(1), config: { backend: 'cuda' } }), /backend = "cuda"/);
    const ppo = await Ppo.create({ makeEnv, rng: Rng.fromSeed(1), quiet: true, config: { backend: 'wasm', numEnvs: 1, numSteps: 4 } });
    assert.deepEqual(ppo.runConfig.backend, { requested: 'wasm', used: 'wasm' }, 'the run config records the backend that ran');
    ppo.dispose();
  });

  it('defaults are filled in and the result is frozen', () => {
    const c = parsePpoConfig({});
    assert.equal(c.clipCoef, 0.2);
    assert.equal(c.backend, 'auto');
    assert.ok(Object.isFrozen(c));
  });
});

describe('backend-specific gradients', () => {
  it('the cpu backend trains with autodiff (the hand-written dense gradient is a wasm-only speed-up)', async () => {
    const cpu = await initBackend('cpu', { quiet: true });
    assert.equal(cpu.backend, 'cpu');
    assert.equal(cpu.customGradients, false, 'explicit transposes cost more than they save on cpu');
    for (const firstLayer of ['dense', 'embedding-bag'] as const) {
      const ppo = new Ppo({
        makeEnv: () => createNavigationEnv({ layout: 'open-room', width: 6, height: 6, obstacleDensity: 0, agents: 2 }),
        rng: Rng.fromSeed(3),
        backend: cpu,
        config: { backend: 'cpu', numEnvs: 2, numSteps: 8, hidden: [8], firstLayer, observationKeys: ['view', 'position'] },
      });
      assert.equal(ppo.runConfig.customGradients, false);
      const s = ppo.iterate();
      assert.ok(Number.isFinite(s.policyLoss) && Number.isFinite(s.valueLoss) && s.entropy > 0, `${firstLayer}: ${JSON.stringify(s)}`);
      ppo.dispose();
    }
    await initBackend('wasm', { quiet: true });
  });
});

describe('generalised advantage estimation', () => {
  it('matches a hand-computed example with an episode end in the middle, two slots side by side', () => {
    // Rows are steps, columns slots: slot 0 ends an episode at t=1; slot 1 at t=2.
    const T = 3;
    const N = 2;
    const rewards = Float32Array.from([1, 0, 0, 0, 2, 1]);
    const values = Float32Array.from([0.5, 0, 1, 0, 2, 0]);
    const dones = Uint8Array.from([0, 0, 1, 0, 0, 1]);
    const last = Float32Array.from([3, 5]);
    const { advantages, returns } = gae(rewards, values, dones, last, T, N, 0.9, 0.5);
    // Slot 0: t2 delta = 2 + 0.9*3 - 2 = 2.7; t1 (done) delta = 0 - 1 = -1, adv -1; t0 delta = 1 + 0.9*1 - 0.5 = 1.4,
    // adv = 1.4 + 0.9*0.5*(-1) = 0.95.  Slot 1: t2 (done) adv = 1; t1 adv = 0 + 0.45*1 = 0.45; t0 adv = 0.45*0.45.
    const expected = [0.95, 0.2025, -1, 0.45, 2.7, 1];
    expected.forEach((e, i) => assert.ok(Math.abs((advantages[i] as number) - e) < 1e-6, `advantage ${i}: expected ${e}, got ${advantages[i]}`));
    expected.forEach((e, i) => assert.ok(Math.abs((returns[i] as number) - (e + (values[i] as number))) < 1e-6, `return ${i} should be advantage + value`));
  });

  it('with lambda 1 and no ends, returns are the discounted sums bootstrapped from the last value', () => {
    const { returns } = gae(Float32Array.from([1, 1, 1]), Float32Array.from([0.3, -2, 7]), new Uint8Array(3), Float32Array.from([10]), 3, 1, 0.5, 1);
    assert.ok(Math.abs((returns[0] as number) - (1 + 0.5 + 0.25 + 0.125 * 10)) < 1e-6, `got ${returns[0]}`);
    assert.ok(Math.abs((returns[2] as number) - (1 + 0.5 * 10)) < 1e-6, `got ${returns[2]}`);
  });
});
