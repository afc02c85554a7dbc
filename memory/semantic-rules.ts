/**
 * A world's rules as plain data for the semantic level of the knowledge graph. Worlds produce this shape (crafter:
 * worlds/crafter/semantic-rules.ts); memory validates it and never imports a world.
 */
import { z } from 'zod';

const name = z.string().min(1);
const counts = z.record(name, z.number().int().positive());

export const semanticRulesSchema = z.strictObject({
  /** Inventory items. */
  items: z.array(name),
  /** Map materials (what cells are made of), stations included. */
  materials: z.array(name),
  /** Materials that recipes need nearby (table, furnace). */
  stations: z.array(name),
  /** Creatures that can be sighted. */
  creatures: z.array(name).default([]),
  achievements: z.array(name),
  recipes: z.array(z.strictObject({
    name,
    kind: z.enum(['collect', 'place', 'make', 'other']),
    /** Items consumed per run. */
    consumes: counts.default({}),
    /** Items that must be held, not consumed (a pickaxe). */
    tools: counts.default({}),
    /** Stations or materials that must be near. */
    nearby: z.array(name).default([]),
    /** The material faced to collect from. */
    source: name.optional(),
    /** Items received per run. */
    produces: counts.default({}),
    /** The material or station put on the map. */
    places: name.optional(),
    achievement: name.optional(),
  })),
});

export type SemanticRulesInput = z.input<typeof semanticRulesSchema>;
export type SemanticRules = Readonly<z.output<typeof semanticRulesSchema>>;
export type Recipe = SemanticRules['recipes'][number];

/** Validates rules data and cross-checks every name a recipe uses; errors give the path and what was expected. */
export function parseSemanticRules(raw: unknown, source = '<semantic rules>'): SemanticRules {
  const r = semanticRulesSchema.safeParse(raw);
  if (!r.success) {
    const msgs = r.error.issues.map((i) => `${source}: ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(msgs.join('\n'));
  }
  const d = r.data;
  const errors: string[] = [];
  const items = new Set(d.items);
  const mats = new Set(d.materials);
  const achs = new Set(d.achievements);
  for (const s of d.stations) if (!mats.has(s)) errors.push(`${source}: stations: "${s}" is not a material`);
  d.recipes.forEach((rc, i) => {
    const at = `${source}: recipes[${i}] (${rc.name})`;
    for (const k of [...Object.keys(rc.consumes), ...Object.keys(rc.tools), ...Object.keys(rc.produces)]) {
      if (!items.has(k)) errors.push(`${at}: unknown item "${k}"`);
    }
    for (const m of [...rc.nearby, ...(rc.source ? [rc.source] : []), ...(rc.places ? [rc.places] : [])]) {
      if (!mats.has(m)) errors.push(`${at}: unknown material "${m}"`);
    }
    if (rc.achievement && !achs.has(rc.achievement)) errors.push(`${at}: achievement "${rc.achievement}" is not listed`);
  });
  const names = new Set<string>();
  for (const rc of d.recipes) {
    if (names.has(rc.name)) errors.push(`${source}: recipe name "${rc.name}" is used twice`);
    names.add(rc.name);
  }
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return Object.freeze(d);
}
