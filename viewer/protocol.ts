/**
 * The viewer's wire protocol, shared by the server (viewer/server/) and the page (viewer/page/). Browser-safe: zod and
 * core's command schema only, no node imports. Every schema is the type (`z.infer`); the server validates every
 * client message with these schemas, and a page may validate what it receives with them too.
 *
 * Connection: socket.io, path `/socket.io`, `auth: { token }` in the handshake (the token printed in the URL's `#token=`;
 * without it the socket is read-only when the server allows viewing, else refused). Then:
 * - server -> client: `hello`, then `snapshot` (full state), then `frame`s (only what changed since the last frame
 *   this socket received). A frame arrives as `(body, skipped, ack)`: its fields but `skipped` as UTF-8 JSON bytes
 *   (one encoding shared by every viewer at the same base; {@link decodeFrame} gives the {@link Frame}) and the frames
 *   this socket skipped. A `frame` handler MUST call its ack callback when applied: the server sends a socket its
 *   next frame only after the ack, so a slow client skips frames (and gets one catch-up frame) instead of queueing them.
 *   `snapshot` again whenever the server restarts the picture (new episode, replay seek, or a client too far behind).
 * - client -> server: `command` with a {@link ClientMessage}; the server answers `ack` or `error` (with the same `id`).
 *
 * Applying a frame: cells `[index, value]` pairs, `entities` replaces the whole list when present, `agents` are patches
 * (merge each into the agent with its `id`), graph nodes/edges are tuples (decodeNode, decodeEdge) upserted by key,
 * `invalidated` marks nodes invalid. `ClientPicture` (viewer/client-picture.ts) does all this and can be reused.
 */
import { z } from 'zod';
import { SimulationCommandSchema } from '../core/simulation-command.js';

/** Protocol version in `hello`; bumped on a breaking change (additions do not break it). */
export const PROTOCOL_VERSION = 3;

/** Limits the server enforces and announces in `hello`. */
export const LIMITS = {
  /** Largest client message, bytes of its JSON. */
  maxMessageBytes: 1024,
  /** Client messages per second per socket (a bucket of this size, refilled at this rate). */
  messagesPerSecond: 20,
  /** Longest id (agent, node) a client may send. */
  maxIdLength: 128,
  /** Last actions kept per agent. */
  lastActions: 8,
  /**
   * Events per frame, the newest; more are counted in `droppedEvents` (every event is in the run's files). At a
   * watchable pace a frame holds a few; a frame spanning thousands of lockstep steps would otherwise fill up with
   * them (random MAC agents emit ~2 share events a step): 64 made half of a 17 KB lockstep frame.
   */
  eventsPerFrame: 16,
  /** Recent events in a snapshot (the page's event log on connecting). */
  snapshotEvents: 64,
  /** Metric points kept (snapshot) and per frame. */
  metricPoints: 600,
  /**
   * Graph nodes in a snapshot (the page draws at most 3000): 20,000 nodes with properties made snapshots of several
   * MB, and socket.io's ping timed out while one was sent. Goal and agent nodes always come; `graph.omitted` counts
   * the rest left out.
   */
  snapshotGraphNodes: 3000,
} as const;

const Id = z.string().min(1).max(LIMITS.maxIdLength);
const Int = z.number().int();
const Count = z.number().int().nonnegative();
const Primitive = z.union([z.string(), z.number(), z.boolean()]);

// ---- client -> server ----------------------------------------------------------------------------------------

/**
 * Commands a client may send. The kernel's `pause` / `resume` / `step` / `speed` / `reset` (core's
 * `SimulationCommandSchema`) steer the live clock, or the replay's playback in a replay (`reset`: back to step 0);
 * `follow` asks for one agent's details (null: none); `act` queues one action for one agent (human play, control
 * only, live only: the agent's controller is skipped for that step); `seek` jumps a replay to a run step;
 * `nodeFacts` asks for one graph node's stored facts (answered by a `facts` event, then `ack`).
 */
