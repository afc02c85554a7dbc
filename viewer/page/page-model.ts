/**
 * What the page knows of the simulation: the protocol's {@link ClientPicture} (snapshot plus frames, the same code
 * the protocol tests check against the world's `state()`), plus what only a page needs: agent colours, the map's
 * objects in drawing order and plot series. Pure data, no DOM.
 */
import { ENTITY_FIELDS } from '../../core/world-view.js';
import { ClientPicture } from '../client-picture.js';
import { decodeEdge, decodeNode } from '../protocol.js';
import type { AgentView, ClockState, EventView, Frame, GraphDelta, GraphEdge, GraphNode, Legend, MetricPoint, ReplayInfo, Snapshot } from '../protocol.js';
import type { MapObject } from './world-view.js';

/** Distinct, readable-on-dark colours for agents, by order of first appearance. */
const AGENT_COLORS = ['#4f9cf7', '#f7a24f', '#b57cf2', '#f25f8b', '#46d3c0', '#e8e05a', '#8bd35b', '#f27c5f'];

export class PageModel {
  private picture: ClientPicture | undefined;
  seed = 0;
  run: Readonly<Record<string, unknown>> = {};
  /** Frames the server skipped for this tab (it was slow) and events it left out: shown, never hidden. */
  skippedFrames = 0;
  droppedEvents = 0;
  private readonly agentIndex = new Map<string, number>();

  applySnapshot(s: Snapshot): void {
    this.picture = new ClientPicture(s);
    this.seed = s.seed;
    this.run = s.run;
    for (const a of s.agents) if (!this.agentIndex.has(a.id)) this.agentIndex.set(a.id, this.agentIndex.size);
  }

  /** Applies a frame; false (nothing changed) before the first snapshot or for a frame not after the current. */
  applyFrame(f: Frame): boolean {
    const p = this.picture;
    if (!p || f.seq <= p.seq) return false;
    p.apply(f);
    for (const a of f.agents) if (!this.agentIndex.has(a.id)) this.agentIndex.set(a.id, this.agentIndex.size);
    this.skippedFrames += f.skipped;
    this.droppedEvents += f.droppedEvents;
    return true;
  }

  /** Graph tuples from the wire as nodes and edges (agents by the snapshot's order). */
  decodeGraph(g: Pick<GraphDelta, 'nodes' | 'edges'>): { nodes: GraphNode[]; edges: GraphEdge[] } {
    const agents = this.picture?.graphAgents ?? [];
    return { nodes: g.nodes.map((w) => decodeNode(w, agents)), edges: g.edges.map(decodeEdge) };
  }

  /** Graph nodes the last snapshot left out (the server sends at most the page's drawing cap). */
  get graphOmitted(): number { return this.picture?.graphOmitted ?? 0; }
  get legend(): Legend | undefined { return this.picture?.legend; }
  get seq(): number { return this.picture?.seq ?? -1; }
  get cells(): readonly number[] { return this.picture?.cells ?? []; }
  get daylight(): number { return this.picture?.daylight ?? 1; }
  get worldStep(): number { return this.picture?.worldStep ?? 0; }
  get events(): readonly EventView[] { return this.picture?.events ?? []; }
  get metrics(): readonly MetricPoint[] { return this.picture?.metrics ?? []; }
  get clock(): ClockState | undefined { return this.picture?.clock; }
  get replay(): ReplayInfo | null { return this.picture?.replay ?? null; }
  get agents(): readonly AgentView[] { return this.picture?.agents ?? []; }

  agent(id: string | undefined): AgentView | undefined {
    return id === undefined ? undefined : this.agents.find((a) => a.id === id);
  }

  colorOf(agent: string): string {
    const i = this.agentIndex.get(agent) ?? 0;
    return AGENT_COLORS[i % AGENT_COLORS.length]!;
  }

  /** Everything on the map as the world canvas draws it: entities first, live agents on top. */
  objects(): MapObject[] {
    const out: MapObject[] = [];
    const p = this.picture;
    if (!p) return out;
    const kinds = p.legend.entityKinds;
    for (let i = 0; i + ENTITY_FIELDS <= p.entities.length; i += ENTITY_FIELDS) {
      const kind = kinds[p.entities[i]!];
      // An entity owned by an agent (a navigation goal) takes that agent's colour.
      const owner = p.agents[p.entities[i + 4]!];
      out.push({ kind: kind?.name ?? 'unknown', color: owner ? this.colorOf(owner.id) : kind?.color ?? '#ccc', pos: [p.entities[i + 1]!, p.entities[i + 2]!] });
    }
    for (const a of p.agents) {
      if (!a.alive) continue;
      out.push({ kind: 'player', agent: a.id, pos: [a.x, a.y], facing: a.facing, sleeping: a.flags.sleeping === true });
    }
    return out;
  }

  /** One metric over run steps, for the plots: at most `max` points, evenly thinned (the last point always kept). */
  series(name: string, max = 600): [number, number][] {
    const out: [number, number][] = [];
    const ms = this.metrics;
    const stride = Math.max(1, Math.ceil(ms.length / max));
    for (let i = (ms.length - 1) % stride; i < ms.length; i += stride) {
      const m = ms[i]!;
      const v = m.values[name];
      if (v !== undefined && Number.isFinite(v)) out.push([m.totalSteps, v]);
    }
    return out;
  }
}
