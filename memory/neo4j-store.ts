/**
 * The Neo4j store over Bolt (`neo4j-driver`). Every node carries the label `KG`, a `graph` name (several graphs can
 * share one database) and `uid` = graph + id, unique by constraint. Writes are `UNWIND` batches, one transaction per
 * batch; every value is a query parameter. Labels and relationship types are never parameters in Cypher, so they
 * come only from the fixed lists in graph-store.ts.
 */
import { createHash } from 'node:crypto';
import neo4j, { type Driver, type Node as NeoNode, type Relationship } from 'neo4j-driver';
import {
  byId, checkProps, EDGE_TYPES, NODE_LABELS,
  type EdgeRecord, type EdgeType, type GraphStore, type Neighbor, type NodeLabel, type NodeRecord, type Primitive, type Props, type WriteBatch,
} from './graph-store.js';

export interface Neo4jStoreOptions {
  /** bolt://, neo4j://, neo4j+s:// ... */
  uri: string;
  user?: string;
  password?: string;
  /** Name of this graph inside the database; default 'default'. */
  graph?: string;
  /** Database name (Community has one: 'neo4j'). */
  database?: string;
}

/** Connection settings from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, or undefined when NEO4J_URI is unset. */
export function neo4jFromEnv(env: NodeJS.ProcessEnv = process.env): Neo4jStoreOptions | undefined {
  const uri = env.NEO4J_URI;
  if (!uri) return undefined;
  return { uri, user: env.NEO4J_USER ?? 'neo4j', password: env.NEO4J_PASSWORD ?? '' };
}

const LABELS: ReadonlySet<string> = new Set(NODE_LABELS);
const TYPES: ReadonlySet<string> = new Set(EDGE_TYPES);
function label(l: string): string {
  if (!LABELS.has(l)) throw new Error(`unknown node label ${JSON.stringify(l)}`);
  return l;
}
function relType(t: string): string {
  if (!TYPES.has(t)) throw new Error(`unknown edge type ${JSON.stringify(t)}`);
  return t;
}

/**
 * Labels the knowledge graph scans, indexed by graph name. Value properties (names, texts) are not indexed: they can
 * be longer than an index entry allows, and a write must never fail on a long name.
 */
const INDEXED: readonly NodeLabel[] = ['Sighting', 'Event', 'Goal', 'Place', 'Agent'];

export class Neo4jStore implements GraphStore {
  readonly kind = 'neo4j' as const;
  readonly graph: string;
  private readonly driver: Driver;
  private readonly database: string | undefined;

  constructor(opts: Neo4jStoreOptions) {
    this.graph = opts.graph ?? 'default';
    this.database = opts.database;
    const auth = opts.user !== undefined && opts.password ? neo4j.auth.basic(opts.user, opts.password) : undefined;
    this.driver = neo4j.driver(opts.uri, auth, { disableLosslessIntegers: true, logging: { level: 'error', logger: () => {} } });
  }

  /** Indexed key: a hash, because index entries are capped at a few kB and ids may be arbitrarily long strings. */
  private uid(id: string): string {
    return createHash('sha256').update(this.graph).update('\u0000').update(id).digest('base64');
  }

  private session(mode: 'READ' | 'WRITE') {
    return this.driver.session({ defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE, ...(this.database ? { database: this.database } : {}) });
  }

  private async read<T>(cypher: string, params: Record<string, unknown>, map: (r: { get(k: string): unknown }) => T): Promise<T[]> {
    const s = this.session('READ');
    try {
      const res = await s.executeRead((tx) => tx.run(cypher, { ...params, graph: this.graph }));
      return res.records.map(map);
    } finally {
      await s.close();
    }
  }

  async init(): Promise<void> {
    await this.driver.verifyConnectivity();
    const s = this.session('WRITE');
    try {
      // Schema commands each run in their own transaction.
      await s.run('CREATE CONSTRAINT kg_uid IF NOT EXISTS FOR (n:KG) REQUIRE n.uid IS UNIQUE');
      await s.run('CREATE INDEX kg_graph IF NOT EXISTS FOR (n:KG) ON (n.graph)');
      for (const l of INDEXED) await s.run(`CREATE INDEX kg_${l.toLowerCase()}_graph IF NOT EXISTS FOR (n:${label(l)}) ON (n.graph)`);
      for (const t of EDGE_TYPES) await s.run(`CREATE INDEX kg_rel_${t.toLowerCase()} IF NOT EXISTS FOR ()-[r:${relType(t)}]-() ON (r.uid)`);
      await s.run('CALL db.awaitIndexes(60)');
    } finally {
      await s.close();
    }
  }

