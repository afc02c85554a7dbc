import type { EdgeRecord, NodeRecord, Primitive, WriteBatch } from '../../memory/graph-store.js';
import { encodeEdge, encodeNode, graphLevel } from '../protocol.js';
import type { GraphDelta, GraphEdge, GraphNode, WireEdge, WireNode } from '../protocol.js';

/** A node as the server keeps it: what the page gets, plus the stored facts (sent only when asked, `nodeFacts`). */
export interface MirrorNode extends GraphNode {
  readonly attributes: GraphNode['attributes'] & { readonly props: Readonly<Record<string, Primitive>> };
}
/** An edge as the server keeps it: what the page gets, plus who wrote it, when, and its stored facts. */
export interface MirrorEdge extends GraphEdge {
  readonly attributes: GraphEdge['attributes'] & { readonly agent: string | null; readonly step: number; readonly props: Readonly<Record<string, Primitive>> };
}

/** Changes as the mirror finds them (full records); {@link encodeDelta} makes them wire tuples. */
export interface MirrorDelta {
  readonly nodes: MirrorNode[];
  readonly edges: MirrorEdge[];
  readonly invalidated: string[];
}

/** A delta for the wire, agents as indices into `agents` (the snapshot's order). */
export function encodeDelta(d: MirrorDelta, agents: readonly string[]): GraphDelta {
  return { nodes: d.nodes.map((n) => encodeNode(n, agents)), edges: d.edges.map(encodeEdge), invalidated: d.invalidated };
}

type Change = { readonly kind: 'node' | 'edge' | 'invalid'; readonly key: string };

/**
 * Properties whose change alone is not news: a fact seen again only refreshes them. Such an upsert updates the mirror
 * (a snapshot shows it) without going out in frames, which would otherwise repeat every known place each step.
 */
const BOOKKEEPING = new Set(['step', 'count', 'statusStep', 'seq']);

function newsIn(old: Readonly<Record<string, Primitive>>, next: Readonly<Record<string, Primitive>>): boolean {
  for (const k of Object.keys(next)) if (!BOOKKEEPING.has(k) && old[k] !== next[k]) return true;
  return false;
}

const EMPTY: MirrorDelta = Object.freeze({ nodes: [], edges: [], invalidated: [] }) as unknown as MirrorDelta;

/** Log entries kept for catching up slow sockets; one further behind gets a snapshot. */
const LOG_LIMIT = 100_000;

const agentOf = (p: Readonly<Record<string, Primitive>>, label: string): string | null => {
  const a = label === 'Agent' ? p.name : (p.agent ?? p.observer);
  return typeof a === 'string' && a !== '' && a !== 'rules' ? a : null;
};
const nameOf = (id: string, p: Readonly<Record<string, Primitive>>): string => {
  const n = p.name ?? p.text ?? p.what;
  return typeof n === 'string' && n !== '' ? n : id;
};

/**
 * The viewer's copy of the knowledge graph, in graphology's serialised form, built from the store's write batches
 * (see {@link tapStore}). Upserts merge properties as the stores do. Every change gets a version, so a socket that
 * last saw version v gets exactly what changed after v.
 */
export class GraphMirror {
  readonly nodes = new Map<string, MirrorNode>();
  readonly edges = new Map<string, MirrorEdge>();
  private log: Change[] = [];
  /** Version of `log[0]`. */
  private logStart = 1;
  /** Version of the last change (0: none). */
  version = 0;

  /** Applies one store batch seen at run step `step`; returns what changed, as a delta. */
  apply(batch: WriteBatch, step: number): MirrorDelta {
    const delta: MirrorDelta = { nodes: [], edges: [], invalidated: [] };
    for (const n of batch.nodes) {
      const old = this.nodes.get(n.id);
      const news = !old || newsIn(old.attributes.props, n.props);
      const node = this.upsertNode(n, step, news);
      if (news) delta.nodes.push(node);
      if (n.props.valid === false && (old?.attributes.valid ?? true)) {
        delta.invalidated.push(n.id);
        this.push({ kind: 'invalid', key: n.id });
      }
    }
    for (const e of batch.edges) {
      const old = this.edges.get(e.id);
      const news = !old || newsIn(old.attributes.props, e.props);
      const edge = this.upsertEdge(e, step, news);
      if (news) delta.edges.push(edge);
    }
    return delta;
  }

