import type { Subscription } from 'rxjs';
import type { WriteBatch } from '../../memory/graph-store.js';
import type { ParallelEnv } from '../../core/parallel-env.js';
import type { Simulation } from '../../core/simulation.js';
import type { WorldViewAdapter, WorldView } from '../../core/world-view.js';
import type { ClientCommand, ClockState, Legend, ReplayInfo } from '../protocol.js';
import { AgentMinds } from './agent-minds.js';
import type { AgentMind } from './agent-minds.js';
import type { HumanOverride } from './human-override.js';
import type { PictureSource, ViewerRoom } from './viewer-room.js';

export interface LiveSourceOptions<State> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any world's simulation
  readonly sim: Simulation<any, any, any, State>;
  readonly adapter: WorldViewAdapter<State>;
  readonly seed: number;
  /** The run's settings (config.json), shown by the page. */
  readonly run?: Readonly<Record<string, unknown>>;
  /** Keyboard play; without it `act` commands are refused. */
  readonly human?: HumanOverride;
}

/**
 * A running simulation as a room's picture: the world's state through its view adapter, minds from the kernel's
 * events and the room's graph. Reads only; commands go through `Simulation.command` (validated again there).
 */
export class LiveSource<State> implements PictureSource {
  readonly mode = 'live' as const;
  private currentLegend: Legend;
  /**
   * A new episode began: the legend is read again before the room's next tick (or when a viewer asks for it), not at
   * each episode start, since reading it copies the world's state (lockstep runs start thousands of episodes).
   */
  private legendStale = false;
  readonly seed: number;
  readonly run: Readonly<Record<string, unknown>>;
  readonly minds: AgentMinds;
  private readonly env: ParallelEnv<unknown, unknown, never, State>;
  private readonly subs: Subscription[] = [];
  private changeCount = 0;
  private paused = false;
  private stepsPerSecond = 0;
  private readonly rate: { at: number; total: number }[] = [];

  constructor(private readonly o: LiveSourceOptions<State>, private readonly room: ViewerRoom) {
    this.env = o.sim.env as ParallelEnv<unknown, unknown, never, State>;
    this.seed = o.seed;
    this.run = o.run ?? {};
    this.currentLegend = this.readLegend();
    this.minds = new AgentMinds(this.env.possibleAgents, this.currentLegend.actions);
    this.subscribe();
  }

  /**
   * Whether the source follows the run's events (it does from the start). Paused, it costs the run nothing per step;
   * what happened meanwhile is missing from the minds and the event log (the benchmark pauses a viewer this way).
   */
  follow(on: boolean): void {
    for (const s of this.subs.splice(0)) s.unsubscribe();
    if (!on) return;
    // Episodes may have begun meanwhile: the legend is read again, and the picture counts as changed.
    this.legendStale = true;
    this.changeCount++;
    this.subscribe();
  }

  private subscribe(): void {
    this.subs.push(this.o.sim.events$.subscribe((e) => {
      this.minds.onEvent(e);
      // Before the first reset a world may be empty (navigation: 0 x 0); a new episode may bring a new map size.
      if (e.type === 'episodeStart') this.legendStale = true;
      if (e.type === 'clock') {
        this.paused = e.data.paused;
        this.stepsPerSecond = e.data.stepsPerSecond;
      }
      this.changeCount++;
      this.room.pushEvent(e);
    }));
  }

  /** The world's legend as of the current episode (a world's size and layout are known only after a reset). */
  get legend(): Legend {
    this.prepare();
    return this.currentLegend;
  }

  /** Before a tick: a new episode's legend, when it differs, restarts the room (every viewer gets a snapshot). */
  prepare(): void {
    if (!this.legendStale) return;
    this.legendStale = false;
    const legend = this.readLegend();
    if (JSON.stringify(legend) !== JSON.stringify(this.currentLegend)) {
      this.currentLegend = legend;
      this.room.restart();
    }
  }

  private readLegend(): Legend {
    return { ...this.o.adapter.legend(this.env.state()) } as Legend;
  }

  /** Takes one knowledge-graph write batch (from `tapStore`): into the room's graph, goals into the minds. */
  onGraphBatch(batch: WriteBatch): void {
    const delta = this.room.graph.apply(batch, this.o.sim.totalSteps);
    this.minds.onGraphNodes(delta.nodes);
  }

  changes(): number {
    return this.changeCount;
  }

  totalSteps(): number {
    return this.o.sim.totalSteps;
  }

  view(): WorldView {
    return this.o.adapter.view(this.env.state());
  }

  mind(agent: string): AgentMind {
    return this.minds.mind(agent);
  }

  clock(): ClockState {
    const sim = this.o.sim;
    return { paused: this.paused, stepsPerSecond: this.stepsPerSecond, running: sim.realtime, episode: sim.episode, step: sim.step, totalSteps: sim.totalSteps };
  }

  replay(): ReplayInfo | null {
    return null;
  }

  sample(): Record<string, number> {
    const now = performance.now();
    const total = this.o.sim.totalSteps;
    this.rate.push({ at: now, total });
    while (this.rate.length > 2 && now - this.rate[0]!.at > 2000) this.rate.shift();
    const first = this.rate[0]!;
    const sps = now > first.at ? ((total - first.total) * 1000) / (now - first.at) : 0;
    let team = 0;
    for (const a of this.env.possibleAgents) team += this.minds.mind(a).reward.returnExtrinsic;
    const world = this.env.episodeMetrics?.() ?? {};
    return { teamReward: team, stepsPerSecond: sps, ...(world.achievements !== undefined && { achievements: world.achievements }) };
  }

  command(cmd: ClientCommand): void {
    switch (cmd.type) {
      case 'follow':
        if (cmd.agent !== null && !this.env.possibleAgents.includes(cmd.agent)) throw new Error(`follow: unknown agent "${cmd.agent}"`);
        return;
      case 'seek':
        throw new Error('seek: only a replay can seek (canopy view RUN_DIR)');
      case 'act': {
        if (!this.o.human) throw new Error('act: keyboard play is off for this run');
        if (!this.env.possibleAgents.includes(cmd.agent)) throw new Error(`act: unknown agent "${cmd.agent}"`);
        const index = typeof cmd.action === 'number' ? cmd.action : this.legend.actions.indexOf(cmd.action);
        if (index < 0 || index >= this.legend.actions.length) throw new Error(`act: unknown action ${JSON.stringify(cmd.action)}`);
        this.o.human.queue(cmd.agent, index);
        return;
      }
      default:
        if (!this.o.sim.realtime) throw new Error(`${cmd.type}: the simulation is not running in realtime`);
        this.o.sim.command(cmd);
        this.changeCount++;
    }
  }

  close(): void {
    for (const s of this.subs) s.unsubscribe();
  }
}
