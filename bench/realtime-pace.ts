// How close the realtime clock gets to the pace it is asked for, on the real asyncScheduler, with a cheap world.
// Run: node --import tsx bench/realtime-pace.ts
import { discrete, Simulation } from '../core/index.js';
import type { AgentInfo, ParallelEnv, PerAgent, StepResult } from '../core/index.js';

/** Two agents stepping a counter; episodes of 1,000 steps. */
class CounterWorld implements ParallelEnv<number, number> {
  readonly metadata = { name: 'counter' };
  readonly possibleAgents = ['a', 'b'];
  agents: readonly string[] = [];
  private t = 0;
  private readonly space = discrete(2);
  observationSpace() {
    return this.space;
  }
  actionSpace() {
    return this.space;
  }
  reset() {
    this.t = 0;
    this.agents = this.possibleAgents;
    return { observations: { a: 0, b: 0 }, infos: { a: {}, b: {} } };
  }
  step(actions: Readonly<PerAgent<number>>): StepResult<number> {
    this.t++;
    const done = this.t >= 1000;
    const infos: PerAgent<AgentInfo> = { a: {}, b: {} };
    if (done) this.agents = [];
    return {
      observations: { a: this.t, b: this.t },
      rewards: { a: actions.a ?? 0, b: actions.b ?? 0 },
      terminations: { a: false, b: false },
      truncations: { a: done, b: done },
      infos,
    };
  }
  state() {
    return this.t;
  }
  defaultAction() {
    return 0;
  }
}

for (const stepsPerSecond of [100, 1000, 5000]) {
  const sim = new Simulation({ env: new CounterWorld(), seed: 1, controllers: () => ({ act: (ctx) => ctx.step % 2 }) });
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 1000);
  const started = performance.now();
  const summary = await sim.runRealtime({ stepsPerSecond, signal: abort.signal });
  const seconds = (performance.now() - started) / 1000;
  const achieved = summary.steps / seconds;
  console.log(`realtime ${String(stepsPerSecond).padStart(5)} steps/s asked: ${achieved.toFixed(0).padStart(5)} steps/s achieved (${((achieved / stepsPerSecond) * 100).toFixed(1)}%)`);
}
