import { z } from 'zod';

/**
 * The zod schema of a Crafter rules file (`rules.yaml`, overlays such as `rules.mac.yaml`). The schema is the type:
 * {@link RulesData} is what a validated file holds. Cross-references (an item named in a recipe must exist, ...) are
 * checked in {@link crossCheck} so every error names the path inside the file.
 */
const name = z.string().min(1);
const count = z.number().int().nonnegative();
const prob = z.number().min(0).max(1);
const itemCounts = z.record(name, count);
const pair = z.tuple([z.number().int().positive(), z.number().int().positive()]);
const noiseSizes = z.record(z.string().regex(/^\d+(\.\d+)?$/, 'a noise size (number)'), z.number());

const collectRule = z.strictObject({
  require: itemCounts,
  receive: itemCounts,
  leaves: name,
  probability: prob.optional(),
  resets: z.enum(['hunger', 'thirst', 'fatigue']).optional(),
});
const placeRule = z.strictObject({
  uses: itemCounts,
  where: z.array(name),
  type: z.enum(['material', 'object']),
  nearby: z.array(name).optional(),
});
const makeRule = z.strictObject({ uses: itemCounts, nearby: z.array(name), gives: z.number().int().positive() });

const balanceRule = z.strictObject({
  kind: z.enum(['cow', 'zombie', 'skeleton']),
  material: name,
  spawnDistance: z.number(),
  despawnDistance: z.number(),
  spawnProbability: prob,
  despawnProbability: prob,
  minSpace: z.number(),
  min: z.number(),
  minDaylight: z.number(),
  max: z.number(),
  maxDaylight: z.number(),
});

const noiseLayer = z.strictObject({ z: z.number(), size: z.number().positive(), threshold: z.number() });

export const rulesSchema = z.strictObject({
  world: z.strictObject({
    area: pair,
    chunk: pair,
    view: pair,
    localView: pair,
    updateDistance: z.number().positive(),
    length: z.number().int().positive().nullable(),
    spawnSpacing: z.number().int().positive(),
  }),
  actions: z.array(name).min(1),
  materials: z.array(name).min(1).max(250),
  walkable: z.array(name),
  walkableExtra: z.strictObject({ player: z.array(name), arrow: z.array(name) }),
  items: z.record(name, z.strictObject({ max: count, initial: count })),
  collect: z.record(name, collectRule),
  place: z.record(name, placeRule),
  make: z.record(name, makeRule),
  nearbyDistance: z.number().int().nonnegative(),
  achievements: z.array(name),
  survival: z.strictObject({
    hunger: z.strictObject({ awake: z.number(), asleep: z.number(), threshold: z.number(), item: name }),
    thirst: z.strictObject({ awake: z.number(), asleep: z.number(), threshold: z.number(), item: name }),
    fatigue: z.strictObject({
      awake: z.number(), asleepDecrease: z.number(), threshold: z.number(), restThreshold: z.number(), item: name,
    }),
    recover: z.strictObject({
      awake: z.number(), asleep: z.number(), degenAwake: z.number(), degenAsleep: z.number(),
      threshold: z.number(), degenThreshold: z.number(), item: name,
    }),
    needs: z.array(name),
    sleepNeed: name,
  }),
  combat: z.strictObject({ baseDamage: z.number(), weapons: z.record(name, z.number()) }),
  creatures: z.strictObject({
    cow: z.strictObject({ health: count, moveProbability: prob, food: count, resets: z.enum(['hunger', 'thirst', 'fatigue']) }),
    zombie: z.strictObject({
      health: count, chaseDistance: z.number(), chaseProbability: prob, longAxisProbability: prob,
      attackDistance: z.number(), damage: z.number(), sleepingDamage: z.number(), cooldown: count,
    }),
    skeleton: z.strictObject({
      health: count, retreatDistance: z.number(), retreatLongAxisProbability: prob, shootDistance: z.number(),
      shootProbability: prob, approachDistance: z.number(), approachProbability: prob,
      approachLongAxisProbability: prob, wanderProbability: prob, reload: count,
    }),
    arrow: z.strictObject({ damage: z.number(), breaks: z.array(name), breaksInto: name }),
    plant: z.strictObject({ health: count, ripeAfter: count, food: count, damagedBy: z.array(z.enum(['cow', 'zombie', 'skeleton'])) }),
  }),
  balance: z.strictObject({ enabled: z.boolean(), every: z.number().int().positive(), rules: z.array(balanceRule) }),
  daylight: z.strictObject({ enabled: z.boolean(), period: z.number().positive(), phase: z.number(), power: z.number() }),
  reward: z.strictObject({ healthDivisor: z.number().positive(), achievement: z.number() }),
  worldgen: z.strictObject({
    noiseScale: z.number().positive(),
    spawnRadius: z.number(),
    spawnNoise: z.strictObject({ z: z.number(), sizes: noiseSizes, weight: z.number() }),
    water: z.strictObject({ z: z.number(), sizes: noiseSizes, offset: z.number(), startWeight: z.number() }),
    mountain: z.strictObject({ z: z.number(), sizes: noiseSizes, startWeight: z.number(), waterWeight: z.number(), threshold: z.number() }),
    cave: noiseLayer.extend({ mountain: z.number() }),
    tunnels: noiseLayer.extend({ stretch: z.tuple([z.number(), z.number()]) }),
    coal: noiseLayer.extend({ uniform: prob }),
    iron: noiseLayer.extend({ uniform: prob }),
    diamond: z.strictObject({ mountain: z.number(), uniform: prob }),
    lava: noiseLayer.extend({ mountain: z.number() }),
    sand: noiseLayer.extend({ waterMin: z.number(), waterMax: z.number() }),
    waterThreshold: z.number(),
    tree: noiseLayer.extend({ uniform: prob }),
    cow: z.strictObject({ minDistance: z.number(), uniform: prob }),
    zombie: z.strictObject({ minDistance: z.number(), uniform: prob }),
    skeleton: z.strictObject({ uniform: prob }),
    hostiles: z.boolean(),
  }),
  share: z.strictObject({ enabled: z.boolean(), items: z.array(name) }),
  episode: z.strictObject({ endWhenAnyCollects: name.nullable(), endWhenAllDead: z.boolean() }),
});

