import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { TrajectoryHasher } from '../../core/trajectory-hash.js';
import { ClientPicture } from '../../viewer/client-picture.js';
import type { Ack, ClientMessage, Hello, NodeFacts, ServerError, ServerToClientEvents, ClientToServerEvents } from '../../viewer/protocol.js';
import { decodeFrame } from '../../viewer/protocol.js';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** sha256 of a value in the trajectory hasher's canonical encoding. */
export function stateHash(state: unknown): string {
  const h = new TrajectoryHasher();
  h.value(state);
  return h.digest();
}

/** A headless viewer: rebuilds the picture from the snapshot and acked frames, and records replies. */
export class TestViewer {
  readonly socket: TestSocket;
  picture: ClientPicture | null = null;
  hello: Hello | null = null;
  snapshots = 0;
  frameBytes = 0;
  frames = 0;
  readonly errors: ServerError[] = [];
  readonly acks: Ack[] = [];
  readonly facts: NodeFacts[] = [];

  constructor(url: string, auth: Record<string, string> = {}, opts: { ackDelayMs?: number } = {}) {
    this.socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    this.socket.on('hello', (h) => (this.hello = h));
    this.socket.on('snapshot', (s) => {
      this.picture = new ClientPicture(s);
      this.snapshots++;
    });
    this.socket.on('frame', (body, skipped, ack) => {
      const f = decodeFrame(body, skipped);
      this.frameBytes += body.byteLength;
      this.frames++;
      this.picture!.apply(f);
      if (opts.ackDelayMs) setTimeout(ack, opts.ackDelayMs);
      else ack();
    });
    this.socket.on('error', (e) => this.errors.push(e));
    this.socket.on('ack', (a) => this.acks.push(a));
    this.socket.on('facts', (f) => this.facts.push(f));
  }

  send(message: ClientMessage | unknown): void {
    this.socket.emit('command', message as ClientMessage);
  }

  /** Resolves once `pred` holds (polled), or rejects after `ms`. */
  async until(pred: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.close();
  }
}
