import type { GraphStore, WriteBatch } from '../../memory/graph-store.js';

/**
 * A {@link GraphStore} that forwards everything to `inner` and reports each batch once the store has taken it: how the
 * viewer (and the replay recorder) see the knowledge graph grow without the memory knowing about them.
 */
export function tapStore(inner: GraphStore, onBatch: (batch: WriteBatch) => void): GraphStore {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'write') {
        return async (batch: WriteBatch) => {
          await target.write(batch);
          onBatch(batch);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Fans a tapped store's batches out to listeners. Batches written before the first listener (a world's rules,
 * loaded when the memory opens) are kept and given to every listener as it subscribes.
 */
export class GraphTap {
  private readonly early: WriteBatch[] = [];
  private readonly listeners: ((batch: WriteBatch) => void)[] = [];

  /** `store`, reporting to this tap. */
  wrap(store: GraphStore): GraphStore {
    return tapStore(store, (batch) => {
      if (this.listeners.length === 0) this.early.push(batch);
      for (const l of this.listeners) l(batch);
    });
  }

  subscribe(listener: (batch: WriteBatch) => void): void {
    for (const b of this.early) listener(b);
    this.listeners.push(listener);
  }
}
