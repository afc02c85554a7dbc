import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../agents/learn/backend.js';
import { Ppo } from '../../../agents/learn/ppo.js';
import type { AgentInfo, EnvMetadata, ParallelEnv, PerAgent, ResetResult, StepResult } from '../../../core/parallel-env.js';
import { Rng } from '../../../core/rng.js';
import { box, discrete } from '../../../core/spaces.js';

/** Two decisions per episode: reward 0 then 1; with `options`, they last 3 and 2 env steps (a manager's world). */
class TwoDecisions implements ParallelEnv<Float32Array, number, AgentInfo & { optionSteps?: number }> {
  readonly metadata: EnvMetadata = { name: 'two-decisions' };
  readonly possibleAgents = ['a'];
  agents: string[] = [];
  private t = 0;
  private readonly obsSpace = box([1], 0, 1);
  private readonly actSpace = discrete(2);
  constructor(private readonly options: boolean) {}
  observationSpace() {
    return this.obsSpace;
  }
  actionSpace() {
    return this.actSpace;
  }
  state() {
    return this.t;
  }
  defaultAction() {
    return 0;
  }
  reset(): ResetResult<Float32Array, AgentInfo> {
    this.t = 0;
    this.agents = ['a'];
    return { observations: { a: Float32Array.of(0) }, infos: { a: {} } };
  }
  step(): StepResult<Float32Array, AgentInfo & { optionSteps?: number }> {
    this.t++;
    const done = this.t === 2;
    if (done) this.agents = [];
    const info: PerAgent<AgentInfo & { optionSteps?: number }> = { a: this.options ? { optionSteps: this.t === 1 ? 3 : 2 } : {} };
    return { observations: { a: Float32Array.of(this.t / 2) }, rewards: { a: this.t === 2 ? 1 : 0 }, terminations: { a: done }, truncations: { a: false }, infos: info };
  }
}

describe('PPO with semi-MDP discounting', () => {
  it('discounts a decision that lasted k env steps by gamma^k when the env reports optionSteps, by gamma otherwise', async () => {
    const backend = await initBackend('wasm', { quiet: true });
    const gamma = 0.9;
    // lambda = 1: the value targets are the Monte-Carlo returns, whatever the (random) values are.
    const config = { numEnvs: 1, numSteps: 2, totalSteps: 2, gamma, gaeLambda: 1, hidden: [4], numMinibatches: 1, updateEpochs: 1 };
    const returnsOf = (options: boolean) => {
      const ppo = new Ppo({ makeEnv: () => new TwoDecisions(options), rng: Rng.fromSeed(3), backend, config });
      ppo.iterate();
      const r = [...ppo.lastReturns];
      ppo.dispose();
      return r;
    };
    const [smdp0, smdp1] = returnsOf(true) as [number, number];
    assert.ok(Math.abs(smdp0 - gamma ** 3) < 1e-6, `first decision (3 steps) is worth gamma^3 * 1 = ${gamma ** 3}, got ${smdp0}`);
    assert.ok(Math.abs(smdp1 - 1) < 1e-6, `last decision is worth its reward, got ${smdp1}`);
    const [flat0] = returnsOf(false) as [number, number];
    assert.ok(Math.abs(flat0 - gamma) < 1e-6, `without option lengths every decision is one step: gamma * 1 = ${gamma}, got ${flat0}`);
  });
});