export const ClientCommandSchema = z.union([
  SimulationCommandSchema,
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('follow'), agent: Id.nullable() }).strict(),
    z.object({ type: z.literal('act'), agent: Id, action: z.union([Count.max(1_000_000), z.string().min(1).max(64)]) }).strict(),
    z.object({ type: z.literal('seek'), step: Count.max(1e12) }).strict(),
    z.object({ type: z.literal('nodeFacts'), key: Id }).strict(),
  ]),
]);
export type ClientCommand = z.infer<typeof ClientCommandSchema>;

/** The one client message: a command with an optional id the reply repeats. */
export const ClientMessageSchema = z.object({ id: Count.max(2 ** 31).optional(), command: ClientCommandSchema }).strict();
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** Commands that change the simulation or the playback: these need the control token. `follow` does not. */
export const CONTROL_COMMANDS: ReadonlySet<ClientCommand['type']> = new Set(['pause', 'resume', 'step', 'speed', 'reset', 'act', 'seek']);

// ---- server -> client ----------------------------------------------------------------------------------------

export const TileSchema = z.object({ name: z.string(), color: z.string(), walkable: z.boolean() });
export const LegendSchema = z.object({
  kind: z.string(),
  width: Count,
  height: Count,
  tiles: z.array(TileSchema),
  entityKinds: z.array(z.object({ name: z.string(), color: z.string() })),
  vitals: z.array(z.object({ name: z.string(), max: z.number() })),
  actions: z.array(z.string()),
  viewRadius: z.tuple([Count, Count]).optional(),
  params: z.record(z.string(), Primitive),
});
export type Legend = z.infer<typeof LegendSchema>;

/** An agent's body (from the world's view adapter) plus its mind (from the kernel's events and the graph). */
export const AgentViewSchema = z.object({
  id: z.string(),
  x: Int,
  y: Int,
  facing: z.tuple([Int, Int]),
  alive: z.boolean(),
  inventory: z.record(z.string(), z.number()),
  achievements: z.array(z.string()),
  flags: z.record(z.string(), Primitive),
  /** Long-term goal text (the active `long-term` Goal node of this agent in the graph), null when none. */
  goal: z.string().nullable(),
  /** Current subgoal text (the active `goal` or `step` Goal node), null when none. */
  subgoal: z.string().nullable(),
  /** Last actions taken, oldest first, as action names when the world has them. */
  lastActions: z.array(z.string()),
  /** Last step's reward and this episode's sums; `extrinsic` is the world's, `intrinsic` an agent's own bonus. */
  reward: z.object({ extrinsic: z.number(), intrinsic: z.number(), returnExtrinsic: z.number(), returnIntrinsic: z.number() }),
  /** Team messages sent and received this episode. */
  messages: z.object({ sent: Count, received: Count }),
});
export type AgentView = z.infer<typeof AgentViewSchema>;

/** An agent's changed fields in a frame: merge them into the agent with this `id` (fields absent did not change). */
export const AgentPatchSchema = AgentViewSchema.partial().extend({ id: z.string() });
export type AgentPatch = z.infer<typeof AgentPatchSchema>;

/** Knowledge-graph levels, as the memory names them; `agents` holds the Agent nodes. */
export const GRAPH_LEVELS = ['semantic', 'spatial', 'episodic', 'goals', 'agents'] as const;
export const GraphLevelSchema = z.enum(GRAPH_LEVELS);
export type GraphLevel = z.infer<typeof GraphLevelSchema>;

/**
 * A node as the page holds it (graphology's serialised form: `graph.import({ nodes })` takes it). Its stored facts
 * are not sent with it: a click asks for them (`nodeFacts`, answered by a `facts` event).
 */
export const GraphNodeSchema = z.object({
  key: z.string(),
  attributes: z.object({
    /** Node label (Item, Place, Sighting, Event, Goal, ...). */
    label: z.string(),
    level: GraphLevelSchema,
    /** The observer or owner, null for public facts (rules). */
    agent: z.string().nullable(),
    /** Run step (totalSteps) at which the server saw the write. */
    step: Count,
    /** False once invalidated (a sighting of something gone). */
    valid: z.boolean(),
    /** A short display name. */
    name: z.string(),
  }),
});
export type GraphNode = z.infer<typeof GraphNodeSchema>;

