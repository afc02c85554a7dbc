import type { Simulation } from '../../core/simulation.js';
import type { WorldViewAdapter } from '../../core/world-view.js';
import type { HumanOverride } from './human-override.js';
import { LiveSource } from './live-source.js';
import type { GraphTap } from './tap-store.js';
import { ViewerRoom } from './viewer-room.js';
import type { RoomOptions } from './viewer-room.js';
import { ViewerServer } from './viewer-server.js';
import type { ViewerServerOptions } from './viewer-server.js';

export interface ServeSimulationOptions<State> extends ViewerServerOptions, RoomOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any world's simulation
  readonly sim: Simulation<any, any, any, State>;
  readonly adapter: WorldViewAdapter<State>;
  /** The run's seed shown by the page (default: the simulation's). */
  readonly seed?: number;
  readonly run?: Readonly<Record<string, unknown>>;
  readonly human?: HumanOverride;
  /** The run's knowledge graph, tapped (see `GraphTap`); without it the graph panel stays empty. */
  readonly graph?: GraphTap;
  /** Room id (default `sim`). */
  readonly id?: string;
  /** An already running server to add the room to (else one is started with these options). */
  readonly server?: ViewerServer;
}

/** A server (started, or the one given) showing one live simulation. */
export interface ServedSimulation<State> {
  readonly server: ViewerServer;
  readonly room: ViewerRoom;
  readonly live: LiveSource<State>;
  /** Stops the room and, if this call started it, the server. */
  close(): Promise<void>;
}

/** Shows a simulation in the viewer: builds its room and source, taps its graph, starts frames. */
export async function serveSimulation<State>(o: ServeSimulationOptions<State>): Promise<ServedSimulation<State>> {
  const server = o.server ?? (await ViewerServer.start(o));
  let live!: LiveSource<State>;
  const room = new ViewerRoom(o.id ?? 'sim', (r) => (live = new LiveSource({ sim: o.sim, adapter: o.adapter, seed: o.seed ?? o.sim.seed, ...(o.run && { run: o.run }), ...(o.human && { human: o.human }) }, r)), o);
  o.graph?.subscribe((batch) => live.onGraphBatch(batch));
  server.addRoom(room);
  return {
    server, room, live,
    async close() {
      room.stop();
      live.close();
      if (!o.server) await server.close();
    },
  };
}
