import type { PlaceKey } from './place-reader.js';

/** What one {@link TopologicalMap.visit} changed. */
export interface PlaceVisit {
  readonly place: PlaceKey;
  /** The agent came from another place (a move along an edge), rather than staying. */
  readonly moved: boolean;
  readonly newPlace: boolean;
  readonly newEdge: boolean;
  /** The place was a frontier (seen, never visited) until now. */
  readonly wasFrontier: boolean;
  /** Visits of the place, this one included. */
  readonly placeVisits: number;
  /** Traversals of the edge, this one included (0 when the agent did not move). */
  readonly edgeTraversals: number;
}

/**
 * A topological map grown online from an agent's own observations (TopoNav's landmark graph): nodes are places the
 * agent has stood in, edges the moves it made between them (so every edge is known traversable), and frontiers
 * the places it has seen but never entered, each linked to the places it was seen from.
 *
 * @example
 * const map = new TopologicalMap();
 * map.visit('0,0', null); map.see(['1,0'], '0,0');
 * map.frontiers(); // ['1,0']
 * map.visit('1,0', '0,0'); // { newPlace: true, newEdge: true, wasFrontier: true, ... }
 */
export class TopologicalMap {
  private readonly visits = new Map<PlaceKey, number>();
  private readonly edges = new Map<string, number>();
  private readonly adjacency = new Map<PlaceKey, Set<PlaceKey>>();
  /** Frontier place -> places it was seen from. */
  private readonly seenFrom = new Map<PlaceKey, Set<PlaceKey>>();

  /** The agent is in `place`, having been in `from` (null at the start of an episode). */
  visit(place: PlaceKey, from: PlaceKey | null): PlaceVisit {
    const placeVisits = (this.visits.get(place) ?? 0) + 1;
    const wasFrontier = this.seenFrom.has(place);
    this.visits.set(place, placeVisits);
    this.seenFrom.delete(place);
    const moved = from !== null && from !== place;
    let edgeTraversals = 0;
    if (moved) {
      const key = edgeKey(place, from);
      edgeTraversals = (this.edges.get(key) ?? 0) + 1;
      this.edges.set(key, edgeTraversals);
      link(this.adjacency, place, from);
      link(this.adjacency, from, place);
    }
    return { place, moved, newPlace: placeVisits === 1, newEdge: edgeTraversals === 1, wasFrontier, placeVisits, edgeTraversals };
  }

  /** Places seen from `from`; those never visited become (or stay) frontiers. */
  see(places: Iterable<PlaceKey>, from: PlaceKey): void {
    for (const p of places) {
      if (p === from || this.visits.has(p)) continue;
      let s = this.seenFrom.get(p);
      if (!s) this.seenFrom.set(p, (s = new Set()));
      s.add(from);
    }
  }

  /** Visits of `place` (0 for a frontier or an unknown place). */
  visitCount(place: PlaceKey): number {
    return this.visits.get(place) ?? 0;
  }

  edgeCount(a: PlaceKey, b: PlaceKey): number {
    return this.edges.get(edgeKey(a, b)) ?? 0;
  }

  isFrontier(place: PlaceKey): boolean {
    return this.seenFrom.has(place);
  }

  /** Visited places, in first-visit order. */
  places(): PlaceKey[] {
    return [...this.visits.keys()];
  }

  /** Frontier places, in the order they were first seen. */
  frontiers(): PlaceKey[] {
    return [...this.seenFrom.keys()];
  }

  get edgeTotal(): number {
    return this.edges.size;
  }

  /** Places joined to `place` by a traversed edge. */
  neighbours(place: PlaceKey): PlaceKey[] {
    return [...(this.adjacency.get(place) ?? [])];
  }

  /**
   * Shortest hop path from `from` to `to` over traversed edges; a frontier is entered from a place it was seen
   * from (its last hop). `null` when the map does not connect them.
   */
  path(from: PlaceKey, to: PlaceKey): PlaceKey[] | null {
    if (from === to) return [from];
    const targets = this.seenFrom.get(to);
    const prev = new Map<PlaceKey, PlaceKey | null>([[from, null]]);
    const queue = [from];
    for (let q = 0; q < queue.length; q++) {
      const p = queue[q] as PlaceKey;
      if (p === to || targets?.has(p)) {
        const out = p === to ? [] : [to];
        for (let c: PlaceKey | null = p; c !== null; c = prev.get(c) ?? null) out.push(c);
        return out.reverse();
      }
      for (const n of this.adjacency.get(p) ?? []) {
        if (!prev.has(n)) {
          prev.set(n, p);
          queue.push(n);
        }
      }
    }
    return null;
  }

  snapshot(): unknown {
    return { visits: [...this.visits], edges: [...this.edges], seenFrom: [...this.seenFrom].map(([k, s]) => [k, [...s]]) };
  }

  static restore(state: unknown): TopologicalMap {
    const s = state as { visits: [PlaceKey, number][]; edges: [string, number][]; seenFrom: [PlaceKey, PlaceKey[]][] };
    const map = new TopologicalMap();
    for (const [k, n] of s.visits) map.visits.set(k, n);
    for (const [k, n] of s.edges) {
      map.edges.set(k, n);
      const [a, b] = JSON.parse(k) as [PlaceKey, PlaceKey];
      link(map.adjacency, a, b);
      link(map.adjacency, b, a);
    }
    for (const [k, from] of s.seenFrom) map.seenFrom.set(k, new Set(from));
    return map;
  }
}

function edgeKey(a: PlaceKey, b: PlaceKey): string {
  return JSON.stringify(a < b ? [a, b] : [b, a]);
}

function link(adj: Map<PlaceKey, Set<PlaceKey>>, a: PlaceKey, b: PlaceKey): void {
  let s = adj.get(a);
  if (!s) adj.set(a, (s = new Set()));
  s.add(b);
}