/** An edge as the page holds it; its key is the store's edge id (see {@link edgeKey}). */
export const GraphEdgeSchema = z.object({ key: z.string(), source: z.string(), target: z.string(), attributes: z.object({ type: z.string() }) });
export type GraphEdge = z.infer<typeof GraphEdgeSchema>;

/**
 * A node on the wire: `[key, label, agent, step, valid, name]`. `label` is a one-letter code for the knowledge
 * graph's usual labels ({@link LABEL_CODES}), else the label itself; `agent` is an index into the snapshot's
 * `agents` (-1: public, or the name itself when not an agent); `valid` 1 or 0; `name` "" when it is the key. The
 * level follows from the label ({@link graphLevel}). A team's graph gains ~10 nodes and ~22 edges a step: objects
 * with their properties made graph deltas 3/4 of a frame.
 */
export const WireNodeSchema = z.tuple([z.string(), z.string(), z.union([Int, z.string()]), Count, z.union([z.literal(0), z.literal(1)]), z.string()]);
export type WireNode = z.infer<typeof WireNodeSchema>;

/** An edge on the wire: `[type, source, target]`, plus the store's id when it is not {@link edgeKey}'s. */
export const WireEdgeSchema = z.union([z.tuple([z.string(), z.string(), z.string()]), z.tuple([z.string(), z.string(), z.string(), z.string()])]);
export type WireEdge = z.infer<typeof WireEdgeSchema>;

/** The knowledge graph's edge id for (type, source, target), as memory/knowledge-graph.ts makes it. */
export function edgeKey(type: string, source: string, target: string): string {
  return `${type}:${source}->${target}`;
}

/** One-letter codes of the usual node labels on the wire. */
export const LABEL_CODES: Readonly<Record<string, string>> = {
  Place: 'P', Sighting: 'S', Event: 'E', Goal: 'G', Agent: 'A', Item: 'I', Material: 'M', Creature: 'C', Recipe: 'R', Achievement: 'V',
};
const LABELS_BY_CODE: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(LABEL_CODES).map(([k, v]) => [v, k]));

/** A node for the wire; `agents` are the run's agent ids (the snapshot's order). */
export function encodeNode(n: GraphNode, agents: readonly string[]): WireNode {
  const a = n.attributes;
  const i = a.agent === null ? -1 : agents.indexOf(a.agent);
  return [n.key, LABEL_CODES[a.label] ?? a.label, a.agent !== null && i < 0 ? a.agent : i, a.step, a.valid ? 1 : 0, a.name === n.key ? '' : a.name];
}

export function decodeNode(w: WireNode, agents: readonly string[]): GraphNode {
  const [key, code, agent, step, valid, name] = w;
  const label = code.length === 1 ? (LABELS_BY_CODE[code] ?? code) : code;
  return {
    key,
    attributes: { label, level: graphLevel(label), agent: typeof agent === 'string' ? agent : (agents[agent] ?? null), step, valid: valid === 1, name: name || key },
  };
}

export function encodeEdge(e: GraphEdge): WireEdge {
  const { type } = e.attributes;
  return e.key === edgeKey(type, e.source, e.target) ? [type, e.source, e.target] : [type, e.source, e.target, e.key];
}

export function decodeEdge(w: WireEdge): GraphEdge {
  return { key: w[3] ?? edgeKey(w[0], w[1], w[2]), source: w[1], target: w[2], attributes: { type: w[0] } };
}

/** Graph changes: upserts and invalidations (nothing is ever deleted from the graph). */
export const GraphDeltaSchema = z.object({
  nodes: z.array(WireNodeSchema),
  edges: z.array(WireEdgeSchema),
  /** Node keys invalidated (their `valid` became false). */
  invalidated: z.array(z.string()),
});
export type GraphDelta = z.infer<typeof GraphDeltaSchema>;

/** A node's stored facts, the answer to `nodeFacts` (`props` null: no such node). */
export const NodeFactsSchema = z.object({ key: z.string(), props: z.record(z.string(), Primitive).nullable() });
export type NodeFacts = z.infer<typeof NodeFactsSchema>;

