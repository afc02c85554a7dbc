import { z } from 'zod';
import { CrafterEnv } from './crafter-env.js';
import { loadRules, RulesError } from './rules.js';

/** Built-in rulesets, usable as a CLI "layout". */
export const RULESETS = ['crafter', 'mac'] as const;

/** A bad `createCrafterEnv` config; the message names the field and what was expected. */
export class CrafterConfigError extends Error {
  override readonly name = 'CrafterConfigError';
}

const configSchema = z.strictObject({
  /** Number of players, 1..100. */
  agents: z.number().int().min(1).max(100).default(1),
  /** `crafter` (faithful) or `mac` (multi-agent cooperative rules). */
  ruleset: z.enum(RULESETS).default('crafter'),
  /** Alias of `ruleset` for tools that call variants layouts. */
  layout: z.enum(RULESETS).optional(),
  oneHot: z.boolean().default(true),
  pixels: z.boolean().default(false),
  events: z.boolean().default(true),
  /** Dotted-path rule overrides, e.g. `{ "world.length": 500 }`. */
  overrides: z.record(z.string(), z.unknown()).default({}),
});
export type CrafterConfigInput = z.input<typeof configSchema>;

/**
 * Build a CrafterEnv from plain, unvalidated config (a CLI or config file): errors come out as
 * {@link CrafterConfigError} naming the field.
 */
export function createCrafterEnv(config: unknown = {}): CrafterEnv {
  const parsed = configSchema.safeParse(config ?? {});
  if (!parsed.success) {
    throw new CrafterConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; '));
  }
  const c = parsed.data;
  const ruleset = c.layout ?? c.ruleset;
  try {
    const rules = loadRules({ ruleset, overrides: c.overrides });
    return new CrafterEnv({ players: c.agents, rules, oneHot: c.oneHot, pixels: c.pixels, events: c.events });
  } catch (e) {
    if (e instanceof RulesError) throw new CrafterConfigError(e.message);
    throw e;
  }
}
