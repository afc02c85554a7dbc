import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Observable, Subscription } from 'rxjs';
import type { WorldEvent } from '../core/events.js';
import type { ParallelEnv } from '../core/parallel-env.js';
import { KnowledgeGraph } from '../memory/knowledge-graph.js';
import { GraphologyStore } from '../memory/graphology-store.js';
import { Neo4jStore, neo4jFromEnv } from '../memory/neo4j-store.js';
import type { Neo4jStoreOptions } from '../memory/neo4j-store.js';
import { projectRoot } from '../memory/neo4j-server.js';
import { recordEpisodes } from '../memory/episode-recorder.js';
import { recordMessages } from '../memory/message-recorder.js';
import type { EpisodicEntry } from '../memory/episode-recorder.js';
import type { KgStatus } from '../memory/write-queue.js';
import type { GraphStore } from '../memory/graph-store.js';
import { CliError, oneLine } from './errors.js';

export const MEMORY_STORES = ['graphology', 'neo4j', 'off'] as const;
export type MemoryStoreName = (typeof MEMORY_STORES)[number];

/** What a world gives the run's memory: its rules as semantic data and how its events read as episodes. */
export interface WorldMemory {
  /** The rules of the world as built (overrides and overlays included), as semantic data. */
  readonly semanticRules?: (env: ParallelEnv) => unknown;
  readonly describe: (event: WorldEvent) => readonly EpisodicEntry[];
}

/** `summary.json`'s `memory` field. */
export interface MemorySummary {
  readonly store: MemoryStoreName;
  readonly shared: boolean;
  readonly nodes: number;
  readonly edges: number;
  /** sha256 of the graph's content: two runs with the same seed give the same hash on either store. */
  readonly contentHash: string;
  /** graphology: the saved graph (load with `GraphologyStore.load`); neo4j: the graph's name in the database. */
  readonly file?: string;
  readonly graph?: string;
  /** Store health reports during the run (Neo4j unavailable, reconnected, queue high ...), by kind. */
  readonly warnings: Readonly<Record<string, number>>;
}

/** The run's knowledge graph, opened before the first step and saved or closed after the last. */
export interface RunMemory {
  readonly kg: KnowledgeGraph | undefined;
  /** Starts recording the run's events into the episodic level. */
  follow(events$: Observable<WorldEvent>): void;
  /** Waits for every queued write, saves (graphology) and closes; null when memory is off. */
  close(): Promise<MemorySummary | null>;
}

/** The Neo4j to use: NEO4J_URI (user, password) if set, else the server `npm run neo4j:start` runs, else an error. */
export function neo4jTarget(env: NodeJS.ProcessEnv = process.env): Neo4jStoreOptions {
  const fromEnv = neo4jFromEnv(env);
  if (fromEnv) return fromEnv;
  const home = join(projectRoot, '.neo4j');
  const pidFile = join(home, 'neo4j.pid');
  const uriFile = join(home, 'uri');
  if (existsSync(pidFile) && existsSync(uriFile) && alive(Number(readFileSync(pidFile, 'utf8')))) {
    return { uri: readFileSync(uriFile, 'utf8').trim() };
  }
  throw new CliError('--memory neo4j: no Neo4j server: start the project\'s own with `npm run neo4j:start` (needs Java 17+ and Maven), or set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) to use another');
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface OpenRunMemoryOptions {
  readonly store: MemoryStoreName;
  readonly shared: boolean;
  /** The run's out folder: graphology saves `memory.json` there; its name names the Neo4j graph. */
  readonly dir: string;
  /** The run's world, already built: its rules become the semantic level. */
  readonly env: ParallelEnv;
  readonly world: WorldMemory;
  /** Called with every store health report (a lost Neo4j, a reconnect, a long queue), e.g. to warn on stderr. */
  readonly onStatus?: (status: KgStatus) => void;
  /** Wraps the store the graph writes to (the viewer and the replay tap its write batches). */
  readonly wrapStore?: (store: GraphStore) => GraphStore;
}

/** Opens the run's store (a Neo4j that cannot be reached is a {@link CliError}) and loads the world's rules into it. */
export async function openRunMemory(o: OpenRunMemoryOptions): Promise<RunMemory> {
  if (o.store === 'off') return { kg: undefined, follow: () => {}, close: async () => null };
  const graph = basename(o.dir);
  let kg: KnowledgeGraph;
  let target: Neo4jStoreOptions | undefined;
  if (o.store === 'neo4j') {
    target = { ...neo4jTarget(), graph };
    const store = new Neo4jStore(target);
    try {
      await store.init();
      await store.clear(); // a graph of this name left by an earlier run of the same folder name
      kg = await KnowledgeGraph.open(o.wrapStore ? o.wrapStore(store) : store);
    } catch (err) {
      await store.close().catch(() => {});
      throw new CliError(`--memory neo4j: cannot use Neo4j at ${target.uri}: ${oneLine((err as Error).message)}`);
    }
  } else {
    const store = new GraphologyStore();
    kg = await KnowledgeGraph.open(o.wrapStore ? o.wrapStore(store) : store);
  }
  const rules = o.world.semanticRules?.(o.env);
  if (rules !== undefined) kg.loadRules(rules as never);
  const recorders: Subscription[] = [];
  const warnings: Record<string, number> = {};
  // Kept until the graph is closed: the last flush may still report on the store.
  const health = kg.status$.subscribe((st) => {
    warnings[st.kind] = (warnings[st.kind] ?? 0) + 1;
    o.onStatus?.(st);
  });
  return {
    kg,
    follow(events$) {
      recorders.push(recordEpisodes(kg, events$, { describe: o.world.describe, scope: o.shared ? 'team' : 'private' }));
      // Messages (delivered and refused) go into the sender's and the recipients' episodes.
      recorders.push(recordMessages(kg, events$, { teamOf: () => 'team' }));
    },
    async close() {
      for (const s of recorders) s.unsubscribe();
      await kg.flush();
      const { nodes, edges } = await kg.counts();
      const contentHash = await kg.contentHash();
      let file: string | undefined;
      if (kg.store instanceof GraphologyStore) {
        file = join(o.dir, 'memory.json');
        await kg.store.save(file);
      }
      await kg.close();
      health.unsubscribe();
      return {
        store: o.store, shared: o.shared, nodes, edges, contentHash, warnings,
        ...(file !== undefined && { file: basename(file) }),
        ...(target !== undefined && { graph }),
      };
    },
  };
}