  async write(batch: WriteBatch): Promise<void> {
    const nodesByLabel = new Map<string, { uid: string; id: string; props: Props }[]>();
    for (const n of batch.nodes) {
      checkProps(`node ${n.id}`, n.props);
      const rows = nodesByLabel.get(label(n.label)) ?? [];
      rows.push({ uid: this.uid(n.id), id: n.id, props: n.props });
      nodesByLabel.set(n.label, rows);
    }
    const edgesByType = new Map<string, { uid: string; id: string; from: string; to: string; props: Props }[]>();
    for (const e of batch.edges) {
      checkProps(`edge ${e.id}`, e.props);
      const rows = edgesByType.get(relType(e.type)) ?? [];
      rows.push({ uid: this.uid(e.id), id: e.id, from: this.uid(e.from), to: this.uid(e.to), props: e.props });
      edgesByType.set(e.type, rows);
    }
    const s = this.session('WRITE');
    try {
      await s.executeWrite(async (tx) => {
        for (const [l, rows] of nodesByLabel) {
          await tx.run(`UNWIND $rows AS row MERGE (n:KG {uid: row.uid}) ON CREATE SET n.id = row.id, n.graph = $graph
            SET n:${l} SET n += row.props`, { rows, graph: this.graph });
        }
        for (const [t, rows] of edgesByType) {
          const res = await tx.run(`UNWIND $rows AS row MATCH (a:KG {uid: row.from}) MATCH (b:KG {uid: row.to})
            MERGE (a)-[r:${t} {uid: row.uid}]->(b) ON CREATE SET r.id = row.id, r.graph = $graph SET r += row.props
            RETURN count(r) AS n`, { rows, graph: this.graph });
          const n = res.records[0]?.get('n') as number;
          if (n !== rows.length) throw new Error(`${t}: ${rows.length - n} edge(s) have a missing endpoint`);
        }
      });
    } finally {
      await s.close();
    }
  }

  private toNode(n: NeoNode): NodeRecord {
    const l = n.labels.find((x) => x !== 'KG');
    return { id: n.properties.id as string, label: l as NodeLabel, props: strip(n.properties) };
  }

  private toEdge(r: Relationship, from: string, to: string): EdgeRecord {
    return { id: r.properties.id as string, type: r.type as EdgeType, from, to, props: strip(r.properties) };
  }

  async getNode(id: string): Promise<NodeRecord | undefined> {
    const rows = await this.read('MATCH (n:KG {uid: $uid}) RETURN n', { uid: this.uid(id) }, (r) => this.toNode(r.get('n') as NeoNode));
    return rows[0];
  }

  async findNodes(l: NodeLabel, match: Props = {}): Promise<NodeRecord[]> {
    const keys = Object.keys(match);
    // Property names and values are both parameters (dynamic access n[$k]); only the label is inlined, from the fixed list.
    const where = keys.map((k, i) => `n[$k${i}] = $v${i}`).join(' AND ');
    const params: Record<string, unknown> = {};
    keys.forEach((k, i) => { params[`k${i}`] = k; params[`v${i}`] = match[k]; });
    const rows = await this.read(`MATCH (n:${label(l)}) WHERE n.graph = $graph ${where ? `AND ${where}` : ''} RETURN n`, params,
      (r) => this.toNode(r.get('n') as NeoNode));
    return rows.sort(byId);
  }

  async neighbors(id: string, type: EdgeType, dir: 'out' | 'in'): Promise<Neighbor[]> {
    const t = relType(type);
    const pattern = dir === 'out' ? `(a:KG {uid: $uid})-[r:${t}]->(b)` : `(a:KG {uid: $uid})<-[r:${t}]-(b)`;
    const rows = await this.read(`MATCH ${pattern} RETURN r, b`, { uid: this.uid(id) }, (r) => {
      const node = this.toNode(r.get('b') as NeoNode);
      const edge = this.toEdge(r.get('r') as Relationship, dir === 'out' ? id : node.id, dir === 'out' ? node.id : id);
      return { edge, node };
    });
    return rows.sort((x, y) => byId(x.edge, y.edge));
  }

  async edgesOfType(type: EdgeType): Promise<EdgeRecord[]> {
    const rows = await this.read(`MATCH (a:KG)-[r:${relType(type)}]->(b:KG) WHERE r.graph = $graph RETURN r, a.id AS a, b.id AS b`, {},
      (r) => this.toEdge(r.get('r') as Relationship, r.get('a') as string, r.get('b') as string));
    return rows.sort(byId);
  }

  async counts(): Promise<{ nodes: number; edges: number }> {
    const [n] = await this.read('MATCH (n:KG) WHERE n.graph = $graph RETURN count(n) AS c', {}, (r) => r.get('c') as number);
    const [e] = await this.read('MATCH (:KG)-[r]->(:KG) WHERE r.graph = $graph RETURN count(r) AS c', {}, (r) => r.get('c') as number);
    return { nodes: n ?? 0, edges: e ?? 0 };
  }

  async dump(): Promise<{ nodes: NodeRecord[]; edges: EdgeRecord[] }> {
    const nodes = await this.read('MATCH (n:KG) WHERE n.graph = $graph RETURN n', {}, (r) => this.toNode(r.get('n') as NeoNode));
    const edges = await this.read('MATCH (a:KG)-[r]->(b:KG) WHERE r.graph = $graph RETURN r, a.id AS a, b.id AS b', {},
      (r) => this.toEdge(r.get('r') as Relationship, r.get('a') as string, r.get('b') as string));
    return { nodes: nodes.sort(byId), edges: edges.sort(byId) };
  }

  async clear(): Promise<void> {
    const s = this.session('WRITE');
    try {
      // Batched so a large graph does not need one huge transaction.
      await s.run('MATCH (n:KG) WHERE n.graph = $graph CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS', { graph: this.graph });
    } finally {
      await s.close();
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}

function strip(p: Record<string, unknown>): Props {
  const out: Record<string, Primitive> = {};
  for (const [k, v] of Object.entries(p)) if (k !== 'id' && k !== 'uid' && k !== 'graph') out[k] = v as Primitive;
  return out;
}
