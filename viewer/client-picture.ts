/**
 * The client's side of the protocol without any drawing: a snapshot plus frames give back the world view, the
 * agents, the graph and the logs. Browser-safe; the page and the tests both use it.
 */
import type { WorldView } from '../core/world-view.js';
import { decodeEdge, decodeNode, unpackCells } from './protocol.js';
import type { AgentView, EventView, Frame, GraphEdge, GraphNode, Legend, MetricPoint, Snapshot, ClockState, ReplayInfo } from './protocol.js';

export class ClientPicture {
  legend: Legend;
  /** The run seed (a replay's episodes each have their own reset seed, in `replay.episodes`). */
  seed: number;
  seq: number;
  cells: number[];
  entities: number[];
  agents: AgentView[];
  daylight: number;
  worldStep: number;
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  events: EventView[];
  metrics: MetricPoint[];
  clock: ClockState;
  replay: ReplayInfo | null;
  /** The snapshot's agent ids: graph nodes on the wire name their agent by index into it. */
  graphAgents: readonly string[];
  /** Graph nodes the snapshot left out (see `LIMITS.snapshotGraphNodes`). */
  graphOmitted: number;
  /** Frames applied since the snapshot, and frames the server said this client skipped. */
  frames = 0;
  skipped = 0;

  constructor(s: Snapshot) {
    this.legend = s.legend;
    this.seed = s.seed;
    this.seq = s.seq;
    this.cells = [...s.cells];
    this.entities = [...s.entities];
    this.agents = [...s.agents];
    this.daylight = s.daylight;
    this.worldStep = s.worldStep;
    this.graphAgents = s.agents.map((a) => a.id);
    this.graphOmitted = s.graph.omitted;
    for (const w of s.graph.nodes) {
      const n = decodeNode(w, this.graphAgents);
      this.nodes.set(n.key, n);
    }
    for (const w of s.graph.edges) {
      const e = decodeEdge(w);
      this.edges.set(e.key, e);
    }
    this.events = [...s.events];
    this.metrics = [...s.metrics];
    this.clock = s.clock;
    this.replay = s.replay;
  }

  apply(f: Frame): void {
    if (f.seq <= this.seq) throw new Error(`frame ${f.seq} is not after ${this.seq}`);
    this.seq = f.seq;
    if (f.allCells !== undefined) this.cells = unpackCells(f.allCells, this.cells.length);
    for (let i = 0; i < f.cells.length; i += 2) this.cells[f.cells[i]!] = f.cells[i + 1]!;
    if (f.entities) this.entities = [...f.entities];
    for (const a of f.agents) {
      const i = this.agents.findIndex((b) => b.id === a.id);
      if (i >= 0) this.agents[i] = { ...this.agents[i]!, ...a };
      else this.agents.push(a as AgentView);
    }
    this.daylight = f.daylight;
    this.worldStep = f.worldStep;
    for (const w of f.graph.nodes) {
      const n = decodeNode(w, this.graphAgents);
      this.nodes.set(n.key, n);
    }
    for (const w of f.graph.edges) {
      const e = decodeEdge(w);
      this.edges.set(e.key, e);
    }
    for (const k of f.graph.invalidated) {
      const n = this.nodes.get(k);
      if (n) this.nodes.set(k, { ...n, attributes: { ...n.attributes, valid: false } });
    }
    this.events.push(...f.events);
    if (this.events.length > 1000) this.events = this.events.slice(-500);
    this.metrics.push(...f.metrics);
    if (this.metrics.length > 2000) this.metrics = this.metrics.slice(-1000);
    this.clock = f.clock;
    this.replay = f.replay;
    this.frames++;
    this.skipped += f.skipped;
  }

  /** The world view as the server's adapter made it (agents' bodies only), for `WorldViewAdapter.state`. */
  worldView(): WorldView {
    return {
      cells: this.cells, entities: this.entities, step: this.worldStep, daylight: this.daylight,
      agents: this.agents.map((a) => ({ id: a.id, x: a.x, y: a.y, facing: a.facing, alive: a.alive, inventory: a.inventory, achievements: a.achievements, flags: a.flags })),
    };
  }
}
