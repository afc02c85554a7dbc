import type { WorldEvent } from '../../core/events.js';
import type { AgentId, ParallelEnv, PerAgent } from '../../core/parallel-env.js';
import type { WorldView, WorldViewAdapter } from '../../core/world-view.js';
import type { ClientCommand, ClockState, Legend, ReplayInfo } from '../protocol.js';
import { AgentMinds } from '../server/agent-minds.js';
import type { AgentMind } from '../server/agent-minds.js';
import type { PictureSource, ViewerRoom } from '../server/viewer-room.js';
import type { Replay, ReplayEpisode } from './replay-file.js';
import { stateHash } from './replay-recorder.js';

export interface ReplaySourceOptions<State> {
  readonly replay: Replay;
  /** A fresh world built as the run's was (same world, variant, agents, params). */
  readonly env: ParallelEnv<unknown, unknown, never, State>;
  readonly adapter: WorldViewAdapter<State>;
  readonly run?: Readonly<Record<string, unknown>>;
  /** Playback speed at start, steps per second (default 10). */
  readonly stepsPerSecond?: number;
}

/** Playback ticks per second at most; faster speeds take several steps per tick. */
const TICKS_PER_SECOND = 30;

/**
 * A recorded run as a room's picture: the world re-simulated from the episode's seed and the recorded actions (the
 * world is deterministic by seed and actions), checked against the recorded state hashes on the way, and the
 * knowledge graph rebuilt from the recorded batches up to the shown step. Play, pause, step, speed, reset and seek
 * to any run step.
 */
export class ReplaySource<State> implements PictureSource {
  readonly mode = 'replay' as const;
  readonly legend: Legend;
  readonly seed: number;
  readonly run: Readonly<Record<string, unknown>>;
  readonly minds: AgentMinds;
  private readonly rec: Replay;
  private readonly env: ParallelEnv<unknown, unknown, never, State>;
  /** Run steps shown (the world is after this many recorded steps). */
  private position = 0;
  private episodeIndex = -1;
  private stepInEpisode = 0;
  /** Graph batches applied (a prefix of `replay.graph`). */
  private graphApplied = 0;
  private playing = false;
  private speed: number;
  private changeCount = 0;
  private timer: NodeJS.Timeout | null = null;
  private owed = 0;
  /** Set when a recorded hash does not match the re-simulated state. */
  diverged: string | null = null;

  constructor(private readonly o: ReplaySourceOptions<State>, private readonly room: ViewerRoom) {
    this.rec = o.replay;
    this.env = o.env;
    this.seed = o.replay.seed;
    this.run = o.run ?? {};
    this.speed = o.stepsPerSecond ?? 10;
    if (o.replay.episodes.length === 0) throw new Error('replay: no episode recorded');
    this.enterEpisode(0);
    this.legend = o.adapter.legend(this.env.state()) as Legend;
    this.minds = new AgentMinds(this.env.possibleAgents, this.legend.actions);
    this.applyGraph();
  }

  /** The episode holding run step `total` (at an episode's last step, that episode). */
  private episodeAt(total: number): number {
    const eps = this.rec.episodes;
    for (let i = 0; i < eps.length; i++) if (total <= eps[i]!.startTotal + eps[i]!.actions.length) return i;
    return eps.length - 1;
  }

  private enterEpisode(i: number): void {
    const ep = this.rec.episodes[i]!;
    this.env.reset({ seed: ep.seed });
    this.episodeIndex = i;
    this.stepInEpisode = 0;
    this.position = ep.startTotal;
    this.minds?.onEvent({ type: 'episodeStart', data: { seed: ep.seed, agents: this.env.agents }, episode: ep.episode, step: 0, totalSteps: ep.startTotal } as WorldEvent);
  }

  /** One recorded step forward; events go to the room's log when `live`. */
  private stepOnce(live: boolean): void {
    let ep: ReplayEpisode = this.rec.episodes[this.episodeIndex]!;
    if (this.stepInEpisode >= ep.actions.length) {
      if (this.episodeIndex + 1 >= this.rec.episodes.length) return;
      this.enterEpisode(this.episodeIndex + 1);
      ep = this.rec.episodes[this.episodeIndex]!;
      if (ep.actions.length === 0) return;
    }
    const recorded = ep.actions[this.stepInEpisode]!;
    const actions: PerAgent<unknown> = {};
    const agents = this.rec.agents;
    for (let i = 0; i < agents.length; i++) if (recorded[i] !== null && recorded[i] !== undefined) actions[agents[i]!] = recorded[i];
    const result = this.env.step(actions as never);
    this.stepInEpisode++;
    this.position++;
    this.minds.onStep(actions, result.rewards);
    const key = this.rec.keyframes.get(this.position);
    if (key !== undefined && this.diverged === null && stateHash(this.env.state()) !== key) {
      this.diverged = `the replayed world differs from the recording at run step ${this.position} (was the world's code or rules changed?)`;
      this.push(live, 'error', { message: this.diverged });
    }
    if (live && result.events) for (const e of result.events) this.push(true, e.type, e.data);
  }

