/**
 * The Neo4j store over Bolt (`neo4j-driver`). Every node carries the label `KG`, a `graph` name (several graphs can
 * share one database) and `uid` = graph + id, unique by constraint. Writes are `UNWIND` batches, one transaction per
 * batch; every value is a query parameter. Labels and relationship types are never parameters in Cypher, so they
 * come only from the fixed lists in graph-store.ts.
 */
import { createHash } from 'node:crypto';
import neo4j, { Neo4jError, type Driver, type Node as NeoNode, type Relationship } from 'neo4j-driver';
import {
  byId, checkProps, EDGE_TYPES, NODE_LABELS, RESERVED_PROPS,
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
  /** Give up connecting after this many ms (default 5000); the write queue retries. */
  connectionTimeoutMs?: number;
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
    // No retries inside the driver: the knowledge graph's write queue retries with its own backoff and reports it.
    this.driver = neo4j.driver(opts.uri, auth, {
      disableLosslessIntegers: true, maxTransactionRetryTime: 0, connectionTimeout: opts.connectionTimeoutMs ?? 5000,
      connectionAcquisitionTimeout: opts.connectionTimeoutMs ?? 5000, logging: { level: 'error', logger: () => {} },
    });
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
    if (!batch.fresh || batch.fresh.size === 0) return this.writeOnce(batch, undefined);
    try {
      await this.writeOnce(batch, batch.fresh);
    } catch (err) {
      // A node hinted fresh exists after all (another writer, or a replay of a batch that had committed): the
      // transaction rolled back as a whole, so the same batch as upserts only gives the result MERGE would have.
      if (!(err instanceof Neo4jError && err.code === CONSTRAINT_FAILED)) throw err;
      await this.writeOnce(batch, undefined);
    }
  }

  /**
   * One transaction. Nodes in `fresh` are CREATEd (the uniqueness constraint on uid still refuses a duplicate, which
   * rolls everything back), and so are the edges that touch one of them: no edge can already end at a node this very
   * transaction creates. Everything else is MERGEd on uid. CREATE skips MERGE's lock-and-look (for an edge, an
   * expand over the endpoint's relationships of that type).
   */
  private async writeOnce(batch: WriteBatch, fresh: ReadonlySet<string> | undefined): Promise<void> {
    const isFresh = (id: string) => fresh !== undefined && fresh.has(id);
    const nodeGroups = groupByShape(batch.nodes, 'node', (n) => `${isFresh(n.id) ? '+' : ''}${label(n.label)}`);
    const edgeGroups = groupByShape(batch.edges, 'edge', (e) => `${isFresh(e.from) || isFresh(e.to) ? '+' : ''}${relType(e.type)}`);
    // One statement per group of one label (or type), one write mode and one set of property names, nodes first,
    // pipelined in one transaction. The text of a statement depends only on its group's shape (parameter names carry
    // no batch-position prefix), so the server plans and compiles each shape once and then hits its plan cache: a
    // text that varied with the batch's mix of groups (one statement of CALL subqueries per batch, or
    // position-numbered parameters) made the server re-plan nearly every batch, and that planning plus the JIT
    // compiling the generated code took about half of the server's CPU on a 6-agent run.
    const parts: { text: string; params: Record<string, unknown>; count?: { type: string; n: number } }[] = [];
    for (const grp of nodeGroups) {
      const params: Record<string, unknown> = { graph: this.graph };
      const set = columns(grp.keys, grp.rows, 'n', params);
      params.uid = grp.rows.map((n) => this.uid(n.id));
      params.id = grp.rows.map((n) => n.id);
      const create = grp.kind.startsWith('+');
      const l = create ? grp.kind.slice(1) : grp.kind;
      parts.push({ params, text: create
        ? `UNWIND range(0, size($uid) - 1) AS i CREATE (n:KG:${l} {uid: $uid[i], id: $id[i], graph: $graph}) ${set}`
        : `UNWIND range(0, size($uid) - 1) AS i MERGE (n:KG:${l} {uid: $uid[i]}) ON CREATE SET n.id = $id[i], n.graph = $graph ${set}` });
    }
    for (const grp of edgeGroups) {
      const params: Record<string, unknown> = { graph: this.graph };
      const set = columns(grp.keys, grp.rows, 'r', params);
      params.uid = grp.rows.map((e) => this.uid(e.id));
      params.id = grp.rows.map((e) => e.id);
      params.from = grp.rows.map((e) => this.uid(e.from));
      params.to = grp.rows.map((e) => this.uid(e.to));
      const create = grp.kind.startsWith('+');
      const t = create ? grp.kind.slice(1) : grp.kind;
      const write = create
        ? `CREATE (a)-[r:${t} {uid: $uid[i], id: $id[i], graph: $graph}]->(b) ${set}`
        : `MERGE (a)-[r:${t} {uid: $uid[i]}]->(b) ON CREATE SET r.id = $id[i], r.graph = $graph ${set}`;
      parts.push({ params, count: { type: t, n: grp.rows.length }, text: `UNWIND range(0, size($uid) - 1) AS i
        MATCH (a:KG {uid: $from[i]}) MATCH (b:KG {uid: $to[i]}) ${write} RETURN count(r) AS c` });
    }
    if (parts.length === 0) return;
    const s = this.session('WRITE');
    try {
      await s.executeWrite(async (tx) => {
        const results = await Promise.all(parts.map((p) => tx.run(WRITE_OPTIONS + p.text, p.params)));
        parts.forEach((p, i) => {
          if (!p.count) return;
          const got = results[i]?.records[0]?.get('c') as number | undefined;
          if (got !== p.count.n) throw new Error(`${p.count.type}: ${p.count.n - (got ?? 0)} edge(s) have a missing endpoint`);
        });
      });
    } finally {
      await s.close();
    }
  }

  /** True for failures that a retry of the same batch can cure: server gone, connection lost, transient errors. */
  isTransient(err: unknown): boolean {
    if (err instanceof Neo4jError && (neo4j.isRetryableError(err) || TRANSIENT_CODES.has(err.code))) return true;
    const code = (err as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' && (TRANSIENT_CODES.has(code) || code.startsWith('Neo.TransientError.'));
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

const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'ServiceUnavailable', 'SessionExpired', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT',
  'Neo.ClientError.Cluster.NotALeader', 'Neo.ClientError.General.ForbiddenOnReadOnlyDatabase', 'Neo.TransientError.General.DatabaseUnavailable',
]);