export type RulesData = z.infer<typeof rulesSchema>;

/** Problems with names that point nowhere, each as `path: message`. */
export function crossCheck(r: RulesData): string[] {
  const errors: string[] = [];
  const mats = new Set(r.materials);
  const items = new Set(Object.keys(r.items));
  const achievements = new Set(r.achievements);
  const mat = (path: string, m: string) => { if (!mats.has(m)) errors.push(`${path}: unknown material "${m}" (expected one of ${r.materials.join(', ')})`); };
  const item = (path: string, i: string) => { if (!items.has(i)) errors.push(`${path}: unknown item "${i}" (expected one of ${[...items].join(', ')})`); };
  const ach = (path: string, a: string) => { if (!achievements.has(a)) errors.push(`${path}: achievement "${a}" is not listed in achievements`); };
  r.walkable.forEach((m, i) => mat(`walkable[${i}]`, m));
  r.walkableExtra.player.forEach((m, i) => mat(`walkableExtra.player[${i}]`, m));
  r.walkableExtra.arrow.forEach((m, i) => mat(`walkableExtra.arrow[${i}]`, m));
  for (const [k, v] of Object.entries(r.items)) if (v.initial > v.max) errors.push(`items.${k}.initial: ${v.initial} is above max ${v.max}`);
  for (const [m, c] of Object.entries(r.collect)) {
    mat(`collect.${m}`, m);
    mat(`collect.${m}.leaves`, c.leaves);
    for (const i of Object.keys(c.require)) item(`collect.${m}.require.${i}`, i);
    for (const i of Object.keys(c.receive)) { item(`collect.${m}.receive.${i}`, i); ach(`collect.${m}.receive.${i}`, `collect_${i}`); }
  }
  for (const [p, c] of Object.entries(r.place)) {
    if (!r.actions.includes(`place_${p}`)) errors.push(`place.${p}: no action "place_${p}" in actions`);
    ach(`place.${p}`, `place_${p}`);
    if (c.type === 'material') mat(`place.${p}`, p);
    else if (p !== 'plant') errors.push(`place.${p}.type: the only placeable object is "plant"`);
    c.where.forEach((m, i) => mat(`place.${p}.where[${i}]`, m));
    (c.nearby ?? []).forEach((m, i) => mat(`place.${p}.nearby[${i}]`, m));
    for (const i of Object.keys(c.uses)) item(`place.${p}.uses.${i}`, i);
  }
  for (const [p, c] of Object.entries(r.make)) {
    if (!r.actions.includes(`make_${p}`)) errors.push(`make.${p}: no action "make_${p}" in actions`);
    item(`make.${p}`, p);
    ach(`make.${p}`, `make_${p}`);
    c.nearby.forEach((m, i) => mat(`make.${p}.nearby[${i}]`, m));
    for (const i of Object.keys(c.uses)) item(`make.${p}.uses.${i}`, i);
  }
  for (const a of r.actions) {
    if (a.startsWith('place_') && !(a.slice(6) in r.place)) errors.push(`actions: "${a}" has no place.${a.slice(6)} recipe`);
    if (a.startsWith('make_') && !(a.slice(5) in r.make)) errors.push(`actions: "${a}" has no make.${a.slice(5)} recipe`);
  }
  for (const k of ['hunger', 'thirst', 'fatigue', 'recover'] as const) item(`survival.${k}.item`, r.survival[k].item);
  r.survival.needs.forEach((i, n) => item(`survival.needs[${n}]`, i));
  item('survival.sleepNeed', r.survival.sleepNeed);
  for (const w of Object.keys(r.combat.weapons)) item(`combat.weapons.${w}`, w);
  r.creatures.arrow.breaks.forEach((m, i) => mat(`creatures.arrow.breaks[${i}]`, m));
  mat('creatures.arrow.breaksInto', r.creatures.arrow.breaksInto);
  r.balance.rules.forEach((b, i) => mat(`balance.rules[${i}].material`, b.material));
  r.share.items.forEach((i, n) => item(`share.items[${n}]`, i));
  if (r.episode.endWhenAnyCollects !== null) item('episode.endWhenAnyCollects', r.episode.endWhenAnyCollects);
  for (const needed of ['grass', 'sand', 'water', 'stone', 'path', 'tree', 'coal', 'iron', 'diamond', 'lava']) {
    if (!mats.has(needed)) errors.push(`materials: world generation needs material "${needed}"`);
  }
  for (const needed of ['health', 'food', 'drink', 'energy']) if (!items.has(needed)) errors.push(`items: needs the vital "${needed}"`);
  return errors;
}
