import { performance as nodePerformance } from 'node:perf_hooks';
import type { WorldView } from '../../core/world-view.js';
import type { WorldEvent } from '../../core/events.js';
import { LIMITS, encodeFrameBody, packCells } from '../protocol.js';
import type { AgentPatch, AgentView, ClientCommand, ClockState, EventView, Frame, FrameBody, Legend, MetricPoint, ReplayInfo, Snapshot } from '../protocol.js';
import type { AgentMind } from './agent-minds.js';
import { encodeDelta, GraphMirror } from './graph-mirror.js';

/** What a room shows: a live simulation or a replay. */
export interface PictureSource {
  readonly mode: 'live' | 'replay';
  readonly legend: Legend;
  readonly seed: number;
  readonly run: Readonly<Record<string, unknown>>;
  /** Grows whenever anything the picture shows may have changed (a step, a clock change, a seek). */
  changes(): number;
  /** Run steps so far (frames come every `everySteps` of them at most). */
  totalSteps(): number;
  view(): WorldView;
  mind(agent: string): AgentMind;
  clock(): ClockState;
  replay(): ReplayInfo | null;
  /** Per-frame plot values (team reward, achievements, ...). */
  sample(): Record<string, number>;
  /** Applies a validated command; throws an Error whose message goes back to the client. */
  command(cmd: ClientCommand): void;
  /** Called before each tick's work: a source may catch up on what it put off (and restart the room). */
  prepare?(): void;
}

/** A picture of the source at one frame: the world view plus each agent's full view, with JSON keys to compare. */
interface Picture {
  readonly seq: number;
  readonly view: WorldView;
  readonly agents: readonly AgentView[];
  /** Per agent, each field's JSON, to send only the fields that changed. */
  readonly agentKeys: readonly Readonly<Record<string, string>>[];
  readonly clock: ClockState;
  readonly replay: ReplayInfo | null;
  /** The cells packed (`packCells`), made once for every viewer that needs the whole map; null when they do not fit. */
  packed?: string | null;
}

/** A frame for one viewer, and its body's wire bytes: encoded once for every viewer that gets the same body. */
export interface OutgoingFrame {
  /** The frame as this viewer gets it (`skipped` is its own). */
  readonly frame: Frame;
  /** The body ({@link encodeFrameBody}): encoded at the first call, then the same bytes for every viewer sharing it. */
  bytes(): Uint8Array;
}

/** A frame body built for one (picture, base, streams' positions) and what it moves a viewer's positions to. */
interface SharedFrame {
  readonly body: FrameBody;
  bytes?: Uint8Array;
  readonly eventVersion: number;
  readonly metricVersion: number;
  readonly graphVersion: number;
}

/** A connected viewer's position in the room's streams. */
export interface RoomClient {
  /** Sends a frame; `done` must be called once the client acked it (or gave up). */
  sendFrame(frame: OutgoingFrame, done: () => void): void;
  sendSnapshot(snapshot: Snapshot): void;
  base: Picture | null;
  graphVersion: number;
  eventVersion: number;
  metricVersion: number;
  inFlight: boolean;
  skipped: number;
  needSnapshot: boolean;
  /** When this client last got graph changes (the room's clock, ms). */
  graphAt?: number;
  /** The agents of this client's snapshot, in order: graph nodes name their agent by index into it. */
  graphAgents?: readonly string[];
}

/** Versioned ring of recent items: a fixed circular buffer (a push is a store, nothing to copy or collect). */
class Ring<T> {
  private readonly items: (T | undefined)[];
  version = 0;
  constructor(private readonly size: number) {
    this.items = new Array<T | undefined>(size);
  }
  push(item: T): void {
    this.items[this.version % this.size] = item;
    this.version++;
  }
  /** Items after `version`, oldest first, and how many of those the ring no longer holds. */
  since(version: number): { items: T[]; lost: number } {
    const n = this.version - version;
    if (n <= 0) return { items: [], lost: 0 };
    const kept = Math.min(n, this.size, this.version);
    const items: T[] = [];
    for (let v = this.version - kept; v < this.version; v++) {
      const item = this.items[v % this.size];
      if (item !== undefined) items.push(item); // cleared (a replay seek)
    }
    return { items, lost: n - kept };
  }
  recent(n: number): T[] {
    return this.since(Math.max(0, this.version - n)).items;
  }
  clear(): void {
    this.items.fill(undefined);
    this.version = Math.ceil(this.version / this.size) * this.size;
  }
}