  private push(live: boolean, type: string, data: unknown): void {
    if (!live) return;
    const ep = this.rec.episodes[this.episodeIndex]!;
    this.room.pushEvent({ type, data, episode: ep.episode, step: this.stepInEpisode, totalSteps: this.position } as WorldEvent);
  }

  private applyGraph(): void {
    const g = this.rec.graph;
    while (this.graphApplied < g.length && g[this.graphApplied]!.total <= this.position) {
      const delta = this.room.graph.apply(g[this.graphApplied]!.batch, g[this.graphApplied]!.total);
      this.minds.onGraphNodes(delta.nodes);
      this.graphApplied++;
    }
  }

  /** Shows the world after `total` run steps (clamped to the recording). */
  seek(total: number): void {
    const target = Math.max(0, Math.min(Math.floor(total), this.rec.totalSteps));
    const i = this.episodeAt(target);
    if (i !== this.episodeIndex || target < this.position) this.enterEpisode(i);
    while (this.position < target) this.stepOnce(false);
    if (this.rec.graph[this.graphApplied - 1] && this.rec.graph[this.graphApplied - 1]!.total > this.position) {
      this.room.graph.clear();
      this.minds.clearGoals();
      this.graphApplied = 0;
    }
    this.applyGraph();
    this.changeCount++;
    this.room.restart();
  }

  private play(): void {
    this.playing = true;
    this.timer ??= setInterval(() => this.tickPlayback(), 1000 / TICKS_PER_SECOND);
    this.timer.unref();
  }

  private pause(): void {
    this.playing = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.owed = 0;
  }

  private tickPlayback(): void {
    this.owed += this.speed / TICKS_PER_SECOND;
    while (this.owed >= 1 && this.position < this.rec.totalSteps) {
      this.owed--;
      this.stepOnce(true);
      this.changeCount++;
    }
    this.applyGraph();
    if (this.position >= this.rec.totalSteps) this.pause();
  }

  changes(): number {
    return this.changeCount;
  }

  totalSteps(): number {
    return this.position;
  }

  view(): WorldView {
    return this.o.adapter.view(this.env.state());
  }

  mind(agent: AgentId): AgentMind {
    return this.minds.mind(agent);
  }

  clock(): ClockState {
    const ep = this.rec.episodes[this.episodeIndex]!;
    return { paused: !this.playing, stepsPerSecond: this.speed, running: this.position < this.rec.totalSteps, episode: ep.episode, step: this.stepInEpisode, totalSteps: this.position };
  }

  replay(): ReplayInfo {
    return {
      totalSteps: this.rec.totalSteps,
      episodes: this.rec.episodes.map((e) => ({ episode: e.episode, seed: e.seed, startTotal: e.startTotal, length: e.actions.length })),
      position: this.position, playing: this.playing, stepsPerSecond: this.speed,
    };
  }

  sample(): Record<string, number> {
    let team = 0;
    for (const a of this.env.possibleAgents) team += this.minds.mind(a).reward.returnExtrinsic;
    const world = this.env.episodeMetrics?.() ?? {};
    return { teamReward: team, ...(world.achievements !== undefined && { achievements: world.achievements }) };
  }

  command(cmd: ClientCommand): void {
    switch (cmd.type) {
      case 'follow':
        if (cmd.agent !== null && !this.env.possibleAgents.includes(cmd.agent)) throw new Error(`follow: unknown agent "${cmd.agent}"`);
        return;
      case 'act':
        throw new Error('act: a replay plays what was recorded');
      case 'pause':
        this.pause();
        break;
      case 'resume':
        if (this.position >= this.rec.totalSteps) throw new Error('resume: the replay is at its end (seek back first)');
        this.play();
        break;
      case 'step':
        if (this.playing) return;
        this.stepOnce(true);
        this.applyGraph();
        break;
      case 'speed':
        this.speed = cmd.stepsPerSecond;
        break;
      case 'reset':
        this.seek(0);
        break;
      case 'seek':
        this.seek(cmd.step);
        break;
    }
    this.changeCount++;
  }

  close(): void {
    this.pause();
  }
}
