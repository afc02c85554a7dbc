import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../agents/learn/backend.js';
import { agreement, collectDemonstrations, imitate, type Demonstration } from '../../../agents/learn/imitation.js';
import { Ppo } from '../../../agents/learn/ppo.js';
import type { AgentInfo, EnvMetadata, ParallelEnv, PerAgent, ResetResult, StepResult } from '../../../core/parallel-env.js';
import { Rng } from '../../../core/rng.js';
import { box, discrete } from '../../../core/spaces.js';
import { createNavigationEnv } from '../../../worlds/navigation/index.js';
import type { NavigationInfo, NavigationObservation } from '../../../worlds/navigation/navigation-env.js';

type OptionInfo = AgentInfo & { actionMask: Uint8Array; optionSteps?: number };

/**
 * Two decisions per episode, lasting 3 and 2 env steps (a manager's world), rewards 0 then 1; action 2 is illegal
 * after the first. The observation is one buffer the env overwrites, as fast worlds do.
 */
class TwoOptions implements ParallelEnv<Float32Array, number, OptionInfo> {
  readonly metadata: EnvMetadata = { name: 'two-options' };
  readonly possibleAgents = ['a'];
  agents: string[] = [];
  private t = 0;
  private readonly buffer = new Float32Array(1);
  /** Every action the world was given, in order. */
  readonly received: number[] = [];
  observationSpace() {
    return box([1], 0, 1);
  }
  actionSpace() {
    return discrete(3);
  }
  state() {
    return this.t;
  }
  defaultAction() {
    return 0;
  }
  reset(): ResetResult<Float32Array, OptionInfo> {
    this.t = 0;
    this.agents = ['a'];
    this.buffer[0] = 0;
    return { observations: { a: this.buffer }, infos: { a: { actionMask: Uint8Array.of(1, 1, 1) } } };
  }
  step(actions: Readonly<PerAgent<number>>): StepResult<Float32Array, OptionInfo> {
    this.received.push(actions.a as number);
    this.t++;
    const done = this.t === 2;
    if (done) this.agents = [];
    this.buffer[0] = this.t / 2;
    const info: PerAgent<OptionInfo> = { a: { actionMask: Uint8Array.of(1, 1, 0), optionSteps: this.t === 1 ? 3 : 2 } };
    return { observations: { a: this.buffer }, rewards: { a: this.t === 2 ? 1 : 0 }, terminations: { a: done }, truncations: { a: false }, infos: info };
  }
}

describe('behaviour cloning (imitation.ts)', () => {
  it('records each decision with its observation, mask and semi-MDP return, and stops at the episode end where done() holds', () => {
    const gamma = 0.9;
    let episodes = 0;
    const env = new TwoOptions();
    const demos = collectDemonstrations(env, (_a, obs) => (obs[0] === 0 ? 2 : 1), { rng: Rng.fromSeed(1), gamma, done: () => ++episodes === 3 });
    assert.equal(demos.length, 6, 'three episodes of two decisions');
    for (let e = 0; e < 3; e++) {
      const [first, second] = [demos[2 * e], demos[2 * e + 1]] as [Demonstration, Demonstration];
      assert.deepEqual([...(first.observation as Float32Array)], [0], 'the observation as it was when the teacher saw it (copied, not the reused buffer)');
      assert.deepEqual([...(second.observation as Float32Array)], [0.5]);
      assert.deepEqual([first.action, second.action], [2, 1]);
      assert.deepEqual([...(first.mask as Uint8Array)], [1, 1, 1]);
      assert.deepEqual([...(second.mask as Uint8Array)], [1, 1, 0]);
      assert.ok(Math.abs(first.return - gamma ** 3) < 1e-9, `the first option lasted 3 steps: gamma^3 * 1, got ${first.return}`);
      assert.equal(second.return, 1);
      assert.equal(first.agentIndex, 0);
    }
  });

  it('DAgger: with an actor, the actor drives the world and the teacher\'s picks are recorded', () => {
    const env = new TwoOptions();
    let episodes = 0;
    const demos = collectDemonstrations(env, () => 2, { rng: Rng.fromSeed(1), gamma: 0.9, done: () => ++episodes === 2, actor: () => 0 });
    assert.deepEqual(env.received, [0, 0, 0, 0], 'the world saw the actor\'s actions');
    assert.deepEqual(demos.map((d) => d.action), [2, 2, 2, 2], 'the labels are the teacher\'s');
  });

  it('fits a policy to a teacher: greedy agreement rises from chance to >= 90%, and the critic fits the returns', async () => {
    const backend = await initBackend('wasm', { quiet: true });
    const makeEnv = () => createNavigationEnv({ layout: 'open-room', width: 6, height: 6, obstacleDensity: 0, maxSteps: 30 });
    const ppo = new Ppo({ makeEnv, rng: Rng.fromSeed(2), backend, config: { numEnvs: 1, numSteps: 8, hidden: [32] } });
    // A teacher that is a function of what the policy sees: a legal move picked by the agent's position.
    const teacher = (_a: string, obs: NavigationObservation, info: NavigationInfo) => {
      const legal: number[] = [];
      info.actionMask.forEach((m, i) => m && legal.push(i));
      const [x, y] = obs.position as unknown as [number, number];
      return legal[(x + 2 * y) % legal.length] as number;
    };
    let steps = 0;
    const collect = (seed: number, n: number) => collectDemonstrations(makeEnv(), (a, o, i) => (steps++, teacher(a, o, i)), { rng: Rng.fromSeed(seed), gamma: 0.9, done: () => steps >= n });
    const train = collect(3, 3000);
    steps = 0;
    const heldOut = collect(4, 600);
    const before = agreement(ppo, heldOut);
    const fit = imitate(ppo, train, { rng: Rng.fromSeed(5), epochs: 40, learningRate: 3e-3, minibatchSize: 128 });
    const after = agreement(ppo, heldOut);
    assert.ok(before < 0.5, `an untrained policy agrees by chance only, got ${before}`);
    assert.ok(after >= 0.9, `after cloning it follows the teacher on held-out decisions, got ${after}`);
    assert.ok((fit.crossEntropy.at(-1) as number) < (fit.crossEntropy[0] as number) / 2, `cross-entropy falls: ${fit.crossEntropy[0]} -> ${fit.crossEntropy.at(-1)}`);
    assert.ok((fit.valueLoss.at(-1) as number) < (fit.valueLoss[0] as number), `the value loss falls: ${fit.valueLoss[0]} -> ${fit.valueLoss.at(-1)}`);
    assert.ok((fit.accuracy.at(-1) as number) >= 0.9);
    // PPO carries on from the cloned weights.
    const s = ppo.iterate();
    assert.ok(Number.isFinite(s.policyLoss));
    ppo.dispose();
  });

  it('rejects what it cannot fit: no demonstrations, an action outside the policy', async () => {
    const backend = await initBackend('wasm', { quiet: true });
    const ppo = new Ppo({ makeEnv: () => new TwoOptions(), rng: Rng.fromSeed(1), backend, config: { numEnvs: 1, numSteps: 2, hidden: [4] } });
    assert.throws(() => imitate(ppo, [], { rng: Rng.fromSeed(1) }), /no demonstrations/);
    const bad: Demonstration = { observation: Float32Array.of(0), agentIndex: 0, mask: null, action: 7, return: 0 };
    assert.throws(() => imitate(ppo, [bad], { rng: Rng.fromSeed(1) }), /demonstration 0 has action 7, the policy has 3/);
    ppo.dispose();
  });
});
