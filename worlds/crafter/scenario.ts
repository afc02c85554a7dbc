import { z } from 'zod';
import { Rng } from '../../core/rng.js';
import type { AgentId } from '../../core/parallel-env.js';
import { CrafterEnv } from './crafter-env.js';
import { loadRules } from './rules.js';
import type { CrafterRules } from './rules.js';
import { Kind } from './world-store.js';

/**
 * Scenarios for differential tests against the reference: a hand-made map, one player, some creatures, and the
 * reference's recorded step records. Coordinates are the reference's `[x, y]`; `materials[y][x]` is the char of
 * cell (x, y).
 */
const xy = z.tuple([z.number().int(), z.number().int()]);
const record = z.object({
  pos: xy,
  facing: xy,
  sleeping: z.boolean(),
  inventory: z.record(z.string(), z.number()),
  achievements: z.array(z.string()),
  done: z.boolean().optional(),
});
export const scenarioSchema = z.object({
  name: z.string(),
  area: xy,
  materials: z.array(z.string()),
  legend: z.record(z.string().length(1), z.string()),
  player: z.object({
    pos: xy,
    facing: xy,
    inventory: z.record(z.string(), z.number().int()).optional(),
    vitals: z.object({ health: z.number().int(), food: z.number().int(), drink: z.number().int(), energy: z.number().int() }).partial().optional(),
  }),
  objects: z.array(z.object({
    kind: z.enum(['cow', 'zombie', 'skeleton', 'plant']),
    pos: xy,
    health: z.number().int().optional(),
    /** Plant growth, zombie cooldown or skeleton reload (optional, 0 by default). */
    counter: z.number().int().optional(),
  })),
  balance: z.boolean(),
  daylight: z.boolean(),
  overrides: z.record(z.string(), z.unknown()).optional(),
  steps: z.array(record.extend({ action: z.string(), reward: z.number() })).optional(),
  initial: record.optional(),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioStep = NonNullable<Scenario['steps']>[number];

export interface LoadScenarioOptions {
  /** Compiled rules to use as they are; by default the `crafter` rules with the scenario's `overrides`. */
  readonly rules?: CrafterRules;
  /** Seed of the environment's generator (default 0): drives creature moves and collect probabilities. */
  readonly seed?: number;
}

/** A ready single-player CrafterEnv: reset done, the scenario's world, player and creatures in place. */
export function loadScenario(input: unknown, opts: LoadScenarioOptions = {}): CrafterEnv {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    const name = typeof input === 'object' && input !== null && 'name' in input ? String((input as { name: unknown }).name) : '<scenario>';
    throw new Error(`scenario ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const sc = parsed.data;
  const where = `scenario ${sc.name}`;
  const overrides: Record<string, unknown> = { ...(sc.overrides ?? {}) };
  const base = loadRules();
  if (sc.area[0] !== base.data.world.area[0] || sc.area[1] !== base.data.world.area[1]) overrides['world.area'] = sc.area;
  const rules = opts.rules ?? loadRules({ overrides });
  const env = new CrafterEnv({ players: 1, rules });
  const e = env.engine;
  const seed = opts.seed ?? 0;
  env.reset({ seed });
  const st = e.store;
  if (st.width !== sc.area[0] || st.height !== sc.area[1]) throw new Error(`${where}: area [${sc.area}] does not match the rules' area [${st.width}, ${st.height}]`);
  e.resetPlayers([sc.player.pos], Rng.fromSeed(seed).fork('scenario'));
  if (sc.materials.length !== sc.area[1]) throw new Error(`${where}: materials has ${sc.materials.length} rows, area needs ${sc.area[1]}`);
  sc.materials.forEach((row, y) => {
    if (row.length !== sc.area[0]) throw new Error(`${where}: materials[${y}] has ${row.length} chars, area needs ${sc.area[0]}`);
    for (let x = 0; x < row.length; x++) {
      const name = sc.legend[row[x]!];
      const id = name === undefined ? undefined : rules.materialId[name];
      if (id === undefined) throw new Error(`${where}: materials[${y}][${x}] = "${row[x]}" is not a known material in legend`);
      st.setMaterial(x, y, id);
    }
  });
  e.facingX[0] = sc.player.facing[0];
  e.facingY[0] = sc.player.facing[1];
  for (const [item, n] of Object.entries({ ...(sc.player.inventory ?? {}), ...(sc.player.vitals ?? {}) })) {
    const i = rules.itemIndex[item];
    if (i === undefined) throw new Error(`${where}: player inventory names unknown item "${item}"`);
    e.inv[i] = n;
  }
  e.lastHealth[0] = e.health(0);
  const kinds = { cow: Kind.cow, zombie: Kind.zombie, skeleton: Kind.skeleton, plant: Kind.plant } as const;
  sc.objects.forEach((o, i) => {
    if (!st.inside(o.pos[0], o.pos[1]) || st.objectAt(o.pos[0], o.pos[1]) >= 0) throw new Error(`${where}: objects[${i}] at [${o.pos}] is outside the map or on another object`);
    const s = e.spawn(kinds[o.kind], o.pos[0], o.pos[1], o.health);
    st.counter[s] = o.counter ?? 0;
  });
  e.balanceEnabled = sc.balance;
  e.daylightEnabled = sc.daylight;
  e.updateDaylight();
  env.afterReset();
  return env;
}

/** What the reference records per step for its player. `inventory` holds every item including the vitals. */
export interface PlayerSnapshot {
  readonly pos: [number, number];
  readonly facing: [number, number];
  readonly sleeping: boolean;
  readonly inventory: Record<string, number>;
  readonly achievements: string[];
}

export function playerSnapshot(env: CrafterEnv, agent: AgentId = env.possibleAgents[0]!): PlayerSnapshot {
  const p = env.indexOf(agent);
  if (p < 0) throw new RangeError(`unknown agent "${agent}"`);
  const e = env.engine;
  const s = e.slot[p]!;
  const inventory: Record<string, number> = {};
  env.rules.items.forEach((item, i) => (inventory[item] = e.inv[p * e.nItems + i]!));
  return {
    pos: [e.store.x[s]!, e.store.y[s]!],
    facing: [e.facingX[p]!, e.facingY[p]!],
    sleeping: e.sleeping[p] === 1,
    inventory,
    achievements: env.rules.achievements.filter((_, i) => e.ach[p * e.nAch + i]! > 0),
  };
}