/**
 * Query options of every write statement. `expressionEngine=interpreted`: no second compilation of each hot statement
 * into generated bytecode (then compiled again by the JIT) for expressions that are only `$column[i]`. `replan=skip`
 * (measured with it: replay server CPU 20.2 s -> 5.5 s) is left out: with it, bench:memory stalled on a MERGE of
 * CONNECTS running 17-45 s, likely a plan made on other counts and then kept; not diagnosed in time.
 */
const WRITE_OPTIONS = 'CYPHER expressionEngine=interpreted ';
const CONSTRAINT_FAILED = 'Neo.ClientError.Schema.ConstraintValidationFailed';

/** Plain property names are written as columns (`SET n.name = $p0[i]`); anything else goes in a map column. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Properties as one parameter list per key: the driver packs a list of strings or numbers several times faster than
 * a list of maps (measured: 2000 ten-property rows, ~100 ms as maps against ~40 ms as columns), and the server
 * unpacks less. Only keys matching PLAIN_KEY are spelled in the Cypher text (they cannot quote out of it); values
 * are always parameters.
 */
function columns(keys: readonly string[], rows: readonly { props: Props }[], v: string, params: Record<string, unknown>): string {
  const sets: string[] = [];
  const odd = keys.filter((k) => !PLAIN_KEY.test(k));
  keys.filter((k) => PLAIN_KEY.test(k)).forEach((k, j) => {
    params[`p${j}`] = rows.map((r) => r.props[k]);
    sets.push(`${v}.${k} = $p${j}[i]`);
  });
  if (odd.length > 0) {
    params.m = rows.map((r) => Object.fromEntries(odd.map((k) => [k, r.props[k]])));
    sets.push(`${v} += $m[i]`);
  }
  return sets.length > 0 ? `SET ${sets.join(', ')}` : '';
}

/**
 * Records (checked) grouped by label or type (`kindOf`, which refuses unknown ones) and property names: one UNWIND
 * statement per group, in key order, so the same set of shapes gives the same text and the server reuses its plan.
 */
function groupByShape<R extends NodeRecord | EdgeRecord>(records: readonly R[], what: string, kindOf: (r: R) => string): { kind: string; keys: string[]; rows: R[] }[] {
  const groups = new Map<string, { kind: string; keys: string[]; rows: R[] }>();
  for (const r of records) {
    checkProps(`${what} ${r.id}`, r.props);
    const kind = kindOf(r);
    const keys = Object.keys(r.props);
    const k = `${kind}|${keys.join('|')}`;
    const g = groups.get(k) ?? { kind, keys, rows: [] };
    g.rows.push(r);
    groups.set(k, g);
  }
  return [...groups.keys()].sort().map((k) => groups.get(k) as { kind: string; keys: string[]; rows: R[] });
}

function strip(p: Record<string, unknown>): Props {
  const out: Record<string, Primitive> = {};
  for (const [k, v] of Object.entries(p)) if (!RESERVED_PROPS.has(k)) out[k] = v as Primitive;
  return out;
}
