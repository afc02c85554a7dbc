/**
 * Structured messages between teammates (the body a `MessageChannel` carries, see core/messages.ts). Kinds follow
 * what DAMCS agents exchange: what was seen where, who works on which subgoal, what someone needs, what someone
 * offers or has sent, and how a goal stands. Places are the knowledge graph's place keys; items are rule names.
 * Bodies are untrusted (an LLM may write them): `parseTeamMessage` validates with zod and names what is wrong.
 */
import { z } from 'zod';
import type { ParseResult } from '../core/messages.js';

const name = z.string().min(1).max(200);
const count = z.number().int().min(1).max(1_000_000);

export const TeamMessageSchema = z.discriminatedUnion('kind', [
  /** `what` (a material, item or creature) seen at a place, `count` of them. */
  z.object({ kind: z.literal('sighting'), what: name, place: name, count: count.default(1) }).strict(),
  /** The sender takes a subgoal (e.g. `collect:iron`) so teammates do not duplicate it; `release` gives it up. */
  z.object({ kind: z.literal('claim'), subgoal: name, release: z.boolean().default(false) }).strict(),
  /** The sender needs `count` of `item` (for `for`, a subgoal). */
  z.object({ kind: z.literal('request'), item: name, count, for: name.optional() }).strict(),
  /** The sender can give `count` of `item` to whoever asks. */
  z.object({ kind: z.literal('offer'), item: name, count }).strict(),
  /** The sender has used the world's share action to send `count` of `item` to the recipient. */
  z.object({ kind: z.literal('share'), item: name, count }).strict(),
  /** A goal of the sender changed status. */
  z.object({ kind: z.literal('goal-status'), goal: name, status: z.enum(['open', 'active', 'done', 'failed', 'abandoned']) }).strict(),
]);

export type TeamMessage = z.infer<typeof TeamMessageSchema>;
export type TeamMessageKind = TeamMessage['kind'];

/** Validates a message body; the error names the field and what was expected, in one line. */
export function parseTeamMessage(body: unknown): ParseResult<TeamMessage> {
  const r = TeamMessageSchema.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  const issues = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'message'}: ${i.message}`);
  return { ok: false, error: issues.join('; ') };
}
