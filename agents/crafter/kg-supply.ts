/**
 * Scouts as suppliers: in a team with scouts, crafters ask for the wood their plan still needs (the table and the
 * pickaxes' handles) and scouts that pass trees gather it and hand it over with the MAC share action (any distance).
 * Crafters then place the table as soon as the wood arrives instead of walking from tree to tree (collected trees
 * turn into grass, so the trees near the spawn run out when six agents share them).
 */
import type { AgentId } from '../../core/parallel-env.js';

/** Items a crafter asks scouts for. */
export const SUPPLIED = ['wood'] as const;

/** How many of `item` the plan still collects (the sum over its collect steps). */
export function planShortfall(steps: readonly { recipe: string; times: number }[], item: string): number {
  let n = 0;
  for (const s of steps) if (s.recipe === `collect_${item}`) n += s.times;
  return n;
}

/**
 * What a scout gathers for teammates: the first supplied item someone else asked for and we hold less of than asked
 * (capped at `cap`: several scouts answer the same request), or null.
 */
export function supplyTarget(
  requests: ReadonlyMap<string, ReadonlyMap<AgentId, number>>, me: AgentId, held: (item: string) => number, cap: number,
): { item: string; want: number } | null {
  for (const item of SUPPLIED) {
    let asked = 0;
    for (const [who, n] of requests.get(item) ?? []) if (who !== me) asked = Math.max(asked, n);
    const want = Math.min(asked, cap);
    if (want > 0 && held(item) < want) return { item, want };
  }
  return null;
}
