/**
 * What an LLM planner must answer, as a zod schema built from the world's own vocabulary: a goal in words, a
 * subgoal the low level can execute (`collect_wood`, `place_table`, `make_stone_pickaxe`, `explore`), optionally a
 * count, a team message (the same schema teammates' channel validates) and a share of an item with a teammate.
 * Replies are untrusted text: `parsePlanReply` finds the JSON object, validates it and says what is wrong in a
 * line that the repair prompt hands back to the model.
 */
import { z } from 'zod';
import { TeamMessageSchema } from '../../memory/messages.js';
import type { CrafterRules } from '../../worlds/crafter/rules.js';
import { Inv } from '../crafter/tech-tree.js';

/** The subgoals a Crafter low level can execute under these rules, in a stable order. */
export function crafterSubgoals(rules: CrafterRules): readonly string[] {
  const d = rules.data;
  const out: string[] = [];
  for (const c of Object.values(d.collect)) {
    for (const item of Object.keys(c.receive)) if (item in Inv || item === 'drink') out.push(`collect_${item}`);
  }
  for (const p of Object.keys(d.place)) out.push(`place_${p}`);
  for (const m of Object.keys(d.make)) out.push(`make_${m}`);
  out.push('explore');
  return Object.freeze([...new Set(out)]);
}

/** Items the share action can move that an inventory slot holds (food and drink are vitals, not items). */
export function shareableItems(rules: CrafterRules): readonly string[] {
  return rules.data.share.enabled ? rules.data.share.items.filter((i) => i in Inv) : [];
}

export function planSchema(subgoals: readonly string[], teammates: readonly string[], shareable: readonly string[]) {
  const share = teammates.length > 0 && shareable.length > 0
    ? z.strictObject({
      item: z.enum(shareable as [string, ...string[]]),
      to: z.enum(teammates as [string, ...string[]]),
      count: z.number().int().min(1).max(99).default(1),
    }).optional().nullable()
    : z.null().optional();
  return z.object({
    goal: z.string().min(1).max(300),
    subgoal: z.enum(subgoals as [string, ...string[]]),
    count: z.number().int().min(1).max(99).optional().nullable(),
    message: teammates.length > 0 ? TeamMessageSchema.optional().nullable() : z.null().optional(),
    share,
  });
}

export type PlanSchema = ReturnType<typeof planSchema>;
export type LlmPlan = z.infer<PlanSchema>;

export type PlanParse = { readonly ok: true; readonly plan: LlmPlan } | { readonly ok: false; readonly error: string };

/** The JSON object in a reply (a bare object, or one inside a ```json fence or surrounded by prose). */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const body = (fenced ? fenced[1]! : text).trim();
  try {
    return JSON.parse(body);
  } catch {
    const start = body.indexOf('{');
    const end = body.lastIndexOf('}');
    if (start >= 0 && end > start) return JSON.parse(body.slice(start, end + 1));
    throw new SyntaxError('no JSON object in the reply');
  }
}

/** Validates a reply against `schema`; the error is one line naming each bad field and what was expected. */
export function parsePlanReply(text: string, schema: PlanSchema): PlanParse {
  let raw: unknown;
  try {
    raw = extractJson(text);
  } catch (err) {
    return { ok: false, error: `the reply is not valid JSON (${(err as Error).message})` };
  }
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, plan: r.data };
  return { ok: false, error: r.error.issues.slice(0, 4).map((i) => `${i.path.length ? i.path.join('.') : 'reply'}: ${i.message}`).join('; ') };
}
