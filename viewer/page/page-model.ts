/**
 * What the page knows of the simulation: the last snapshot with every frame since applied on top. Pure data (no
 * DOM), so the rules for applying the protocol live in one place: cells are `[index, value]` pairs, `entities`
 * replaces the list when present, `agents` replaces those agents, events and metric points append (capped).
 */
import { ENTITY_FIELDS } from '../../core/world-view.js';
import type { AgentView, ClockState, EventView, Frame, Legend, MetricPoint, ReplayInfo, Snapshot } from '../protocol.js';
import type { MapObject } from './world-view.js';

/** Events the log keeps (older ones scroll away). */
export const EVENT_CAP = 300;
/** Metric points the plots keep. */
export const METRIC_CAP = 600;

/** Distinct, readable-on-dark colours for agents, by index in the snapshot's agent list. */
const AGENT_COLORS = ['#4f9cf7', '#f7a24f', '#b57cf2', '#f25f8b', '#46d3c0', '#e8e05a', '#8bd35b', '#f27c5f'];

export class PageModel {
  legend: Legend | undefined;
  seed = 0;
  run: Readonly<Record<string, unknown>> = {};
  cells: number[] = [];
  entities: number[] = [];
  readonly agents = new Map<string, AgentView>();
  daylight = 1;
  worldStep = 0;
  events: EventView[] = [];
  metrics: MetricPoint[] = [];
  clock: ClockState | undefined;
  replay: ReplayInfo | null = null;
  seq = -1;
  /** Frames the server skipped for this tab (it was slow), and events it left out: shown, never hidden. */
  skippedFrames = 0;
  droppedEvents = 0;
  private readonly agentIndex = new Map<string, number>();

  applySnapshot(s: Snapshot): void {
    this.legend = s.legend;
    this.seed = s.seed;
    this.run = s.run;
    this.cells = [...s.cells];
    this.entities = [...s.entities];
    this.agents.clear();
    for (const a of s.agents) {
      this.agents.set(a.id, a);
      if (!this.agentIndex.has(a.id)) this.agentIndex.set(a.id, this.agentIndex.size);
    }
    this.daylight = s.daylight;
    this.worldStep = s.worldStep;
    this.events = s.events.slice(-EVENT_CAP);
    this.metrics = s.metrics.slice(-METRIC_CAP);
    this.clock = s.clock;
    this.replay = s.replay;
    this.seq = s.seq;
  }

  /** Applies a frame; returns false (and changes nothing) for a stale one (seq not after the current). */
  applyFrame(f: Frame): boolean {
    if (f.seq <= this.seq) return false;
    this.seq = f.seq;
    for (let i = 0; i + 1 < f.cells.length; i += 2) this.cells[f.cells[i]!] = f.cells[i + 1]!;
    if (f.entities) this.entities = [...f.entities];
    for (const a of f.agents) {
      this.agents.set(a.id, a);
      if (!this.agentIndex.has(a.id)) this.agentIndex.set(a.id, this.agentIndex.size);
    }
    this.daylight = f.daylight;
    this.worldStep = f.worldStep;
    if (f.events.length) this.events = this.events.concat(f.events).slice(-EVENT_CAP);
    if (f.metrics.length) this.metrics = this.metrics.concat(f.metrics).slice(-METRIC_CAP);
    this.clock = f.clock;
    this.replay = f.replay;
    this.skippedFrames += f.skipped;
    this.droppedEvents += f.droppedEvents;
    return true;
  }

  colorOf(agent: string): string {
    const i = this.agentIndex.get(agent) ?? 0;
    return AGENT_COLORS[i % AGENT_COLORS.length]!;
  }

  /** Everything on the map as the world canvas draws it: entities first, live agents on top. */
  objects(): MapObject[] {
    const out: MapObject[] = [];
    const kinds = this.legend?.entityKinds ?? [];
    for (let i = 0; i + ENTITY_FIELDS <= this.entities.length; i += ENTITY_FIELDS) {
      const kind = kinds[this.entities[i]!];
      out.push({ kind: kind?.name ?? 'unknown', color: kind?.color ?? '#ccc', pos: [this.entities[i + 1]!, this.entities[i + 2]!] });
    }
    for (const a of this.agents.values()) {
      if (!a.alive) continue;
      out.push({ kind: 'player', agent: a.id, pos: [a.x, a.y], facing: a.facing, sleeping: a.flags.sleeping === true });
    }
    return out;
  }

  /** A series of one metric over run steps, for the plots. */
  series(name: string): [number, number][] {
    const out: [number, number][] = [];
    for (const m of this.metrics) {
      const v = m.values[name];
      if (v !== undefined && Number.isFinite(v)) out.push([m.totalSteps, v]);
    }
    return out;
  }
}
