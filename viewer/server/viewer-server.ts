import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io';
import { CONTROL_COMMANDS, LIMITS, PROTOCOL_VERSION, parseClientMessage } from '../protocol.js';
import type { ClientToServerEvents, ServerError, ServerToClientEvents } from '../protocol.js';
import { DEFAULT_PAGE_DIR, staticHandler } from './static-files.js';
import type { RoomClient, ViewerRoom } from './viewer-room.js';

export interface ViewerServerOptions {
  /** TCP port; 0 picks a free one (default 0). */
  readonly port?: number;
  /** Interface to listen on (default 127.0.0.1: this machine only). */
  readonly host?: string;
  /** The control token (default: 24 random bytes, base64url). */
  readonly token?: string;
  /** Whether sockets without the token may watch, read-only (default true). */
  readonly allowViewers?: boolean;
  /** The page's bundle (default viewer/dist). */
  readonly pageDir?: string;
  /** Log lines (rejected messages, connections); default: stderr. */
  readonly log?: (line: string) => void;
}

/** How long a frame may wait for its ack before the socket is given up on and gets a snapshot next. */
const ACK_TIMEOUT_MS = 5000;
/** Rejected messages after which a socket is disconnected. */
const MAX_REJECTED = 200;

type ViewerSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/**
 * The viewer's HTTP + socket.io server: serves the page and one room per simulation. Listens on 127.0.0.1 unless
 * told otherwise; commands that change anything need the token (printed in {@link url}); every client message is
 * validated, size- and rate-limited, and never evaluated.
 *
 * @example
 * const server = await ViewerServer.start({ port: 0 });
 * server.addRoom(room);
 * console.log(server.url); // http://127.0.0.1:40123/#token=...
 */
export class ViewerServer {
  readonly token: string;
  private readonly rooms = new Map<string, ViewerRoom>();
  private readonly log: (line: string) => void;

  private constructor(
    private readonly http: HttpServer,
    private readonly io: Server<ClientToServerEvents, ServerToClientEvents>,
    private readonly o: ViewerServerOptions,
  ) {
    this.token = o.token ?? randomBytes(24).toString('base64url');
    this.log = o.log ?? ((line) => process.stderr.write(`viewer: ${line}\n`));
    io.use((socket, next) => {
      if (this.isController(socket) || (o.allowViewers ?? true)) next();
      else next(new Error('a token is required to connect'));
    });
    io.on('connection', (socket) => this.connect(socket));
  }

  static async start(o: ViewerServerOptions = {}): Promise<ViewerServer> {
    const http = createServer(staticHandler(o.pageDir ?? DEFAULT_PAGE_DIR));
    const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, {
      // A message larger than this closes the socket at the transport, before any parsing of ours.
      maxHttpBufferSize: 16 * 1024,
      serveClient: false,
    });
    const server = new ViewerServer(http, io, o);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => {
        http.off('error', reject);
        resolve();
      });
    });
    return server;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** The page's address with the control token in the fragment (never sent to the server in HTTP requests). */
  get url(): string {
    return `${this.viewUrl}#token=${this.token}`;
  }

  /** The page's address without the token: read-only viewing. */
  get viewUrl(): string {
    const host = this.o.host ?? '127.0.0.1';
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    return `http://${shown}:${this.port}/`;
  }

  /** Adds a simulation's room and starts its frames; the first room is the one sockets join by default. */
  addRoom(room: ViewerRoom): void {
    if (this.rooms.has(room.id)) throw new Error(`viewer: a room "${room.id}" exists already`);
    this.rooms.set(room.id, room);
    room.start();
  }

  async close(): Promise<void> {
    for (const room of this.rooms.values()) room.stop();
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    this.http.closeAllConnections?.();
  }

  private isController(socket: ViewerSocket): boolean {
    const given = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof given !== 'string') return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private connect(socket: ViewerSocket): void {
    const control = this.isController(socket);
    const wanted = (socket.handshake.auth as { simulation?: unknown } | undefined)?.simulation;
    const room = typeof wanted === 'string' ? this.rooms.get(wanted) : this.rooms.values().next().value;
    if (!room) {
      socket.emit('error', { code: 'unavailable', message: `no simulation ${typeof wanted === 'string' ? `"${wanted.slice(0, 64)}"` : 'is running'}` });
      socket.disconnect(true);
      return;
    }
    const who = `${socket.id} (${control ? 'control' : 'read-only'})`;
    this.log(`${who} connected to ${room.id}`);
    socket.emit('hello', {
      protocol: PROTOCOL_VERSION, mode: room.source.mode, control, simulation: room.id,
      limits: { maxMessageBytes: LIMITS.maxMessageBytes, messagesPerSecond: LIMITS.messagesPerSecond },
    });
    const client: RoomClient = {
      base: null, graphVersion: 0, eventVersion: 0, metricVersion: 0, inFlight: false, skipped: 0, needSnapshot: true,
      sendSnapshot: (s) => socket.emit('snapshot', s),
      sendFrame: (out, done) => {
        // The body's bytes are shared by every viewer at the same base: socket.io sends them as a binary attachment,
        // without walking or encoding them again for each socket.
        socket.timeout(ACK_TIMEOUT_MS).emit('frame', out.bytes(), out.frame.skipped, ((err: Error | null) => {
          if (err) client.needSnapshot = true;
          done();
        }) as never);
      },
    };
    let tokens: number = LIMITS.messagesPerSecond;
    let refilled = performance.now();
    let rejected = 0;
    const reject = (error: ServerError, what: string) => {
      this.log(`${who}: rejected ${what}: ${error.code}: ${error.message}`);
      socket.emit('error', error);
      if (++rejected >= MAX_REJECTED) {
        this.log(`${who}: disconnected after ${rejected} rejected messages`);
        socket.disconnect(true);
      }
    };
    socket.onAny((event: string) => {
      if (event !== 'command') reject({ code: 'invalid', message: `unknown event "${String(event).slice(0, 64)}"; send "command"` }, 'an unknown event');
    });
    socket.on('command', (input: unknown) => {
      const now = performance.now();
      tokens = Math.min(LIMITS.messagesPerSecond, tokens + ((now - refilled) / 1000) * LIMITS.messagesPerSecond);
      refilled = now;
      if (tokens < 1) return reject({ code: 'rate-limited', message: `at most ${LIMITS.messagesPerSecond} messages per second` }, 'a command');
      tokens -= 1;
      const parsed = parseClientMessage(input);
      if (!parsed.ok) return reject(parsed.error, 'a command');
      const { id, command } = parsed.message;
      const ref = id !== undefined ? { id } : {};
      if (CONTROL_COMMANDS.has(command.type) && !control) {
        return reject({ code: 'forbidden', message: `${command.type}: read-only viewer (open the URL with the token to control)`, ...ref }, command.type);
      }
      if (command.type === 'nodeFacts') {
        // Read-only and answered here: the room's graph mirror keeps every node's facts.
        socket.emit('facts', { key: command.key, props: room.graph.facts(command.key) });
        socket.emit('ack', { type: command.type, ...ref });
        return;
      }
      try {
        room.source.command(command);
      } catch (err) {
        return reject({ code: 'failed', message: (err as Error).message, ...ref }, command.type);
      }
      socket.emit('ack', { type: command.type, ...ref });
      // Show the effect (pause, a replay seek) now rather than at the next tick.
      room.tick();
    });
    room.add(client);
    socket.on('disconnect', () => {
      room.remove(client);
      this.log(`${who} disconnected`);
    });
  }
}