/** One kernel or world event (`WorldEvents` in core/events.ts), JSON-safe; `step` events are not sent. */
export const EventViewSchema = z.object({ type: z.string(), episode: Int, step: Count, totalSteps: Count, data: z.unknown() });
export type EventView = z.infer<typeof EventViewSchema>;

/** Per-step series for the plots, sampled once per frame. */
export const MetricPointSchema = z.object({
  totalSteps: Count,
  episode: Int,
  /** `teamReward` (sum of this episode's returns), `achievements` (distinct, team), `stepsPerSecond`, and the world's. */
  values: z.record(z.string(), z.number()),
});
export type MetricPoint = z.infer<typeof MetricPointSchema>;

export const ClockStateSchema = z.object({
  paused: z.boolean(),
  stepsPerSecond: z.number(),
  /** False once the run (or the replay) has ended. */
  running: z.boolean(),
  episode: Int,
  step: Count,
  totalSteps: Count,
});
export type ClockState = z.infer<typeof ClockStateSchema>;

/** What a replay holds, and where its playback is. */
export const ReplayInfoSchema = z.object({
  /** Steps in the whole recording (run steps). */
  totalSteps: Count,
  episodes: z.array(z.object({ episode: Int, seed: Int, startTotal: Count, length: Count })),
  /** Playback position (run steps). */
  position: Count,
  playing: z.boolean(),
  stepsPerSecond: z.number(),
});
export type ReplayInfo = z.infer<typeof ReplayInfoSchema>;

export const HelloSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  mode: z.enum(['live', 'replay']),
  /** Whether this socket's commands may change anything (it presented the token). */
  control: z.boolean(),
  /** Simulation (room) id. */
  simulation: z.string(),
  limits: z.object({ maxMessageBytes: Count, messagesPerSecond: z.number() }),
});
export type Hello = z.infer<typeof HelloSchema>;

export const SnapshotSchema = z.object({
  /** Sequence number of the picture; the next frame's `seq` is greater. */
  seq: Count,
  seed: Int,
  /** Agent type and run settings as the run recorded them (config.json). */
  run: z.record(z.string(), z.unknown()),
  legend: LegendSchema,
  cells: z.array(Count),
  entities: z.array(Int),
  agents: z.array(AgentViewSchema),
  daylight: z.number(),
  worldStep: Count,
  /**
   * The graph, capped at `LIMITS.snapshotGraphNodes` nodes: every goal and agent node and the newest others (what
   * the page draws anyway), with the edges between them; `omitted` counts the nodes left out.
   */
  graph: z.object({ nodes: z.array(WireNodeSchema), edges: z.array(WireEdgeSchema), omitted: Count }),
  /** Recent events, oldest first. */
  events: z.array(EventViewSchema),
  metrics: z.array(MetricPointSchema),
  clock: ClockStateSchema,
  replay: ReplayInfoSchema.nullable(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

export const FrameSchema = z.object({
  seq: Count,
  /** Changed cells as flat `[index, value, index, value, ...]` pairs (empty when `allCells` is present). */
  cells: z.array(Count),
  /**
   * Every cell, packed by {@link packCells}, instead of pairs when much of the map changed (a new episode, or a
   * frame spanning hundreds of lockstep steps): ~1.4 bytes a cell instead of ~9 bytes a changed cell.
   */
  allCells: z.string().optional(),
  /** The whole entity list when it changed, else absent. */
  entities: z.array(Int).optional(),
  /** Agents whose view changed: `id` and the changed fields only (merge them; see {@link AgentPatchSchema}). */
  agents: z.array(AgentPatchSchema),
  daylight: z.number(),
  worldStep: Count,
  graph: GraphDeltaSchema,
  events: z.array(EventViewSchema),
  /** Events left out of this frame (over `LIMITS.eventsPerFrame`). */
  droppedEvents: Count,
  metrics: z.array(MetricPointSchema),
  clock: ClockStateSchema,
  replay: ReplayInfoSchema.nullable(),
  /** Frames this socket skipped since its last one (it was slow). */
  skipped: Count,
});
export type Frame = z.infer<typeof FrameSchema>;
/** A frame's fields but `skipped`: the same for every viewer at the same base, so encoded once for all of them. */
export type FrameBody = Omit<Frame, 'skipped'>;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** A frame body as it goes on the wire: UTF-8 JSON bytes (socket.io sends them as a binary attachment, untouched). */
export function encodeFrameBody(body: FrameBody): Uint8Array {
  return utf8.encode(JSON.stringify(body));
}

/** The frame a `frame` message carries: its body (an ArrayBuffer in browsers, a Buffer in Node) and `skipped`. */
export function decodeFrame(body: ArrayBuffer | ArrayBufferView, skipped: number): Frame {
  const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return { ...(JSON.parse(fromUtf8.decode(bytes)) as FrameBody), skipped };
}

/**
 * Packs cell values that are all below 256 as base64, one byte a cell; null when a value does not fit. Browser-safe
 * (`btoa`), so the page and the server share it.
 */
export function packCells(cells: ArrayLike<number>): string | null {
  let text = '';
  const chunk: number[] = [];
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i]!;
    if (v > 255 || v < 0) return null;
    chunk.push(v);
    if (chunk.length === 8192 || i === cells.length - 1) {
      text += String.fromCharCode(...chunk);
      chunk.length = 0;
    }
  }
  return btoa(text);
}

/** The cells {@link packCells} packed; throws when `packed` is not `count` cells. */
export function unpackCells(packed: string, count: number): number[] {
  const text = atob(packed);
  if (text.length !== count) throw new Error(`packed cells: ${text.length} cells, expected ${count}`);
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = text.charCodeAt(i);
  return out;
}

export const ERROR_CODES = ['invalid', 'too-large', 'rate-limited', 'forbidden', 'unavailable', 'failed'] as const;
export const ServerErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** The id of the client message it answers, when it had one. */
  id: Count.optional(),
});
export type ServerError = z.infer<typeof ServerErrorSchema>;

