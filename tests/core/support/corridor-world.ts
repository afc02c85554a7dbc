import { discrete, box, Rng } from '../../../core/index.js';
import type { AgentId, AgentInfo, EnvMetadata, ParallelEnv, PerAgent, ResetArgs, ResetResult, Space, StepResult, WorldEventInput } from '../../../core/index.js';

declare module '../../../core/events.js' {
  interface WorldEvents {
    /** Test world: an agent reached the end of the corridor. */
    corridorEndReached: { agent: AgentId; position: number };
  }
}

/** Actions of the corridor. */
export const NOOP = 0;
export const LEFT = 1;
export const RIGHT = 2;

export interface CorridorOptions {
  readonly length?: number;
  readonly agents?: number;
  readonly maxSteps?: number;
  /** Probability that a gust pushes an agent one cell left after it moves (drawn from the world's generator). */
  readonly wind?: number;
}

/**
 * A 1-D corridor for kernel tests: agents start at seeded random cells and walk to the last cell (reward +1,
 * terminated, `corridorEndReached` event); every step costs 0.01; the episode is truncated after `maxSteps`. Observation:
 * Int32Array [position, steps left]. Deterministic from the reset seed.
 */
export class CorridorWorld implements ParallelEnv<Int32Array, number, AgentInfo, { positions: PerAgent<number> }> {
  readonly metadata: EnvMetadata = { name: 'corridor' };
  readonly possibleAgents: readonly AgentId[];
  agents: readonly AgentId[] = [];
  readonly length: number;
  readonly maxSteps: number;
  readonly wind: number;
  private readonly obsSpace: Space;
  private readonly actSpace: Space = discrete(3);
  private rng = Rng.fromSeed(0);
  private positions: PerAgent<number> = {};
  private t = 0;
  private reached = 0;
  closed = false;

  constructor(options: CorridorOptions = {}) {
    this.length = options.length ?? 8;
    this.maxSteps = options.maxSteps ?? 20;
    this.wind = options.wind ?? 0.2;
    this.possibleAgents = Array.from({ length: options.agents ?? 3 }, (_, i) => `agent_${i}`);
    this.obsSpace = box([2], 0, Math.max(this.length, this.maxSteps), 'int32');
  }

  observationSpace(): Space {
    return this.obsSpace;
  }

  actionSpace(): Space {
    return this.actSpace;
  }

  reset(args: ResetArgs = {}): ResetResult<Int32Array> {
    if (args.seed !== undefined) this.rng = Rng.fromSeed(args.seed);
    this.t = 0;
    this.reached = 0;
    this.agents = [...this.possibleAgents];
    this.positions = {};
    const observations: PerAgent<Int32Array> = {};
    const infos: PerAgent<AgentInfo> = {};
    for (const a of this.agents) {
      this.positions[a] = this.rng.int(0, this.length - 2);
      observations[a] = this.observe(a);
      infos[a] = {};
    }
    return { observations, infos };
  }

  step(actions: Readonly<PerAgent<number>>): StepResult<Int32Array> {
    if (this.agents.length === 0) throw new Error('corridor: step after the episode ended; call reset');
    for (const a of Object.keys(actions)) if (!this.agents.includes(a)) throw new Error(`corridor: action for agent "${a}" that is not live`);
    this.t++;
    const observations: PerAgent<Int32Array> = {};
    const rewards: PerAgent<number> = {};
    const terminations: PerAgent<boolean> = {};
    const truncations: PerAgent<boolean> = {};
    const infos: PerAgent<AgentInfo> = {};
    const events: WorldEventInput[] = [];
    for (const a of this.agents) {
      const act = actions[a] ?? NOOP;
      let p = this.positions[a] as number;
      if (act === LEFT) p = Math.max(0, p - 1);
      else if (act === RIGHT) p = Math.min(this.length - 1, p + 1);
      if (p < this.length - 1 && this.rng.chance(this.wind)) p = Math.max(0, p - 1);
      this.positions[a] = p;
      const done = p === this.length - 1;
      if (done) {
        this.reached++;
        events.push({ type: 'corridorEndReached', data: { agent: a, position: p } });
      }
      rewards[a] = (done ? 1 : 0) - 0.01;
      terminations[a] = done;
      truncations[a] = !done && this.t >= this.maxSteps;
      observations[a] = this.observe(a);
      infos[a] = {};
    }
    this.agents = this.agents.filter((a) => !terminations[a] && !truncations[a]);
    return { observations, rewards, terminations, truncations, infos, events };
  }

  state(): { positions: PerAgent<number> } {
    return { positions: { ...this.positions } };
  }

  defaultAction(): number {
    return NOOP;
  }

  episodeMetrics(): Readonly<Record<string, number>> {
    return { success: this.reached === this.possibleAgents.length ? 1 : 0, reached: this.reached };
  }

  close(): void {
    this.closed = true;
  }

  private observe(a: AgentId): Int32Array {
    return Int32Array.of(this.positions[a] as number, this.maxSteps - this.t);
  }
}
