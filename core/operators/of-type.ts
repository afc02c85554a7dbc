import { filter } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type { WorldEvent, WorldEventType } from '../events.js';

/**
 * Keeps the events of the given types and narrows their type, so `data` is typed.
 *
 * @example
 * sim.events$.pipe(ofType('agentLate', 'agentFailed')).subscribe((e) => console.warn(e.type, e.data.agent));
 */
export function ofType<K extends WorldEventType>(...types: readonly K[]): OperatorFunction<WorldEvent, WorldEvent<K>> {
  // TypeScript cannot relate the distributive WorldEvent<K> to WorldEvent for a generic K, hence the casts.
  if (types.length === 1) {
    const only: WorldEventType | undefined = types[0];
    return filter((e: WorldEvent) => e.type === only) as unknown as OperatorFunction<WorldEvent, WorldEvent<K>>;
  }
  const set = new Set<WorldEventType>(types);
  return filter((e: WorldEvent) => set.has(e.type)) as unknown as OperatorFunction<WorldEvent, WorldEvent<K>>;
}