export const AckSchema = z.object({ id: Count.optional(), type: z.string() });
export type Ack = z.infer<typeof AckSchema>;

/** socket.io's typed event maps: `new Server<ClientToServerEvents, ServerToClientEvents>()`, `io(url) as ViewerSocket`. */
export interface ServerToClientEvents {
  hello: (hello: Hello) => void;
  snapshot: (snapshot: Snapshot) => void;
  /** A frame: its body ({@link encodeFrameBody}; read it with {@link decodeFrame}) and the frames this socket skipped. */
  frame: (body: ArrayBuffer | Uint8Array, skipped: number, ack: () => void) => void;
  error: (error: ServerError) => void;
  ack: (ack: Ack) => void;
  facts: (facts: NodeFacts) => void;
}
export interface ClientToServerEvents {
  command: (message: ClientMessage) => void;
}

/** A client message, validated: the message, or an error reply that says what was wrong. */
export function parseClientMessage(input: unknown): { ok: true; message: ClientMessage } | { ok: false; error: ServerError } {
  let bytes: number;
  try {
    bytes = JSON.stringify(input)?.length ?? 0;
  } catch {
    return { ok: false, error: { code: 'invalid', message: 'message: not JSON' } };
  }
  if (bytes > LIMITS.maxMessageBytes) {
    return { ok: false, error: { code: 'too-large', message: `message: ${bytes} bytes, at most ${LIMITS.maxMessageBytes}` } };
  }
  const parsed = ClientMessageSchema.safeParse(input);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  const id = typeof input === 'object' && input !== null && Number.isInteger((input as { id?: unknown }).id) ? ((input as { id: number }).id) : undefined;
  const path = issue?.path.length ? `message.${issue.path.join('.')}` : 'message';
  return { ok: false, error: { code: 'invalid', message: `${path}: ${issue?.message ?? 'invalid'}`, ...(id !== undefined && id >= 0 && { id }) } };
}

/** Node level from its label, as the knowledge graph files them (see memory/knowledge-graph.ts). */
export function graphLevel(label: string): GraphLevel {
  switch (label) {
    case 'Place':
    case 'Sighting':
      return 'spatial';
    case 'Event':
      return 'episodic';
    case 'Goal':
      return 'goals';
    case 'Agent':
      return 'agents';
    default:
      return 'semantic';
  }
}
