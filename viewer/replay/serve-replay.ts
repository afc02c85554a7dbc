import type { ParallelEnv } from '../../core/parallel-env.js';
import type { WorldViewAdapter } from '../../core/world-view.js';
import { ViewerRoom } from '../server/viewer-room.js';
import type { RoomOptions } from '../server/viewer-room.js';
import { ViewerServer } from '../server/viewer-server.js';
import type { ViewerServerOptions } from '../server/viewer-server.js';
import type { Replay } from './replay-file.js';
import { ReplaySource } from './replay-source.js';

export interface ServeReplayOptions<State> extends ViewerServerOptions, RoomOptions {
  readonly replay: Replay;
  /** A fresh world built as the run's was. */
  readonly env: ParallelEnv<unknown, unknown, never, State>;
  readonly adapter: WorldViewAdapter<State>;
  readonly run?: Readonly<Record<string, unknown>>;
  readonly stepsPerSecond?: number;
}

/** Serves a recorded run with a timeline (see {@link ReplaySource}); `close` stops the playback and the server. */
export async function serveReplay<State>(o: ServeReplayOptions<State>): Promise<{ server: ViewerServer; room: ViewerRoom; source: ReplaySource<State>; close(): Promise<void> }> {
  const server = await ViewerServer.start(o);
  let source!: ReplaySource<State>;
  const room = new ViewerRoom('replay', (r) => (source = new ReplaySource(o, r)), o);
  server.addRoom(room);
  return {
    server, room, source,
    async close() {
      source.close();
      await server.close();
    },
  };
}
