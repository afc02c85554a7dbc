/**
 * Real simulations for the browser tests, served by the real viewer server: a live Crafter team whose knowledge
 * graph (rules plus the episodes it lives) grows as it runs, and a recorded run served as a replay, with what the
 * world looked like at chosen steps kept while recording (the ground truth a scrub is checked against).
 */
import { join } from 'node:path';
import { Simulation } from '../../core/simulation.js';
import { RandomController } from '../../agents/random-controller.js';
import { CRAFTER_MEMORY } from '../../cli/world-memory.js';
import { recordEpisodes } from '../../memory/episode-recorder.js';
import { GraphologyStore } from '../../memory/graphology-store.js';
import { KnowledgeGraph } from '../../memory/knowledge-graph.js';
import { loadReplay, REPLAY_FILE } from '../../viewer/replay/replay-file.js';
import { ReplayRecorder } from '../../viewer/replay/replay-recorder.js';
import { serveReplay } from '../../viewer/replay/serve-replay.js';
import { serveSimulation } from '../../viewer/server/serve-simulation.js';
import { GraphTap } from '../../viewer/server/tap-store.js';
import { HumanOverride } from '../../viewer/server/human-override.js';
import { CrafterEnv } from '../../worlds/crafter/crafter-env.js';
import type { CrafterState } from '../../worlds/crafter/crafter-env.js';
import { crafterViewAdapter } from '../../worlds/crafter/crafter-view.js';
import { crafterSemanticRules } from '../../worlds/crafter/semantic-rules.js';

export interface Served {
  /** The page's URL with the control token. */
  readonly url: string;
  close(): Promise<void>;
}

const crafter = (): CrafterEnv => new CrafterEnv({ players: 2, ruleset: 'mac', oneHot: false });

/** A knowledge graph on a tapped in-process store, with the world's rules and its agents' episodes in it. */
async function crafterGraph(env: CrafterEnv, sim: Simulation<unknown, unknown, never, unknown>, tap: GraphTap): Promise<KnowledgeGraph> {
  const kg = await KnowledgeGraph.open(tap.wrap(new GraphologyStore()));
  kg.loadRules(crafterSemanticRules(env.rules.data) as never);
  recordEpisodes(kg, sim.events$, { describe: CRAFTER_MEMORY.describe, scope: 'team' });
  return kg;
}

/** Two random Crafter agents on the realtime clock at `stepsPerSecond`, with the viewer and keyboard play, until closed. */
export async function liveCrafter(seed: number, stepsPerSecond = 8): Promise<Served> {
  const env = crafter();
  const human = new HumanOverride();
  const sim = new Simulation({ env, seed, controllers: human.wrap(() => new RandomController() as never) });
  const graph = new GraphTap();
  const kg = await crafterGraph(env, sim as never, graph);
  const served = await serveSimulation<CrafterState>({ sim: sim as never, adapter: crafterViewAdapter(env), seed, graph, human, log: () => {} });
  const stop = new AbortController();
  const run = sim.runRealtime({ stepsPerSecond, signal: stop.signal });
  return {
    url: served.server.url,
    async close() {
      stop.abort();
      await run.catch(() => undefined);
      await served.close();
      await kg.close({ flush: false });
      sim.close();
    },
  };
}

/** What the map and the agents were at one run step, as the page's probe reports them. */
export interface RecordedPicture {
  readonly cells: string;
  readonly agents: readonly { id: string; x: number; y: number; alive: boolean }[];
  /** Distinct knowledge-graph nodes written up to this step (batches are stamped with the step they land in). */
  graphNodes: number;
}

/**
 * Records `steps` lockstep steps of two random Crafter agents (knowledge graph included) into `dir`, keeping the
 * picture at each of `keep`, then serves the recording as a replay.
 */
export async function recordedCrafter(dir: string, seed: number, steps: number, keep: readonly number[]): Promise<Served & { pictures: ReadonlyMap<number, RecordedPicture> }> {
  const env = crafter();
  const adapter = crafterViewAdapter(env);
  const sim = new Simulation({ env, seed, controllers: () => new RandomController() as never });
  const recorder = new ReplayRecorder(join(dir, REPLAY_FILE), sim as never, { keyframeEvery: 25 });
  const graph = new GraphTap();
  const nodes = new Set<string>();
  graph.subscribe((batch) => {
    recorder.graph(batch);
    for (const n of batch.nodes) nodes.add(n.id);
  });
  const kg = await crafterGraph(env, sim as never, graph);
  const pictures = new Map<number, RecordedPicture>();
  sim.transitions$.subscribe(() => {
    // Batches stamped with step t are those landing before step t + 1: count them here, for t.
    const previous = pictures.get(sim.totalSteps - 1);
    if (previous) previous.graphNodes = nodes.size;
    if (!keep.includes(sim.totalSteps)) return;
    const v = adapter.view(env.state());
    pictures.set(sim.totalSteps, { cells: v.cells.join(','), agents: v.agents.map((a) => ({ id: a.id, x: a.x, y: a.y, alive: a.alive })), graphNodes: -1 });
  });
  // Each step waits for the graph's writes, so every batch lands (and is stamped) at the step that made it.
  await kg.flush();
  await sim.run({ steps, pace: () => kg.flush() });
  await kg.close({ flush: true });
  recorder.close();
  sim.close();

  const replayEnv = crafter();
  const served = await serveReplay({ replay: loadReplay(join(dir, REPLAY_FILE)), env: replayEnv as never, adapter: crafterViewAdapter(replayEnv), log: () => {} });
  return { url: served.server.url, pictures, close: () => served.close() };
}
