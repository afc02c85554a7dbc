// Test helper: a tiny correct ParallelEnv (agents walk on a line to its right end) with switchable faults, to show
// that the conformance kit catches each broken invariant.
import type { AgentId, AgentInfo, ParallelEnv, PerAgent, ResetArgs, ResetResult, StepResult } from '../../core/parallel-env.js';
import { Rng } from '../../core/rng.js';
import { box, discrete, type BoxSpace, type DiscreteSpace } from '../../core/spaces.js';

export type Fault =
  | 'fresh-spaces' | 'obs-out-of-space' | 'revive' | 'missing-reward' | 'nan-reward' | 'state-mutates' | 'unseeded'
  | 'late-truncation' | 'early-truncation' | 'reused-obs-buffer' | 'step-after-end-ok' | 'bad-mask' | 'ignores-unknown-agent';

let globalCounter = 0;

export class LineWalkEnv implements ParallelEnv<Int32Array, number, AgentInfo, { positions: number[] }> {
  readonly metadata = { name: 'line-walk' };
  readonly possibleAgents: readonly AgentId[];
  private live: AgentId[] = [];
  private readonly obsSpace: BoxSpace;
  private readonly actSpace: DiscreteSpace = discrete(3);
  private rng = Rng.fromSeed(0);
  private positions: number[] = [];
  private t = 0;
  private revived = false;
  private readonly buffers = new Map<AgentId, Int32Array>();

  constructor(private readonly opts: { agents?: number; length?: number; maxSteps?: number; fault?: Fault } = {}) {
    this.possibleAgents = Array.from({ length: opts.agents ?? 2 }, (_, i) => `walker_${i}`);
    this.obsSpace = box([1], 0, this.length - 1, 'int32');
  }

  private get length(): number {
    return this.opts.length ?? 8;
  }

  get agents(): readonly AgentId[] {
    return this.live;
  }

  observationSpace(): BoxSpace {
    return this.opts.fault === 'fresh-spaces' ? box([1], 0, this.length - 1, 'int32') : this.obsSpace;
  }

  actionSpace(): DiscreteSpace {
    return this.actSpace;
  }

  defaultAction(): number {
    return 0;
  }

  reset(args: ResetArgs = {}): ResetResult<Int32Array> {
    if (args.seed !== undefined) this.rng = Rng.fromSeed(args.seed + (this.opts.fault === 'unseeded' ? globalCounter++ : 0));
    this.positions = this.possibleAgents.map(() => this.rng.int(0, 2));
    this.live = [...this.possibleAgents];
    this.t = 0;
    this.revived = false;
    return { observations: this.observeAll(this.live), infos: this.infos(this.live) };
  }

  step(actions: Readonly<PerAgent<number>>): StepResult<Int32Array> {
    if (this.live.length === 0) {
      if (this.opts.fault === 'step-after-end-ok') return { observations: {}, rewards: {}, terminations: {}, truncations: {}, infos: {} };
      throw new Error('episode over');
    }
    for (const a of Object.keys(actions)) {
      if (!this.live.includes(a) && this.opts.fault !== 'ignores-unknown-agent') throw new Error(`${a} is not live`);
    }
    const before = this.live;
    this.t++;
    const rewards: PerAgent<number> = {};
    const terminations: PerAgent<boolean> = {};
    const truncations: PerAgent<boolean> = {};
    const limit = (this.opts.maxSteps ?? 20) + (this.opts.fault === 'late-truncation' ? 1 : this.opts.fault === 'early-truncation' ? -1 : 0);
    for (const a of before) {
      const i = this.possibleAgents.indexOf(a);
      const act = actions[a] ?? 0;
      const p = Math.min(this.length - 1, Math.max(0, (this.positions[i] as number) + (act === 1 ? -1 : act === 2 ? 1 : 0)));
      this.positions[i] = p;
      terminations[a] = p === this.length - 1;
      truncations[a] = !terminations[a] && this.t >= limit;
      rewards[a] = this.opts.fault === 'nan-reward' && this.t === 2 ? NaN : terminations[a] ? 1 : 0;
    }
    if (this.opts.fault === 'missing-reward' && this.t === 3) delete rewards[before[before.length - 1] as AgentId];
    this.live = before.filter((a) => !terminations[a] && !truncations[a]);
    const gone = before.find((a) => !this.live.includes(a));
    if (this.opts.fault === 'revive' && gone !== undefined && !this.revived && this.live.length > 0) {
      this.revived = true;
      this.pendingRevive = gone;
    } else if (this.pendingRevive) {
      this.live = this.possibleAgents.filter((a) => this.live.includes(a) || a === this.pendingRevive);
      this.pendingRevive = undefined;
    }
    return { observations: this.observeAll(before), rewards, terminations, truncations, infos: this.infos(before) };
  }

  private pendingRevive: AgentId | undefined;

  state(): { positions: number[] } {
    if (this.opts.fault === 'state-mutates') this.rng.int(0, 1);
    return { positions: [...this.positions] };
  }

  private observeAll(agents: readonly AgentId[]): PerAgent<Int32Array> {
    const out: PerAgent<Int32Array> = {};
    for (const a of agents) {
      const i = this.possibleAgents.indexOf(a);
      let obs = this.opts.fault === 'reused-obs-buffer' ? this.buffers.get(a) : undefined;
      if (!obs) {
        obs = new Int32Array(1);
        this.buffers.set(a, obs);
      }
      obs[0] = (this.positions[i] as number) + (this.opts.fault === 'obs-out-of-space' && this.t === 4 ? 100 : 0);
      out[a] = obs;
    }
    return out;
  }

  private infos(agents: readonly AgentId[]): PerAgent<AgentInfo> {
    const out: PerAgent<AgentInfo> = {};
    for (const a of agents) {
      const mask = new Uint8Array(this.opts.fault === 'bad-mask' ? 2 : 3).fill(1);
      // 'state-mutates' draws in state(); the mask reveals it by depending on the generator.
      if (this.opts.fault === 'state-mutates') mask[0] = this.rng.int(0, 1);
      out[a] = { actionMask: mask };
    }
    return out;
  }
}