/** An event as the log shows it (`step` events are not kept: their actions and rewards are in the agents' views). */
export function eventView(e: WorldEvent): EventView {
  return { type: e.type, episode: e.episode, step: e.step, totalSteps: e.totalSteps, data: e.data };
}

export interface RoomOptions {
  /** Frames per second at most (default 15). */
  readonly maxFps?: number;
  /** Steps between frames at least, while the clock is running (default 1). */
  readonly everySteps?: number;
  /**
   * Graph changes go out once per period of this many ms (default 500): a team's graph grows by every cell its agents
   * see, and a graph panel gains nothing from redrawing 15 times a second. Frames in between carry no graph. The
   * periods are the same for every viewer, so viewers that keep up get the same frames (built and encoded once).
   */
  readonly graphEveryMs?: number;
  /**
   * The share of wall-clock time the room's frame work (capture, diffs, encoding, socket writes) may take on the
   * simulation's thread (default 0.02): after a tick that took `d` ms, of which `w` handing frames to the sockets,
   * the next one waits until `(d + w) / cpuShare` ms have passed since it began, but only while the thread is
   * saturated (see `busy`). The `w` counted twice stands for the socket work that follows a write on the same thread
   * (its completion, the viewer's ack): a CPU profile with 5 viewers put that at about the writes' own time. A fast
   * lockstep run with many viewers gets fewer frames a second instead of slowing down; a paced run has idle time to
   * spare and keeps its rate. 1 turns the budget off.
   */
  readonly cpuShare?: number;
  /** Clock in ms (default `performance.now`); tests pass their own. */
  readonly now?: () => number;
  /**
   * Whether the thread had no idle time since the last call (default: the event loop's utilization since then is
   * over 90%, as lockstep runs keep it). Tests pass their own.
   */
  readonly busy?: () => boolean;
}

/**
 * One simulation's viewers: holds the last picture, the graph mirror, recent events and metrics, and on each tick
 * sends every viewer that acked its last frame one frame with what changed since the picture it has. A viewer
 * still busy with a frame is skipped (it catches up with one frame from its own base later): the simulation
 * never waits for a viewer.
 */
export class ViewerRoom {
  readonly graph = new GraphMirror();
  /** Recent events as the kernel gave them (made JSON-ready only when a frame takes them). */
  readonly events = new Ring<WorldEvent>(LIMITS.snapshotEvents * 2);
  readonly metrics = new Ring<MetricPoint>(LIMITS.metricPoints);
  private readonly clients = new Set<RoomClient>();
  private picture: Picture | null = null;
  private seq = 0;
  /** Sequence of snapshots and frames sent (one counter for all viewers, so each viewer sees it grow). */
  private wireSeq = 0;
  private lastChanges = -1;
  private lastTotal = -1;
  private lastGraph = 0;
  private lastEvents = 0;
  private timer: NodeJS.Timeout | null = null;
  /** This tick's frame bodies by what they depend on: viewers at the same base share one (diffs and encoding once). */
  private readonly shared = new Map<string, SharedFrame>();
  readonly everySteps: number;
  readonly maxFps: number;
  readonly graphEveryMs: number;
  readonly cpuShare: number;
  private readonly now: () => number;
  private readonly busy: () => boolean;
  /** No tick does work before this time (the work budget, see `RoomOptions.cpuShare`). */
  private restUntil = -Infinity;
  /** Time this tick spent handing frames to the sockets. */
  private sendMs = 0;
  /** Pictures captured (for the benchmark). */
  framesBuilt = 0;
  /** Frame bodies built; fewer than frames sent when viewers share them (for tests and the benchmark). */
  bodiesBuilt = 0;
  /** Ticks left out to keep the room's work within its share (for the benchmark). */
  ticksRested = 0;

  readonly source: PictureSource;

