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

/**
 * Most nodes drawn at once. Past it the oldest facts leave the picture (goals and agents always stay): a force
 * layout of tens of thousands of nodes on the page's main thread froze it for seconds on a loaded machine, and a
 * graph that size is a blob anyway. The level and agent filters bring any part back into view.
 */
export const DRAW_CAP = 3000;

/** What a person reads on the node: the server's short name, cut to fit. */
function displayLabel(n: GraphNode): string {
  const name = n.attributes.name || n.key.split(/[:/]/).pop() || n.key;
  return name.length > 28 ? `${name.slice(0, 27)}…` : name;
}

interface Stored { node: GraphNode; x: number; y: number }

/** Goals and agents are few and the point of the panel: they are never evicted. */
function pinned(s: Stored): boolean {
  return s.node.attributes.level === 'goals' || s.node.attributes.level === 'agents';
}

export interface Neighbour { readonly edge: GraphEdge; readonly other: GraphNode; readonly out: boolean }

export class GraphPanel {
  private readonly nodes = new Map<string, Stored>();
  private readonly edges = new Map<string, GraphEdge>();
  /** Last known place of every node ever drawn: a new snapshot (a replay seek) puts known nodes back where they were. */
  private readonly places = new Map<string, { x: number; y: number }>();
  /** Drawn keys in the order they were drawn, and how far eviction has got through them. */
  private drawnQueue: string[] = [];
  private evictAt = 0;
  /** Edge keys by endpoint, so a node's edges are found without scanning them all. */
  private readonly edgesByNode = new Map<string, string[]>();
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
    this.edgesByNode.clear();
    this.drawnQueue = [];
    this.evictAt = 0;
    this.drawn.clear();
    this.select(undefined);
    this.onCounts(0, 0);
  }

  /** Upsert nodes and edges (attributes merged) and mark invalidated nodes; edges wait for both endpoints. */
  apply(nodes: readonly GraphNode[], edges: readonly GraphEdge[], invalidated: readonly string[] = []): void {
    if (nodes.length === 0 && edges.length === 0 && invalidated.length === 0) return;
    for (const e of edges) {
      if (!this.edges.has(e.key)) for (const k of [e.source, e.target]) this.edgesOf(k).push(e.key);
      this.edges.set(e.key, e);
    }
    const touched = new Set<string>();
    for (const n of nodes) {
      touched.add(n.key);
      const had = this.nodes.get(n.key);
      if (had) { had.node = { key: n.key, attributes: { ...had.node.attributes, ...n.attributes } }; continue; }
      const at = this.places.get(n.key) ?? this.placeNear(n.key);
      this.nodes.set(n.key, { node: n, ...at });
    }
    for (const key of invalidated) {
      const s = this.nodes.get(key);
      if (!s) continue;
      s.node = { key, attributes: { ...s.node.attributes, valid: false } };
      touched.add(key);
    }
    // Only what changed goes to sigma: touching every node each frame made it re-process the whole graph.
    const g = this.drawn;
    if (touched.size > DRAW_CAP) this.sync(); // a snapshot: choose what to draw once, not node by node
    else {
      for (const key of touched) this.syncNode(key);
      for (const e of edges) this.drawEdge(e);
    }
    this.onCounts(g.order, this.nodes.size);
    this.scheduleLayout();
    if (this.selected !== undefined && touched.has(this.selected)) this.select(this.selected);
  }

  private edgesOf(key: string): string[] {
    let list = this.edgesByNode.get(key);
    if (!list) this.edgesByNode.set(key, (list = []));
    return list;
  }

  /** A new node starts next to a drawn neighbour if it has one, else on a widening golden-angle spiral. */
  private placeNear(key: string): { x: number; y: number } {
    let near: Stored | undefined;
    for (const ek of this.edgesByNode.get(key) ?? []) {
      const e = this.edges.get(ek);
      near = e && this.nodes.get(e.source === key ? e.target : e.source);
      if (near) break;
    }
    const a = (this.nodes.size * 2.399963) % (2 * Math.PI);
    const r = near ? 1 : 10 + Math.sqrt(this.nodes.size);
    return { x: (near?.x ?? 0) + r * Math.cos(a), y: (near?.y ?? 0) + r * Math.sin(a) };
  }

  /** Draws, updates or hides one node as the filters say; a node that appears brings its waiting edges. */
  private syncNode(key: string): void {
    const g = this.drawn;
    const s = this.nodes.get(key);
    const shown = g.hasNode(key);
    if (!s || !this.visible(s)) {
      if (shown) g.dropNode(key);
      return;
    }
    if (shown) {
      g.mergeNodeAttributes(key, this.attrs(s));
      return;
    }
    if (g.order >= DRAW_CAP && !pinned(s)) this.evictOldest();
    g.addNode(key, { ...this.attrs(s), x: s.x, y: s.y });
    this.drawnQueue.push(key);
    for (const ek of this.edgesByNode.get(key) ?? []) {
      const e = this.edges.get(ek);
      if (e) this.drawEdge(e);
    }
  }

  /** Drops the oldest drawn node that is not pinned (goals, agents stay). */
  private evictOldest(): void {
    const g = this.drawn;
    while (this.evictAt < this.drawnQueue.length) {
      const key = this.drawnQueue[this.evictAt++]!;
      const s = this.nodes.get(key);
      if (g.hasNode(key) && !(s && pinned(s))) {
        g.dropNode(key);
        break;
      }
    }
    if (this.evictAt > 4 * DRAW_CAP) {
      this.drawnQueue = this.drawnQueue.slice(this.evictAt).filter((k) => g.hasNode(k));
      this.evictAt = 0;
    }
  }

  private drawEdge(e: GraphEdge): void {
    const g = this.drawn;
    if (g.hasEdge(e.key) || !g.hasNode(e.source) || !g.hasNode(e.target)) return;
    g.addDirectedEdgeWithKey(e.key, e.source, e.target, { color: '#3a4456', size: 1, label: e.attributes.type });
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

  /** Makes the whole drawn graph match the model under the filters (after a filter change). */
  private sync(): void {
    const g = this.drawn;
    // The newest visible nodes up to the cap (pinned ones always), drawn oldest first so eviction order holds.
    const visible = [...this.nodes.values()].filter((n) => this.visible(n));
    const keep = new Set(visible.filter(pinned).map((n) => n.node.key));
    const rest = visible.filter((n) => !pinned(n)).sort((a, b) => b.node.attributes.step - a.node.attributes.step);
    for (const n of rest.slice(0, Math.max(0, DRAW_CAP - keep.size))) keep.add(n.node.key);
    for (const id of g.nodes()) if (!keep.has(id)) g.dropNode(id);
    const order = [...keep].map((k) => this.nodes.get(k)!).sort((a, b) => a.node.attributes.step - b.node.attributes.step);
    this.drawnQueue = [];
    this.evictAt = 0;
    for (const n of order) {
      if (g.hasNode(n.node.key)) g.mergeNodeAttributes(n.node.key, this.attrs(n));
      else g.addNode(n.node.key, { ...this.attrs(n), x: n.x, y: n.y });
      this.drawnQueue.push(n.node.key);
    }
    for (const e of this.edges.values()) this.drawEdge(e);
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
      forceAtlas2.assign(g, { iterations: g.order > 3000 ? 2 : g.order > 1000 ? 5 : 25, settings });
      g.forEachNode((id, attrs) => {
        const s = this.nodes.get(id);
        if (!s) return;
        s.x = attrs.x as number;
        s.y = attrs.y as number;
        this.places.set(id, { x: s.x, y: s.y });
      });
    }, this.drawn.order > 3000 ? 3000 : 500);
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
    for (const ek of this.edgesByNode.get(key!) ?? []) {
      const e = this.edges.get(ek);
      const other = e && this.nodes.get(e.source === key ? e.target : e.source);
      if (e && other) neighbours.push({ edge: e, other: other.node, out: e.source === key });
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
