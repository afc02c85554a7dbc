/** The default store: a graphology multi directed graph in process, saved to and loaded from a JSON file. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import graphology from 'graphology';
import { z } from 'zod';
import {
  byId, checkProps, NODE_LABELS, EDGE_TYPES,
  type EdgeRecord, type EdgeType, type GraphStore, type Neighbor, type NodeLabel, type NodeRecord, type Props, type WriteBatch,
} from './graph-store.js';

type NodeAttrs = { label: NodeLabel; props: Props };
type EdgeAttrs = { type: EdgeType; props: Props };
// graphology ships CommonJS with a default export class; the instance type comes from its declarations.
const { MultiDirectedGraph } = graphology;
type Graph = InstanceType<typeof MultiDirectedGraph<NodeAttrs, EdgeAttrs>>;

const FILE_VERSION = 1;
const primitive = z.union([z.string(), z.number(), z.boolean()]);
const fileSchema = z.strictObject({
  format: z.literal('canopy-kg'),
  version: z.literal(FILE_VERSION),
  nodes: z.array(z.strictObject({ id: z.string(), label: z.enum(NODE_LABELS), props: z.record(z.string(), primitive) })),
  edges: z.array(z.strictObject({
    id: z.string(), type: z.enum(EDGE_TYPES), from: z.string(), to: z.string(), props: z.record(z.string(), primitive),
  })),
});

export class GraphologyStore implements GraphStore {
  readonly kind = 'graphology' as const;
  private readonly g: Graph = new MultiDirectedGraph<NodeAttrs, EdgeAttrs>();

  async init(): Promise<void> {}

  async write(batch: WriteBatch): Promise<void> {
    // Check everything first so that a bad batch changes nothing (as a failed Neo4j transaction would).
    for (const n of batch.nodes) checkProps(`node ${n.id}`, n.props);
    for (const e of batch.edges) checkProps(`edge ${e.id}`, e.props);
    for (const n of batch.nodes) {
      const old = this.g.hasNode(n.id) ? this.g.getNodeAttributes(n.id) : undefined;
      if (old && old.label !== n.label) throw new Error(`node ${n.id}: label ${n.label} differs from stored ${old.label}`);
      this.g.mergeNode(n.id, { label: n.label, props: { ...(old?.props ?? {}), ...n.props } });
    }
    for (const e of batch.edges) {
      for (const end of [e.from, e.to]) if (!this.g.hasNode(end)) throw new Error(`edge ${e.id}: endpoint ${end} does not exist`);
      const old = this.g.hasEdge(e.id) ? this.g.getEdgeAttributes(e.id) : undefined;
      this.g.mergeEdgeWithKey(e.id, e.from, e.to, { type: e.type, props: { ...(old?.props ?? {}), ...e.props } });
    }
  }

  private node(id: string): NodeRecord {
    const a = this.g.getNodeAttributes(id);
    return { id, label: a.label, props: { ...a.props } };
  }

  private edge(id: string): EdgeRecord {
    const a = this.g.getEdgeAttributes(id);
    return { id, type: a.type, from: this.g.source(id), to: this.g.target(id), props: { ...a.props } };
  }

  async getNode(id: string): Promise<NodeRecord | undefined> {
    return this.g.hasNode(id) ? this.node(id) : undefined;
  }

  async findNodes(label: NodeLabel, match: Props = {}): Promise<NodeRecord[]> {
    const keys = Object.keys(match);
    const out: NodeRecord[] = [];
    this.g.forEachNode((id, a) => {
      if (a.label === label && keys.every((k) => a.props[k] === match[k])) out.push(this.node(id));
    });
    return out.sort(byId);
  }

  async neighbors(id: string, type: EdgeType, dir: 'out' | 'in'): Promise<Neighbor[]> {
    if (!this.g.hasNode(id)) return [];
    const ids = dir === 'out' ? this.g.outEdges(id) : this.g.inEdges(id);
    return ids
      .filter((e) => this.g.getEdgeAttribute(e, 'type') === type)
      .sort()
      .map((e) => ({ edge: this.edge(e), node: this.node(dir === 'out' ? this.g.target(e) : this.g.source(e)) }));
  }

  async edgesOfType(type: EdgeType): Promise<EdgeRecord[]> {
    return this.g.filterEdges((_e, a) => a.type === type).sort().map((e) => this.edge(e));
  }

  async counts(): Promise<{ nodes: number; edges: number }> {
    return { nodes: this.g.order, edges: this.g.size };
  }

  async dump(): Promise<{ nodes: NodeRecord[]; edges: EdgeRecord[] }> {
    return { nodes: this.g.nodes().map((n) => this.node(n)).sort(byId), edges: this.g.edges().map((e) => this.edge(e)).sort(byId) };
  }

  async clear(): Promise<void> {
    this.g.clear();
  }

  async close(): Promise<void> {}

  /** Writes the graph as JSON (`format: canopy-kg`). */
  async save(file: string): Promise<void> {
    const d = await this.dump();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ format: 'canopy-kg', version: FILE_VERSION, ...d }));
  }

  /** Reads a file written by `save`; errors name the file and what was expected. */
  static load(file: string): GraphologyStore {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: cannot read a knowledge graph (${(err as Error).message})`);
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new Error(`${file}: ${i ? `${i.path.join('.')}: ${i.message}` : 'invalid'} (expected a canopy-kg v${FILE_VERSION} file)`);
    }
    const s = new GraphologyStore();
    for (const n of parsed.data.nodes) s.g.addNode(n.id, { label: n.label, props: n.props });
    for (const e of parsed.data.edges) s.g.addEdgeWithKey(e.id, e.from, e.to, { type: e.type, props: e.props });
    return s;
  }
}
