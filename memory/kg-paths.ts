/**
 * The spatial level in memory for path queries: CONNECTS and KNOWS edges read from the store in two queries, then
 * kept current by the knowledge graph's own writes, so a path query costs no round trip per place (on Neo4j it was
 * one query per settled place). Dijkstra runs here, the same code for every store, so both give the same answers.
 */
import type { EdgeRecord, GraphStore, Props } from './graph-store.js';
import { visibleTo, type Viewer } from './facts.js';

export interface PathResult {
  /** Place keys from start to goal. */
  readonly places: string[];
  readonly cost: number;
}

const key = (id: string) => id.slice('place:'.length);
const viewerKey = (v: Viewer) => `${v.agent}\u0000${v.team ?? ''}`;

/** Upsert of properties; `older` when the incoming ones predate those held. */
const merge = (held: Props, incoming: Props, older: boolean): Props => (older ? { ...incoming, ...held } : { ...held, ...incoming });

interface Link { readonly to: string; props: Props }

/** A binary min-heap of [dist, id], ties broken by the lower id so results never depend on insertion order. */
class Heap {
  private readonly a: [number, string][] = [];
  get size(): number { return this.a.length; }
  private less(i: number, j: number): boolean {
    const x = this.a[i] as [number, string], y = this.a[j] as [number, string];
    return x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]);
  }
  private swap(i: number, j: number): void { const t = this.a[i] as [number, string]; this.a[i] = this.a[j] as [number, string]; this.a[j] = t; }
  push(d: number, id: string): void {
    this.a.push([d, id]);
    for (let i = this.a.length - 1; i > 0;) { const p = (i - 1) >> 1; if (!this.less(i, p)) break; this.swap(i, p); i = p; }
  }
  pop(): [number, string] {
    const top = this.a[0] as [number, string];
    const last = this.a.pop() as [number, string];
    if (this.a.length > 0) {
      this.a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < this.a.length && this.less(l, m)) m = l;
        if (r < this.a.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

export class SpatialIndex {
  /** from place id -> edge id -> link. */
  private readonly out = new Map<string, Map<string, Link>>();
  /** place id -> KNOWS edge id -> props. */
  private readonly knows = new Map<string, Map<string, Props>>();
  /** Known-place sets per viewer, updated in place as KNOWS edges arrive. */
  private readonly memo = new Map<string, { v: Viewer; places: Set<string> }>();

  /** An empty index that takes edges now, then `load` lays the stored edges under them. */
  static create(): SpatialIndex {
    return new SpatialIndex();
  }

  /** Reads CONNECTS and KNOWS edges (two queries); edges already applied are newer and keep precedence. */
  async load(store: GraphStore): Promise<this> {
    const [connects, knows] = await Promise.all([store.edgesOfType('CONNECTS'), store.edgesOfType('KNOWS')]);
    for (const e of [...connects, ...knows]) this.apply(e, true);
    return this;
  }

  /** Applies an upsert of a CONNECTS or KNOWS edge (properties merge, as in the stores). */
  apply(e: EdgeRecord, older = false): void {
    if (e.type === 'CONNECTS') {
      const links = this.out.get(e.from) ?? new Map<string, Link>();
      this.out.set(e.from, links);
      const old = links.get(e.id);
      links.set(e.id, { to: e.to, props: old ? merge(old.props, e.props, older) : e.props });
    } else if (e.type === 'KNOWS') {
      const who = this.knows.get(e.to) ?? new Map<string, Props>();
      this.knows.set(e.to, who);
      const old = who.get(e.id);
      who.set(e.id, old !== undefined ? merge(old, e.props, older) : e.props);
      for (const m of this.memo.values()) {
        if (this.knownBy(e.to, m.v)) m.places.add(e.to);
        else m.places.delete(e.to);
      }
    }
  }

  private knownBy(place: string, v: Viewer): boolean {
    for (const p of this.knows.get(place)?.values() ?? []) if (visibleTo(p, v)) return true;
    return false;
  }

  /** Place ids the viewer (or their team) knows, in id order at first ask. Do not modify. */
  known(v: Viewer): ReadonlySet<string> {
    const k = viewerKey(v);
    let m = this.memo.get(k);
    if (!m) {
      const places = new Set([...this.knows.keys()].sort().filter((p) => this.knownBy(p, v)));
      m = { v: { agent: v.agent, ...(v.team !== undefined ? { team: v.team } : {}) }, places };
      this.memo.set(k, m);
    }
    return m.places;
  }

  /** Cheapest path over known places and visible connections; ties go to the lower place id. */
  shortestPath(start: string, isGoal: (placeId: string) => boolean, v: Viewer): PathResult | null {
    const known = this.known(v);
    if (!known.has(start)) return null;
    const dist = new Map<string, number>([[start, 0]]);
    const prev = new Map<string, string>();
    const done = new Set<string>();
    const heap = new Heap();
    heap.push(0, start);
    while (heap.size > 0) {
      const [best, cur] = heap.pop();
      if (done.has(cur) || best > (dist.get(cur) as number)) continue;
      done.add(cur);
      if (isGoal(cur)) {
        const places = [key(cur)];
        for (let p = prev.get(cur); p !== undefined; p = prev.get(p)) places.unshift(key(p));
        return { places, cost: best };
      }
      for (const link of this.out.get(cur)?.values() ?? []) {
        if (done.has(link.to) || !known.has(link.to) || !visibleTo(link.props, v)) continue;
        const d = best + (link.props.cost as number);
        if (d < (dist.get(link.to) ?? Infinity)) { dist.set(link.to, d); prev.set(link.to, cur); heap.push(d, link.to); }
      }
    }
    return null;
  }
}
