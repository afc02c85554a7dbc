import { Subject } from 'rxjs';
import type { AgentRunner } from './agent-runner.js';
import type { EventBus, SimulationTime } from './event-bus.js';
import type { AgentId, AgentInfo, ParallelEnv, PerAgent, ResetResult, StepResult } from './parallel-env.js';
import type { Rng } from './rng.js';

/** One world step as `Simulation.transitions$` reports it. */
export interface StepTransition<Obs = unknown, Act = unknown, Info extends AgentInfo = AgentInfo> {
  readonly episode: number;
  /** Step within the episode after this step (1 for the first step). */
  readonly step: number;
  readonly actions: Readonly<PerAgent<Act>>;
  readonly result: StepResult<Obs, Info>;
}

/** One reset as `Simulation.resets$` reports it. */
export interface EpisodeReset<Obs = unknown, Info extends AgentInfo = AgentInfo> {
  readonly episode: number;
  /** The seed the world was reset with (drawn from the run's generator). */
  readonly seed: number;
  readonly result: ResetResult<Obs, Info>;
}

/**
 * The episode bookkeeping every clock shares: resets the world with seeds drawn from the run's generator,
 * steps it, sums returns, tracks live agents and emits the kernel events. Clocks decide *when* to step;
 * this decides nothing.
 */
export class WorldStepper<Obs, Act, Info extends AgentInfo, State> {
  /** Whether an episode is in progress (false before the first reset and after an episode ended). */
  active = false;
  /** Live agents, our own copy: never mutated, replaced when an agent leaves. */
  live: readonly AgentId[] = [];
  observations: Readonly<PerAgent<Obs>> = {};
  infos: Readonly<PerAgent<Info>> = {};
  /** Returns of the live agents, aligned with `live` (a typed array: the hot loop does one lookup per agent). */
  private liveReturns = new Float64Array(0);
  /** Returns of the agents that already left this episode. */
  private leftReturns: PerAgent<number> = {};
  readonly transitions = new Subject<StepTransition<Obs, Act, Info>>();
  readonly resets = new Subject<EpisodeReset<Obs, Info>>();

  constructor(
    readonly env: ParallelEnv<Obs, Act, Info, State>,
    readonly runner: AgentRunner<Obs, Act, Info, State>,
    private readonly rng: Rng,
    private readonly bus: EventBus,
    private readonly time: SimulationTime,
    private readonly resetOptions: Readonly<Record<string, unknown>> | undefined,
  ) {}

  /** Starts a new episode (the current one, if any, must have ended or been interrupted). */
  beginEpisode(): void {
    const seed = this.rng.seed();
    this.time.episode++;
    this.time.step = 0;
    const result = this.env.reset(this.resetOptions ? { seed, options: this.resetOptions } : { seed });
    this.live = this.env.agents.slice();
    if (this.live.length === 0) throw new Error(`${this.env.metadata.name}: reset left no live agents, so the episode could never step`);
    this.observations = result.observations;
    this.infos = result.infos;
    this.liveReturns = new Float64Array(this.live.length);
    this.leftReturns = {};
    this.active = true;
    if (this.resets.observed) this.resets.next({ episode: this.time.episode, seed, result });
    this.bus.emit('episodeStart', { seed, agents: this.live });
    for (const agent of this.live) this.bus.emit('agentAdded', { agent });
    this.runner.resetEpisode(this.live, this.rng);
  }

  /** Steps the world with one action per live agent. Returns true when the step ended the episode. */
  applyStep(actions: PerAgent<Act>): boolean {
    const before = this.live;
    const result = this.env.step(actions);
    const time = this.time;
    time.step++;
    time.totalSteps++;
    const { rewards, terminations, truncations } = result;
    const returns = this.liveReturns;
    for (let i = 0; i < before.length; i++) returns[i] = (returns[i] as number) + (rewards[before[i] as AgentId] ?? 0);
    // By contract an agent that terminated or truncated has left `env.agents`: one length check per step.
    const leaving = this.env.agents.length !== before.length;
    this.observations = result.observations;
    this.infos = result.infos;
    if (this.transitions.observed) this.transitions.next({ episode: time.episode, step: time.step, actions, result });
    const bus = this.bus;
    if (bus.observed) {
      bus.emit('step', { actions, rewards });
      if (result.events) for (const event of result.events) bus.forward(event);
    }
    if (leaving) {
      const staying: AgentId[] = [];
      const stayingReturns: number[] = [];
      for (let i = 0; i < before.length; i++) {
        const agent = before[i] as AgentId;
        const reason = terminations[agent] ? 'terminated' : truncations[agent] ? 'truncated' : null;
        if (reason === null) {
          staying.push(agent);
          stayingReturns.push(returns[i] as number);
          continue;
        }
        this.leftReturns[agent] = returns[i] as number;
        bus.emit('agentRemoved', { agent, reason });
      }
      this.live = staying;
      this.liveReturns = Float64Array.from(stayingReturns);
    }
    this.runner.observe(before, actions, result);
    if (this.live.length > 0) return false;
    this.endEpisode(false);
    return true;
  }

  /** Ends the current episode from outside the world (a `reset` command): live agents count as truncated. */
  interrupt(): void {
    if (!this.active) return;
    this.live.forEach((agent, i) => {
      this.leftReturns[agent] = this.liveReturns[i] as number;
      this.bus.emit('agentRemoved', { agent, reason: 'truncated' });
    });
    this.live = [];
    this.endEpisode(true);
  }

  private endEpisode(interrupted: boolean): void {
    this.active = false;
    const metrics = this.env.episodeMetrics?.() ?? {};
    const returns = this.returnsSoFar();
    this.bus.emit('episodeEnd', interrupted ? { length: this.time.step, returns, metrics, interrupted } : { length: this.time.step, returns, metrics });
  }

  /** Summed rewards of this episode's agents so far, by agent. */
  returnsSoFar(): PerAgent<number> {
    const out: PerAgent<number> = { ...this.leftReturns };
    this.live.forEach((agent, i) => (out[agent] = this.liveReturns[i] as number));
    return out;
  }

  complete(): void {
    this.transitions.complete();
    this.resets.complete();
  }
}
