/**
 * The storage contract under the knowledge graph: a labelled property graph with upserts in batches. Two
 * implementations answer it (graphology in process, Neo4j over Bolt); the knowledge graph's queries are written
 * once against this contract, so both stores give the same answers.
 */
import { createHash } from 'node:crypto';

/** Property values are flat primitives: what both graphology JSON and Neo4j properties hold without conversion. */
export type Primitive = string | number | boolean;
export type Props = Readonly<Record<string, Primitive>>;

export const NODE_LABELS = [
  'Agent', 'Item', 'Material', 'Station', 'Creature', 'Recipe', 'Achievement', 'Place', 'Sighting', 'Event', 'Goal',
] as const;
export type NodeLabel = (typeof NODE_LABELS)[number];

export const EDGE_TYPES = [
  'REQUIRES', 'USES_TOOL', 'PRODUCES', 'PLACES', 'NEEDS_NEARBY', 'FROM', 'UNLOCKS',
  'CONNECTS', 'KNOWS', 'SEEN_AT', 'OF', 'NEXT', 'SUBGOAL_OF',
] as const;
export type EdgeType = (typeof EDGE_TYPES)[number];

/** Property names the stores keep for themselves. */
export const RESERVED_PROPS: ReadonlySet<string> = new Set(['id', 'uid', 'graph']);

export interface NodeRecord { readonly id: string; readonly label: NodeLabel; readonly props: Props }
export interface EdgeRecord {
  readonly id: string; readonly type: EdgeType; readonly from: string; readonly to: string; readonly props: Props;
}

/**
 * One transaction's worth of writes. Nodes and edges are upserts: an existing node or edge with the same id keeps
 * the properties not named and takes the ones named. Both endpoints of every edge exist once the nodes are written.
 */
export interface WriteBatch {
  readonly nodes: readonly NodeRecord[];
  readonly edges: readonly EdgeRecord[];
  /**
   * Ids of nodes in `nodes` that the writer believes the store does not hold yet (a hint). A store may then create
   * them, and the edges of this batch that touch them, without first looking for an existing one; it must still give
   * the same result when the hint is wrong (a node that does exist: another writer, or a replayed batch that had
   * committed). Absent: every record is an upsert.
   */
  readonly fresh?: ReadonlySet<string>;
}

export interface Neighbor { readonly edge: EdgeRecord; readonly node: NodeRecord }

export interface GraphStore {
  readonly kind: 'graphology' | 'neo4j';
  /** Creates constraints and indexes (idempotent). */
  init(): Promise<void>;
  /** Applies a batch in one transaction, nodes first. */
  write(batch: WriteBatch): Promise<void>;
  getNode(id: string): Promise<NodeRecord | undefined>;
  /** Nodes with `label` whose properties equal every entry of `match`, sorted by id. */
  findNodes(label: NodeLabel, match?: Props): Promise<NodeRecord[]>;
  /** Edges of `type` with their other endpoint, `out` from or `in` to `id`, sorted by edge id. */
  neighbors(id: string, type: EdgeType, dir: 'out' | 'in'): Promise<Neighbor[]>;
  /** All edges of a type, sorted by id. */
  edgesOfType(type: EdgeType): Promise<EdgeRecord[]>;
  counts(): Promise<{ nodes: number; edges: number }>;
  /** Everything, sorted by id (for hashing, export and tests). */
  dump(): Promise<{ nodes: NodeRecord[]; edges: EdgeRecord[] }>;
  /** Removes this graph's nodes and edges (only this graph's, on a shared Neo4j). */
  clear(): Promise<void>;
  close(): Promise<void>;
  /** True when a failed write can succeed if retried unchanged (server gone, connection lost); absent means never. */
  isTransient?(err: unknown): boolean;
}

function sortedProps(p: Props): [string, Primitive][] {
  return Object.keys(p).sort().map((k) => [k, p[k] as Primitive]);
}

/** sha256 of a canonical form of the graph: the same content gives the same hash on any store. */
export function hashGraph(g: { nodes: readonly NodeRecord[]; edges: readonly EdgeRecord[] }): string {
  const h = createHash('sha256');
  const nodes = [...g.nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const edges = [...g.edges].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const n of nodes) h.update(JSON.stringify(['N', n.id, n.label, sortedProps(n.props)]) + '\n');
  for (const e of edges) h.update(JSON.stringify(['E', e.id, e.type, e.from, e.to, sortedProps(e.props)]) + '\n');
  return h.digest('hex');
}

/** Throws when a record uses a reserved property name or a non-primitive value (a programming error). */
export function checkProps(where: string, props: Props): void {
  for (const [k, v] of Object.entries(props)) {
    if (RESERVED_PROPS.has(k)) throw new Error(`${where}: property name "${k}" is reserved by the store`);
    const t = typeof v;
    if (t !== 'string' && t !== 'number' && t !== 'boolean') throw new Error(`${where}.${k}: expected string, number or boolean, got ${t}`);
    if (t === 'number' && !Number.isFinite(v)) throw new Error(`${where}.${k}: expected a finite number, got ${String(v)}`);
  }
}

export function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
