/**
 * Crafter's rules as plain semantic data for the knowledge graph (memory/semantic-rules.ts validates the shape;
 * worlds do not import memory, so the shape is repeated here as a type).
 */
import type { RulesData } from './rules-schema.js';

export interface CrafterSemanticRules {
  items: string[];
  materials: string[];
  stations: string[];
  creatures: string[];
  achievements: string[];
  recipes: {
    name: string;
    kind: 'collect' | 'place' | 'make';
    consumes: Record<string, number>;
    tools: Record<string, number>;
    nearby: string[];
    source?: string;
    produces: Record<string, number>;
    places?: string;
    achievement?: string;
  }[];
}

/** Collect, place and make recipes of a loaded ruleset (`loadRules().data`), named after their actions. */
export function crafterSemanticRules(data: RulesData): CrafterSemanticRules {
  const recipes: CrafterSemanticRules['recipes'] = [];
  const achievements = new Set(data.achievements);
  const stations = new Set<string>();
  for (const [material, c] of Object.entries(data.collect)) {
    for (const [item, n] of Object.entries(c.receive)) {
      // Drinking water restores a vital stat rather than giving a craftable item; it is still a recipe with an achievement.
      recipes.push({
        name: `collect_${item}`, kind: 'collect', consumes: {}, tools: { ...c.require }, nearby: [], source: material,
        produces: { [item]: n }, ...(achievements.has(`collect_${item}`) ? { achievement: `collect_${item}` } : {}),
      });
    }
  }
  for (const [thing, p] of Object.entries(data.place)) {
    for (const m of p.nearby ?? []) stations.add(m);
    if (p.type !== 'material') continue; // a plant is an object, not a map material
    recipes.push({
      name: `place_${thing}`, kind: 'place', consumes: { ...p.uses }, tools: {}, nearby: [...(p.nearby ?? [])],
      produces: {}, places: thing, ...(achievements.has(`place_${thing}`) ? { achievement: `place_${thing}` } : {}),
    });
  }
  for (const [item, m] of Object.entries(data.make)) {
    for (const s of m.nearby) stations.add(s);
    recipes.push({
      name: `make_${item}`, kind: 'make', consumes: { ...m.uses }, tools: {}, nearby: [...m.nearby],
      produces: { [item]: m.gives }, ...(achievements.has(`make_${item}`) ? { achievement: `make_${item}` } : {}),
    });
  }
  return {
    items: Object.keys(data.items),
    materials: [...data.materials],
    stations: [...stations].sort(),
    creatures: ['cow', 'zombie', 'skeleton'],
    achievements: [...data.achievements],
    recipes,
  };
}
