/// <reference lib="dom" />
/**
 * The knowledge graph panel: sigma.js drawing a graphology graph, growing live as the server sends additions and
 * invalidations, filterable by level and by agent, with a click showing a node's facts.
 *
 * The page keeps every node it was sent in `nodes`; the graph sigma draws holds only those passing the filters,
 * so a filter change is a rebuild of the drawn graph (positions are kept in the model, so nothing jumps).
 */
import { MultiDirectedGraph } from 'graphology';
import fa2Module from 'graphology-layout-forceatlas2';
import Sigma, { DEFAULT_STYLES } from 'sigma';
import type { GraphEdge, GraphLevel, GraphNode } from '../protocol.js';

// The package is CommonJS typed as `export default`: NodeNext types see `{ default }`, esbuild hands over the function.
type ForceAtlas2 = typeof fa2Module.default;
const forceAtlas2: ForceAtlas2 = (fa2Module as unknown as { default?: ForceAtlas2 }).default ?? (fa2Module as unknown as ForceAtlas2);

/** Levels with a filter toggle, in the order the panel lists them; `agents` (the Agent nodes) are always drawn. */
export const LEVELS = ['goals', 'episodic', 'spatial', 'semantic'] as const satisfies readonly GraphLevel[];
export type Level = (typeof LEVELS)[number];

export const LEVEL_COLORS: Readonly<Record<GraphLevel, string>> = {
  goals: '#f2b134', episodic: '#e06c75', spatial: '#61afef', semantic: '#98c379', agents: '#ffffff',
};

/** What a person reads on the node: the server's short name, cut to fit. */
function displayLabel(n: GraphNode): string {
  const name = n.attributes.name || n.key.split(/[:/]/).pop() || n.key;
  return name.length > 28 ? `${name.slice(0, 27)}…` : name;
}

interface Stored { node: GraphNode; x: number; y: number }

export interface Neighbour { readonly edge: GraphEdge; readonly other: GraphNode; readonly out: boolean }

export class GraphPanel {
  private readonly nodes = new Map<string, Stored>();
  private readonly edges = new Map<string, GraphEdge>();
  /** Last known place of every node ever drawn: a new snapshot (a replay seek) puts known nodes back where they were. */
  private readonly places = new Map<string, { x: number; y: number }>();
  private readonly drawn = new MultiDirectedGraph();
  private readonly sigma: Sigma;
  private levels = new Set<GraphLevel>([...LEVELS, 'agents']);
  private agent: string | undefined;
  private layoutTimer: number | undefined;
  private selected: string | undefined;
  /** Colour of an agent's node (the page's agent palette). */
  colorOf: (agent: string) => string = () => '#ccc';
  onSelect: (node: GraphNode | undefined, neighbours: readonly Neighbour[]) => void = () => {};
  onCounts: (shown: number, total: number) => void = () => {};

  constructor(readonly container: HTMLElement) {
    this.sigma = new Sigma(this.drawn, container, {
      settings: { allowInvalidContainer: true, labelRenderedSizeThreshold: 5, labelDensity: 0.6, hideEdgesOnMove: true },
      // sigma takes `styles.nodes` whole: start from its defaults (attribute bindings) and restyle labels for the dark panel.
      styles: { nodes: { ...DEFAULT_STYLES.nodes, labelColor: '#d8dee9', backdropColor: '#1b2230' }, edges: DEFAULT_STYLES.edges },
    });
    this.sigma.on('clickNode', ({ node }: { node: string }) => this.select(node));
    this.sigma.on('clickStage', () => this.select(undefined));
  }

  /** Nodes currently drawn (after filters). */
  get shownCount(): number {
    return this.drawn.order;
  }
  get totalCount(): number {
    return this.nodes.size;
  }

  /** Drop everything (a new snapshot: episode reset, replay seek). */
  clear(): void {
    this.nodes.clear();
    this.edges.clear();
    this.drawn.clear();
    this.select(undefined);
    this.onCounts(0, 0);
  }

  /** Upsert nodes and edges (attributes merged) and mark invalidated nodes; edges wait for both endpoints. */
  apply(nodes: readonly GraphNode[], edges: readonly GraphEdge[], invalidated: readonly string[] = []): void {
    if (nodes.length === 0 && edges.length === 0 && invalidated.length === 0) return;
    for (const n of nodes) {
      const had = this.nodes.get(n.key);
      if (had) { had.node = { key: n.key, attributes: { ...had.node.attributes, ...n.attributes } }; continue; }
      const known = this.places.get(n.key);
      if (known) { this.nodes.set(n.key, { node: n, ...known }); continue; }
      const near = this.anchorFor(n.key, edges);
      const a = (this.nodes.size * 2.399963) % (2 * Math.PI); // golden angle: new nodes spread, never stack
      const r = near ? 1 : 10 + Math.sqrt(this.nodes.size);
      this.nodes.set(n.key, { node: n, x: (near?.x ?? 0) + r * Math.cos(a), y: (near?.y ?? 0) + r * Math.sin(a) });
    }
    for (const e of edges) this.edges.set(e.key, e);
    for (const key of invalidated) {
      const s = this.nodes.get(key);
      if (s) s.node = { key, attributes: { ...s.node.attributes, valid: false } };
    }
    this.sync();
    this.scheduleLayout();
    if (this.selected !== undefined) this.select(this.selected);
  }

