/** Dijkstra over CONNECTS edges between places a viewer knows, read from the store one place at a time. */
import type { GraphStore } from './graph-store.js';
import { visibleTo, type Viewer } from './facts.js';

export interface PathResult {
  /** Place keys from start to goal. */
  readonly places: string[];
  readonly cost: number;
}

const key = (id: string) => id.slice('place:'.length);

export async function shortestPath(store: GraphStore, start: string, isGoal: (placeId: string) => boolean, known: ReadonlySet<string>, v: Viewer): Promise<PathResult | null> {
  if (!known.has(start)) return null;
  const dist = new Map<string, number>([[start, 0]]);
  const prev = new Map<string, string>();
  const done = new Set<string>();
  // Small frontier sets: a linear scan for the minimum is fine and keeps ties deterministic (lowest id wins).
  const open = new Set<string>([start]);
  while (open.size > 0) {
    let cur = '';
    let best = Infinity;
    for (const id of open) {
      const d = dist.get(id) as number;
      if (d < best || (d === best && id < cur)) { best = d; cur = id; }
    }
    open.delete(cur);
    done.add(cur);
    if (isGoal(cur)) {
      const places = [key(cur)];
      for (let p = prev.get(cur); p !== undefined; p = prev.get(p)) places.unshift(key(p));
      return { places, cost: best };
    }
    for (const { edge, node } of await store.neighbors(cur, 'CONNECTS', 'out')) {
      if (done.has(node.id) || !known.has(node.id) || !visibleTo(edge.props, v)) continue;
      const d = best + (edge.props.cost as number);
      if (d < (dist.get(node.id) ?? Infinity)) { dist.set(node.id, d); prev.set(node.id, cur); open.add(node.id); }
    }
  }
  return null;
}