  private upsertNode(n: NodeRecord, step: number, news: boolean): MirrorNode {
    const old = this.nodes.get(n.id);
    const props = old ? { ...old.attributes.props, ...n.props } : { ...n.props };
    const label = old?.attributes.label ?? n.label;
    const node: MirrorNode = {
      key: n.id,
      attributes: {
        label, level: graphLevel(label), agent: agentOf(props, label), step: old?.attributes.step ?? step,
        valid: props.valid !== false, name: nameOf(n.id, props), props,
      },
    };
    this.nodes.set(n.id, node);
    if (news) this.push({ kind: 'node', key: n.id });
    return node;
  }

  private upsertEdge(e: EdgeRecord, step: number, news: boolean): MirrorEdge {
    const old = this.edges.get(e.id);
    const props = old ? { ...old.attributes.props, ...e.props } : { ...e.props };
    const observer = props.observer;
    const edge: MirrorEdge = {
      key: e.id, source: e.from, target: e.to,
      attributes: { type: e.type, agent: typeof observer === 'string' && observer !== '' && observer !== 'rules' ? observer : null, step: old?.attributes.step ?? step, props },
    };
    this.edges.set(e.id, edge);
    if (news) this.push({ kind: 'edge', key: e.id });
    return edge;
  }

  private push(c: Change): void {
    this.log.push(c);
    this.version++;
    if (this.log.length > LOG_LIMIT * 2) {
      const drop = this.log.length - LOG_LIMIT;
      this.log = this.log.slice(drop);
      this.logStart += drop;
    }
  }

  /** What changed after `version` (each node and edge once, as it is now), or null when the log no longer reaches back. */
  since(version: number): MirrorDelta | null {
    if (version >= this.version) return EMPTY;
    if (version + 1 < this.logStart) return null;
    const nodes = new Set<string>();
    const edges = new Set<string>();
    const invalidated = new Set<string>();
    for (let i = version + 1 - this.logStart; i < this.log.length; i++) {
      const c = this.log[i]!;
      if (c.kind === 'node') nodes.add(c.key);
      else if (c.kind === 'edge') edges.add(c.key);
      else invalidated.add(c.key);
    }
    return {
      nodes: [...nodes].map((k) => this.nodes.get(k)!),
      edges: [...edges].map((k) => this.edges.get(k)!),
      invalidated: [...invalidated],
    };
  }

  /**
   * The graph for a snapshot: every goal and agent node, then the newest others up to `maxNodes` in all, with the
   * edges between them, as wire tuples; `omitted` counts the nodes left out.
   */
  snapshot(maxNodes: number, agents: readonly string[]): { nodes: WireNode[]; edges: WireEdge[]; omitted: number } {
    let nodes: MirrorNode[] = [...this.nodes.values()];
    let keep: Set<string> | null = null;
    if (nodes.length > maxNodes) {
      const pinned = nodes.filter((n) => n.attributes.level === 'goals' || n.attributes.level === 'agents');
      const rest = nodes.filter((n) => n.attributes.level !== 'goals' && n.attributes.level !== 'agents');
      // Newest last in insertion order; a stable sort by first-seen step keeps that order among equals.
      rest.sort((a, b) => a.attributes.step - b.attributes.step);
      nodes = [...pinned, ...rest.slice(Math.max(0, rest.length - Math.max(0, maxNodes - pinned.length)))];
      keep = new Set(nodes.map((n) => n.key));
    }
    const edges: WireEdge[] = [];
    for (const e of this.edges.values()) if (!keep || (keep.has(e.source) && keep.has(e.target))) edges.push(encodeEdge(e));
    return { nodes: nodes.map((n) => encodeNode(n, agents)), edges, omitted: this.nodes.size - nodes.length };
  }

  /** A node's stored facts (null: no such node), for a `nodeFacts` request. */
  facts(key: string): Readonly<Record<string, Primitive>> | null {
    return this.nodes.get(key)?.attributes.props ?? null;
  }

  /** Forgets everything (a replay seeking backwards rebuilds from its recorded batches). */
  clear(): void {
    this.nodes.clear();
    this.edges.clear();
    this.logStart += this.log.length;
    this.log = [];
  }
}
