// The synthetic fact stream both memory benchmarks write: per event one episodic fact of an agent, and every tenth
// a tree sighting somewhere on a 64x64 map (the mix of a Crafter run's recorder).
import type { KnowledgeGraph } from '../../memory/knowledge-graph.js';

/** Queues `n` events (and n/10 sightings) from `agents` agents of team `red`; returns the number of calls made. */
export function writeFacts(kg: KnowledgeGraph, n: number, agents: number): number {
  for (let i = 0; i < n; i++) {
    const f = { observer: `a${i % agents}`, step: i, scope: 'team' as const, team: 'red' };
    kg.recordEvent({ agent: f.observer, episode: 0, kind: 'collect', name: 'collect_wood' }, f);
    if (i % 10 === 0) kg.sight({ what: 'tree', kind: 'material', place: `${i % 64},${(i >> 6) % 64}` }, f);
  }
  return n + Math.ceil(n / 10);
}
