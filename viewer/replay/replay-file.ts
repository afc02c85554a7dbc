import { readFileSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import { z } from 'zod';
import type { WriteBatch } from '../../memory/graph-store.js';

/** The replay's file name in a run folder: JSON lines, gzipped. */
export const REPLAY_FILE = 'replay.jsonl.gz';
/** The plain file earlier runs wrote; `canopy view` still reads it. */
export const LEGACY_REPLAY_FILE = 'replay.jsonl';
export const REPLAY_VERSION = 2;

/**
 * A replay, one JSON value per line, gzipped (a series of gzip members, one per buffer written, so a run killed
 * mid-write leaves a file whose whole members still read):
 * - `{ t: 'header', version, world, agents, seed, keyframeEvery }` first;
 * - `{ t: 'episode', episode, seed }` at each reset (the world's reset seed, from the kernel's `episodeStart`);
 * - `{ t: 'step', a }` per step: each possible agent's action, `null` for an agent not acting (in `agents` order);
 * - `{ t: 'key', total, hash }` every `keyframeEvery` run steps: the state's hash (`TrajectoryHasher.value` of
 *   `state()`), which a replay checks when it passes that step, so a world whose code changed is caught;
 * - `{ t: 'graph', total, n, e }` each knowledge-graph write batch, at the run step it was written: nodes as
 *   `[id, label, props]`, edges as `[type, from, to, props]` plus the id when it is not `type:from->to` (version 1
 *   wrote `nodes` and `edges` as the store's records; still read);
 * - `{ t: 'end', total }` last, when the run ended cleanly.
 */
const Props = z.record(z.string(), z.unknown());

/** A write batch as a replay line's `n` and `e` tuples (see {@link ReplayLineSchema}). */
export function encodeBatch(batch: WriteBatch): { n: [string, string, Record<string, unknown>][]; e: ([string, string, string, Record<string, unknown>] | [string, string, string, Record<string, unknown>, string])[] } {
  return {
    n: batch.nodes.map((r) => [r.id, r.label, { ...r.props }]),
    e: batch.edges.map((r) => (r.id === `${r.type}:${r.from}->${r.to}` ? [r.type, r.from, r.to, { ...r.props }] : [r.type, r.from, r.to, { ...r.props }, r.id])),
  };
}

function decodeBatch(line: Extract<ReplayLine, { t: 'graph' }>): WriteBatch {
  if (line.nodes || line.edges) return { nodes: (line.nodes ?? []) as WriteBatch['nodes'], edges: (line.edges ?? []) as WriteBatch['edges'] };
  return {
    nodes: (line.n ?? []).map(([id, label, props]) => ({ id, label, props })) as unknown as WriteBatch['nodes'],
    edges: (line.e ?? []).map(([type, from, to, props, id]) => ({ id: id ?? `${type}:${from}->${to}`, type, from, to, props })) as unknown as WriteBatch['edges'],
  };
}

/** A replay file's text: gunzipped when it is gzip (a cut last member gives what it holds), else as it is. */
export function readReplayText(path: string): string {
  const buf = readFileSync(path);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return gunzipSync(buf, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
  return buf.toString('utf8');
}

export const ReplayLineSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('header'), version: z.union([z.literal(1), z.literal(REPLAY_VERSION)]), world: z.string(), agents: z.array(z.string()), seed: z.number().int(), keyframeEvery: z.number().int().positive() }),
  z.object({ t: z.literal('episode'), episode: z.number().int().nonnegative(), seed: z.number().int() }),
  z.object({ t: z.literal('step'), a: z.array(z.unknown()) }),
  z.object({ t: z.literal('key'), total: z.number().int().nonnegative(), hash: z.string() }),
  z.object({
    t: z.literal('graph'), total: z.number().int().nonnegative(),
    n: z.array(z.tuple([z.string(), z.string(), Props])).optional(),
    e: z.array(z.union([z.tuple([z.string(), z.string(), z.string(), Props]), z.tuple([z.string(), z.string(), z.string(), Props, z.string()])])).optional(),
    nodes: z.array(z.unknown()).optional(),
    edges: z.array(z.unknown()).optional(),
  }),
  z.object({ t: z.literal('end'), total: z.number().int().nonnegative() }),
]);
export type ReplayLine = z.infer<typeof ReplayLineSchema>;

export interface ReplayEpisode {
  readonly episode: number;
  readonly seed: number;
  /** Run steps before this episode's first step. */
  readonly startTotal: number;
  /** Per step, each agent's action or null. */
  readonly actions: (readonly unknown[])[];
}

/** A replay file, parsed. */
export interface Replay {
  readonly world: string;
  readonly agents: readonly string[];
  readonly seed: number;
  readonly episodes: readonly ReplayEpisode[];
  readonly totalSteps: number;
  /** State hash by run step. */
  readonly keyframes: ReadonlyMap<number, string>;
  readonly graph: readonly { readonly total: number; readonly batch: WriteBatch }[];
  /** Whether the file ends with `end` (a run killed hard leaves none; what was written still plays). */
  readonly complete: boolean;
}

/** Reads and validates a replay file; errors name the file and line. */
export function loadReplay(path: string): Replay {
  const text = readReplayText(path);
  const lines = text.split('\n');
  let header: Extract<ReplayLine, { t: 'header' }> | null = null;
  const episodes: { episode: number; seed: number; startTotal: number; actions: unknown[][] }[] = [];
  const keyframes = new Map<number, string>();
  const graph: { total: number; batch: WriteBatch }[] = [];
  let total = 0;
  let complete = false;
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      // The last line of a run killed mid-write may be cut: ignore only that one.
      if (i >= lines.length - 2) return;
      throw new Error(`${path}:${i + 1}: not JSON`);
    }
    const parsed = ReplayLineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${path}:${i + 1}: ${issue?.path.join('.') || 'line'}: ${issue?.message}`);
    }
    const line = parsed.data;
    if (line.t !== 'header' && !header) throw new Error(`${path}:${i + 1}: expected the header first`);
    switch (line.t) {
      case 'header':
        header = line;
        return;
      case 'episode':
        episodes.push({ episode: line.episode, seed: line.seed, startTotal: total, actions: [] });
        return;
      case 'step': {
        const ep = episodes.at(-1);
        if (!ep) throw new Error(`${path}:${i + 1}: a step before any episode`);
        ep.actions.push(line.a);
        total++;
        return;
      }
      case 'key':
        keyframes.set(line.total, line.hash);
        return;
      case 'graph':
        graph.push({ total: line.total, batch: decodeBatch(line) });
        return;
      case 'end':
        complete = true;
    }
  });
  if (!header) throw new Error(`${path}: empty replay (no header)`);
  const h = header as Extract<ReplayLine, { t: 'header' }>;
  return { world: h.world, agents: h.agents, seed: h.seed, episodes, totalSteps: total, keyframes, graph, complete };
}