  /** `source` is built with the room, so that it can push events and graph changes into it. */
  constructor(readonly id: string, source: (room: ViewerRoom) => PictureSource, options: RoomOptions = {}) {
    this.source = source(this);
    this.maxFps = options.maxFps ?? 15;
    this.everySteps = options.everySteps ?? 1;
    this.graphEveryMs = options.graphEveryMs ?? 500;
    this.cpuShare = options.cpuShare ?? 0.02;
    if (!(this.cpuShare > 0 && this.cpuShare <= 1)) throw new Error(`viewer room: cpuShare must be in (0, 1], got ${this.cpuShare}`);
    this.now = options.now ?? (() => performance.now());
    this.busy = options.busy ?? loopSaturation(0.9);
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), 1000 / this.maxFps);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  add(client: RoomClient): void {
    this.clients.add(client);
    client.needSnapshot = true;
    this.flush(client);
  }

  remove(client: RoomClient): void {
    this.clients.delete(client);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Viewers whose last frame is not acked yet. */
  get inFlight(): number {
    let n = 0;
    for (const c of this.clients) if (c.inFlight) n++;
    return n;
  }

  /** The picture changed wholesale (a replay seek): every viewer gets a snapshot. */
  restart(): void {
    for (const c of this.clients) c.needSnapshot = true;
    this.events.clear();
    this.picture = null;
    this.lastChanges = -1;
  }

  pushEvent(e: WorldEvent): void {
    if (e.type !== 'step') this.events.push(e);
  }

  /** Builds a new picture when something changed and sends whoever is ready. Called by the timer; tests call it too. */
  tick(force = false): void {
    if (this.clients.size === 0) return;
    const start = this.now();
    if (!force && start < this.restUntil) {
      this.ticksRested++;
      return;
    }
    const saturated = this.busy();
    this.work(force);
    // Socket work goes on after the tick (write completions, the viewers' acks): counted as much again as the sends.
    const took = this.now() - start + this.sendMs;
    this.sendMs = 0;
    this.restUntil = saturated && this.cpuShare < 1 ? start + took / this.cpuShare : -Infinity;
  }

  private work(force: boolean): void {
    this.shared.clear();
    this.source.prepare?.();
    const changes = this.source.changes();
    const total = this.source.totalSteps();
    const graphMoved = this.graph.version !== this.lastGraph || this.events.version !== this.lastEvents;
    // Steps show every `everySteps`; anything else (clock, seek, a new episode's restart) at once.
    const moved = changes !== this.lastChanges && (total - this.lastTotal >= this.everySteps || total <= this.lastTotal);
    // Nobody can take a frame now (all busy with the last one): skip the capture, it would only be thrown away.
    let ready = false;
    for (const c of this.clients) if (!c.inFlight) ready = true;
    if (!ready && !force) {
      if (moved) for (const c of this.clients) c.skipped++;
      return;
    }
    if (force || !this.picture || moved || graphMoved) {
      this.capture(changes, total);
      for (const c of this.clients) if (c.inFlight) c.skipped++;
    }
    for (const c of this.clients) this.flush(c);
  }

  private capture(changes: number, total: number): void {
    const view = this.source.view();
    const agents: AgentView[] = view.agents.map((b) => ({
      id: b.id, x: b.x, y: b.y, facing: [b.facing[0], b.facing[1]], alive: b.alive, inventory: { ...b.inventory },
      achievements: [...b.achievements], flags: { ...b.flags }, ...this.source.mind(b.id),
    }));
    const picture: Picture = {
      seq: ++this.seq, view, agents, agentKeys: agents.map(fieldKeys),
      clock: this.source.clock(), replay: this.source.replay(),
    };
    this.picture = picture;
    if (total !== this.lastTotal) this.metrics.push({ totalSteps: total, episode: picture.clock.episode, values: this.source.sample() });
    this.lastChanges = changes;
    this.lastTotal = total;
    this.lastGraph = this.graph.version;
    this.lastEvents = this.events.version;
    this.framesBuilt++;
  }

  private flush(c: RoomClient): void {
    if (c.inFlight) return;
    if (!this.picture) this.capture(this.source.changes(), this.source.totalSteps());
    const p = this.picture!;
    if (c.needSnapshot) {
      c.needSnapshot = false;
      c.sendSnapshot(this.snapshot(c, p));
      return;
    }
    const graphDue = c.graphVersion !== this.graph.version && this.now() - (c.graphAt ?? 0) >= this.graphEveryMs;
    if (c.base === p && !graphDue && c.eventVersion === this.events.version) return;
    const out = this.frame(c, p);
    if (!out) {
      c.sendSnapshot(this.snapshot(c, p));
      return;
    }
    c.inFlight = true;
    c.skipped = 0;
    const sending = this.now();
    c.sendFrame(out, () => {
      c.inFlight = false;
    });
    this.sendMs += this.now() - sending;
  }

  private snapshot(c: RoomClient, p: Picture): Snapshot {
    c.base = p;
    c.graphVersion = this.graph.version;
    c.eventVersion = this.events.version;
    c.metricVersion = this.metrics.version;
    c.skipped = 0;
    c.graphAgents = p.agents.map((a) => a.id);
    const s = this.source;
    return {
      seq: ++this.wireSeq, seed: s.seed, run: { ...s.run }, legend: s.legend, cells: [...p.view.cells], entities: [...p.view.entities],
      agents: [...p.agents], daylight: p.view.daylight, worldStep: p.view.step, graph: this.graph.snapshot(LIMITS.snapshotGraphNodes, c.graphAgents),
      events: this.events.recent(LIMITS.snapshotEvents).map(eventView), metrics: this.metrics.recent(LIMITS.metricPoints), clock: p.clock, replay: p.replay,
    };
  }

  /** What changed between the client's base and `p`, or null when it is too far behind for a diff. */
  private frame(c: RoomClient, p: Picture): OutgoingFrame | null {
    const base = c.base;
    if (!base || base.view.cells.length !== p.view.cells.length) return null;
    const now = this.now();
    const graphDue = now - (c.graphAt ?? 0) >= this.graphEveryMs;
    const key = `${p.seq}/${base.seq}/${c.eventVersion}/${c.metricVersion}/${graphDue ? c.graphVersion : -1}/${(c.graphAgents ?? []).join('\n')}`;
    let s = this.shared.get(key);
    if (!s) {
      const built = this.body(c, base, p, graphDue);
      if (!built) return null;
      s = built;
      this.shared.set(key, s);
    }
    c.base = p;
    c.eventVersion = s.eventVersion;
    c.metricVersion = s.metricVersion;
    if (graphDue) {
      c.graphVersion = s.graphVersion;
      // The start of the current period: every viewer's next graph comes in the same tick.
      c.graphAt = this.graphEveryMs > 0 ? now - (now % this.graphEveryMs) : now;
    }
    const shared = s;
    return { frame: { ...shared.body, skipped: c.skipped }, bytes: () => (shared.bytes ??= encodeFrameBody(shared.body)) };
  }

  /** The body of a frame from `base` to `p` for a viewer at `c`'s positions; null when the graph is too far behind. */
  private body(c: RoomClient, base: Picture, p: Picture, graphDue: boolean): SharedFrame | null {
    const graphVersion = this.graph.version;
    const changed = graphDue ? this.graph.since(c.graphVersion) : { nodes: [], edges: [], invalidated: [] };
    if (!changed) return null;
    const graph = encodeDelta(changed, c.graphAgents ?? []);
    let cells: number[] = [];
    const a = base.view.cells;
    const b = p.view.cells;
    for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) cells.push(i, b[i]!);
    // Pairs cost ~9 bytes a changed cell, the packed map ~1.4 a cell: past a sixth of the map, send it whole.
    const whole = cells.length * 3 > b.length;
    if (whole && p.packed === undefined) p.packed = packCells(b); // once per picture for every viewer, even when null
    const allCells = whole ? (p.packed ?? null) : null;
    if (allCells !== null) cells = [];
    const agents: AgentPatch[] = [];
    p.agents.forEach((agent, i) => {
      const now = p.agentKeys[i]!;
      const was = base.agentKeys[i];
      if (!was) return agents.push(agent);
      let patch: Record<string, unknown> | null = null;
      for (const k of Object.keys(now)) {
        if (now[k] !== was[k]) (patch ??= { id: agent.id })[k] = agent[k as keyof AgentView];
      }
      if (patch) agents.push(patch as AgentPatch);
    });
    const ev = this.events.since(c.eventVersion);
    const events = ev.items.slice(-LIMITS.eventsPerFrame).map(eventView);
    const metrics = this.metrics.since(c.metricVersion).items;
    this.bodiesBuilt++;
    return {
      eventVersion: this.events.version, metricVersion: this.metrics.version, graphVersion,
      body: {
        seq: ++this.wireSeq, cells, ...(allCells !== null && { allCells }), ...(!sameNumbers(base.view.entities, p.view.entities) && { entities: [...p.view.entities] }), agents,
        daylight: p.view.daylight, worldStep: p.view.step, graph, events, droppedEvents: ev.lost + ev.items.length - events.length,
        metrics, clock: p.clock, replay: p.replay,
      },
    };
  }
}

/** True when the event loop was busy more than `threshold` of the time since the previous call. */
function loopSaturation(threshold: number): () => boolean {
  let last = nodePerformance.eventLoopUtilization();
  return () => {
    const now = nodePerformance.eventLoopUtilization();
    const busy = nodePerformance.eventLoopUtilization(now, last).utilization > threshold;
    last = now;
    return busy;
  };
}

function fieldKeys(a: AgentView): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) out[k] = JSON.stringify(v);
  return out;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