  setFilter(levels: Iterable<Level>, agent: string | undefined): void {
    this.levels = new Set<GraphLevel>([...levels, 'agents']);
    this.agent = agent;
    this.sync();
    this.scheduleLayout();
  }

  private visible(s: Stored): boolean {
    const a = s.node.attributes;
    if (!this.levels.has(a.level)) return false;
    // Public facts (rules) have no owner: they are everyone's and stay in view under an agent filter.
    return this.agent === undefined || a.agent === null || a.agent === this.agent;
  }

  private anchorFor(key: string, edges: readonly GraphEdge[]): Stored | undefined {
    for (const e of edges) {
      const other = e.source === key ? e.target : e.target === key ? e.source : undefined;
      const s = other !== undefined ? this.nodes.get(other) : undefined;
      if (s) return s;
    }
    return undefined;
  }

  /** Make the drawn graph match the model under the filters. */
  private sync(): void {
    const g = this.drawn;
    for (const id of g.nodes()) {
      const s = this.nodes.get(id);
      if (!s || !this.visible(s)) g.dropNode(id);
    }
    for (const [id, s] of this.nodes) {
      if (!this.visible(s)) continue;
      const attrs = this.attrs(s);
      if (g.hasNode(id)) g.mergeNodeAttributes(id, attrs);
      else g.addNode(id, { ...attrs, x: s.x, y: s.y });
    }
    for (const [id, e] of this.edges) {
      if (g.hasEdge(id) || !g.hasNode(e.source) || !g.hasNode(e.target)) continue;
      g.addDirectedEdgeWithKey(id, e.source, e.target, { color: '#3a4456', size: 1, label: e.attributes.type });
    }
    this.onCounts(g.order, this.nodes.size);
  }

  private attrs(s: Stored): Record<string, unknown> {
    const a = s.node.attributes;
    const isAgent = a.level === 'agents';
    let color = isAgent ? this.colorOf(a.agent ?? a.name) : LEVEL_COLORS[a.level];
    if (!a.valid) color = '#4a5263';
    if (this.selected === s.node.key) color = '#ffffff';
    const size = isAgent ? 12 : a.level === 'goals' ? 7 : 5;
    return { label: displayLabel(s.node), color, size };
  }

  /** A few ForceAtlas2 iterations after changes, at most twice a second, so a busy run never floods the tab. */
  private scheduleLayout(): void {
    if (this.layoutTimer !== undefined) return;
    this.layoutTimer = window.setTimeout(() => {
      this.layoutTimer = undefined;
      const g = this.drawn;
      if (g.order < 2) return;
      const settings = { ...forceAtlas2.inferSettings(g), barnesHutOptimize: g.order > 400, slowDown: 4 };
      forceAtlas2.assign(g, { iterations: g.order > 1500 ? 5 : 25, settings });
      g.forEachNode((id, attrs) => {
        const s = this.nodes.get(id);
        if (!s) return;
        s.x = attrs.x as number;
        s.y = attrs.y as number;
        this.places.set(id, { x: s.x, y: s.y });
      });
    }, 500);
  }

  private select(key: string | undefined): void {
    const prev = this.selected;
    this.selected = key;
    for (const k of [prev, key]) {
      const s = k !== undefined ? this.nodes.get(k) : undefined;
      if (s && this.drawn.hasNode(s.node.key)) this.drawn.mergeNodeAttributes(s.node.key, this.attrs(s));
    }
    const s = key !== undefined ? this.nodes.get(key) : undefined;
    if (!s) { this.onSelect(undefined, []); return; }
    const neighbours: Neighbour[] = [];
    for (const e of this.edges.values()) {
      if (e.source !== key && e.target !== key) continue;
      const other = this.nodes.get(e.source === key ? e.target : e.source);
      if (other) neighbours.push({ edge: e, other: other.node, out: e.source === key });
    }
    this.onSelect(s.node, neighbours);
  }

  /** Where a drawn node is on screen, in CSS pixels from the panel's top left (undefined when filtered out). */
  positionOf(key: string): { x: number; y: number } | undefined {
    if (!this.drawn.hasNode(key)) return undefined;
    const a = this.drawn.getNodeAttributes(key);
    return this.sigma.graphToViewport({ x: a.x as number, y: a.y as number });
  }

  /** Keys of the drawn nodes, in insertion order. */
  shownKeys(): string[] {
    return this.drawn.nodes();
  }

  /** The label drawn for a node, for the facts panel. */
  static label(n: GraphNode): string {
    return displayLabel(n);
  }
}
