import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { crossCheck, rulesSchema } from './rules-schema.js';
import type { RulesData } from './rules-schema.js';

export type { RulesData } from './rules-schema.js';

/** Built-in rulesets: `crafter` is the faithful reference (PyPI crafter 1.8.3), `mac` the DAMCS multi-agent variant. */
export type RulesetName = 'crafter' | 'mac';

const RULES_DIR = fileURLToPath(new URL('.', import.meta.url));
const FILES: Record<RulesetName, string[]> = { crafter: ['rules.yaml'], mac: ['rules.yaml', 'rules.mac.yaml'] };

/** A rules file (or overlay) that failed to parse or validate; the message names the file and the path inside it. */
export class RulesError extends Error {
  override readonly name = 'RulesError';
}

export type ActionKind = 'noop' | 'move' | 'do' | 'sleep' | 'place' | 'make';

/** A recipe with item names resolved to inventory indices: `[item, amount, item, amount, ...]`. */
export type ItemAmounts = Int32Array;

export interface CollectRecipe {
  readonly require: ItemAmounts;
  readonly receive: ItemAmounts;
  /** Achievement index unlocked per received item, aligned with `receive` pairs. */
  readonly achievements: Int32Array;
  readonly leaves: number;
  readonly probability: number;
  readonly resets: 'hunger' | 'thirst' | 'fatigue' | null;
}
export interface PlaceRecipe {
  readonly name: string;
  readonly uses: ItemAmounts;
  /** where[materialId] === 1 when the target cell may hold that material. */
  readonly where: Uint8Array;
  readonly type: 'material' | 'object';
  readonly material: number;
  readonly nearby: Int32Array;
  readonly achievement: number;
}
export interface MakeRecipe {
  readonly name: string;
  readonly item: number;
  readonly uses: ItemAmounts;
  readonly nearby: Int32Array;
  readonly gives: number;
  readonly achievement: number;
}

/**
 * Validated, frozen rules with names resolved to small integers for the engine. Material id 0 means "outside the
 * map / nothing" (the reference's `None`); materials are 1..N in file order; items and achievements are indexed in
 * file order (the reference's inventory order).
 */
export interface CrafterRules {
  readonly data: RulesData;
  /** Files the rules came from, for messages. */
  readonly sources: readonly string[];
  readonly materials: readonly string[];
  readonly materialId: Readonly<Record<string, number>>;
  readonly items: readonly string[];
  readonly itemIndex: Readonly<Record<string, number>>;
  readonly itemMax: Int32Array;
  readonly itemInitial: Int32Array;
  readonly achievements: readonly string[];
  readonly achievementIndex: Readonly<Record<string, number>>;
  readonly actions: readonly string[];
  readonly actionKind: readonly ActionKind[];
  /** Move direction per action (dx, dy), zeros for non-moves. */
  readonly actionDx: Int8Array;
  readonly actionDy: Int8Array;
  readonly placeByAction: readonly (PlaceRecipe | null)[];
  readonly makeByAction: readonly (MakeRecipe | null)[];
  readonly collectByMaterial: readonly (CollectRecipe | null)[];
  /** walk[materialId] === 1 when creatures (cow, zombie, skeleton) may enter. */
  readonly walkCreature: Uint8Array;
  readonly walkPlayer: Uint8Array;
  readonly walkArrow: Uint8Array;
  readonly arrowBreaks: Uint8Array;
  /** [itemIndex, damage, ...] for weapons. */
  readonly weapons: Float64Array;
  readonly shareItems: Int32Array;
  readonly vital: { readonly health: number; readonly food: number; readonly drink: number; readonly energy: number };
}

/** Objects merge key by key; arrays and scalars replace. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (isRecord(base) && isRecord(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
    return out;
  }
  return over;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Set a value at a dotted path (`collect.grass.probability`) in raw rules data. For the reference's habit of naming
 * a collect rule by what it gives, `collect.sapling.x` is read as the collect rule that receives `sapling`.
 */
export function applyOverride(raw: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  if (parts[0] === 'collect' && parts.length > 1 && isRecord(raw.collect) && !(parts[1]! in raw.collect)) {
    const byItem = Object.entries(raw.collect).filter(([, r]) => isRecord(r) && isRecord(r.receive) && parts[1]! in r.receive);
    if (byItem.length === 1) parts[1] = byItem[0]![0];
  }
  let node: Record<string, unknown> = raw;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = node[parts[i]!];
    if (!isRecord(next)) throw new RulesError(`override "${path}": "${parts.slice(0, i + 1).join('.')}" is not a section of the rules`);
    node = next;
  }
  node[parts[parts.length - 1]!] = value;
}

export interface LoadRulesOptions {
  /** Built-in ruleset (default `crafter`). */
  readonly ruleset?: RulesetName;
  /** Extra overlay files (YAML), merged after the ruleset's own files. */
  readonly overlays?: readonly string[];
  /** Dotted-path overrides applied last (e.g. `{ 'collect.grass.probability': 1 }`). */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

const cache = new Map<string, CrafterRules>();

/** Load, merge, validate and compile rules. Results without overlays/overrides are cached (they are frozen). */
export function loadRules(opts: LoadRulesOptions = {}): CrafterRules {
  const ruleset = opts.ruleset ?? 'crafter';
  const files = [...FILES[ruleset].map((f) => RULES_DIR + f), ...(opts.overlays ?? [])];
  const key = JSON.stringify([files, opts.overrides ?? {}]);
  const hit = cache.get(key);
  if (hit) return hit;
  let raw: unknown = {};
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new RulesError(`${file}: cannot read rules: ${(e as Error).message}`);
    }
    raw = deepMerge(raw, parsed);
  }
  for (const [path, value] of Object.entries(opts.overrides ?? {})) applyOverride(raw as Record<string, unknown>, path, value);
  const rules = compileRules(raw, files);
  cache.set(key, rules);
  return rules;
}

/** Validate raw rules data (already merged) and compile it. `sources` name the files in error messages. */
export function compileRules(raw: unknown, sources: readonly string[] = ['<rules>']): CrafterRules {
  const where = sources.join(' + ');
  const parsed = rulesSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new RulesError(`${where}: invalid rules:\n${lines.join('\n')}`);
  }
  const d = parsed.data;
  const problems = crossCheck(d);
  if (problems.length) throw new RulesError(`${where}: invalid rules:\n${problems.map((p) => `  ${p}`).join('\n')}`);

  const materials = d.materials;
  const materialId: Record<string, number> = {};
  materials.forEach((m, i) => (materialId[m] = i + 1));
  const items = Object.keys(d.items);
  const itemIndex: Record<string, number> = {};
  items.forEach((m, i) => (itemIndex[m] = i));
  const achievementIndex: Record<string, number> = {};
  d.achievements.forEach((a, i) => (achievementIndex[a] = i));
  const amounts = (rec: Record<string, number>) => Int32Array.from(Object.entries(rec).flatMap(([k, v]) => [itemIndex[k]!, v]));
  const matMask = (names: readonly string[]) => {
    const m = new Uint8Array(materials.length + 1);
    for (const n of names) m[materialId[n]!] = 1;
    return m;
  };
  const moves: Record<string, [number, number]> = { move_left: [-1, 0], move_right: [1, 0], move_up: [0, -1], move_down: [0, 1] };
  const actionKind: ActionKind[] = [];
  const actionDx = new Int8Array(d.actions.length);
  const actionDy = new Int8Array(d.actions.length);
  const placeByAction: (PlaceRecipe | null)[] = [];
  const makeByAction: (MakeRecipe | null)[] = [];
  d.actions.forEach((a, i) => {
    placeByAction.push(null);
    makeByAction.push(null);
    if (a in moves) {
      actionKind.push('move');
      actionDx[i] = moves[a]![0];
      actionDy[i] = moves[a]![1];
    } else if (a.startsWith('place_')) {
      const n = a.slice(6);
      const p = d.place[n]!;
      actionKind.push('place');
      placeByAction[i] = Object.freeze({
        name: n, uses: amounts(p.uses), where: matMask(p.where), type: p.type, material: materialId[n] ?? 0,
        nearby: Int32Array.from((p.nearby ?? []).map((m) => materialId[m]!)), achievement: achievementIndex[`place_${n}`]!,
      });
    } else if (a.startsWith('make_')) {
      const n = a.slice(5);
      const m = d.make[n]!;
      actionKind.push('make');
      makeByAction[i] = Object.freeze({
        name: n, item: itemIndex[n]!, uses: amounts(m.uses), nearby: Int32Array.from(m.nearby.map((x) => materialId[x]!)),
        gives: m.gives, achievement: achievementIndex[`make_${n}`]!,
      });
    } else if (a === 'noop' || a === 'do' || a === 'sleep') actionKind.push(a);
    else throw new RulesError(`${where}: actions[${i}]: unknown action "${a}" (expected noop, move_*, do, sleep, place_*, make_*)`);
  });
  const collectByMaterial: (CollectRecipe | null)[] = new Array(materials.length + 1).fill(null);
  for (const [m, c] of Object.entries(d.collect)) {
    collectByMaterial[materialId[m]!] = Object.freeze({
      require: amounts(c.require), receive: amounts(c.receive),
      achievements: Int32Array.from(Object.keys(c.receive).map((i) => achievementIndex[`collect_${i}`]!)),
      leaves: materialId[c.leaves]!, probability: c.probability ?? 1, resets: c.resets ?? null,
    });
  }
  const rules: CrafterRules = {
    data: deepFreeze(d),
    sources: Object.freeze([...sources]),
    materials: Object.freeze([...materials]),
    materialId: Object.freeze(materialId),
    items: Object.freeze(items),
    itemIndex: Object.freeze(itemIndex),
    itemMax: Int32Array.from(items.map((i) => d.items[i]!.max)),
    itemInitial: Int32Array.from(items.map((i) => d.items[i]!.initial)),
    achievements: Object.freeze([...d.achievements]),
    achievementIndex: Object.freeze(achievementIndex),
    actions: Object.freeze([...d.actions]),
    actionKind: Object.freeze(actionKind),
    actionDx,
    actionDy,
    placeByAction: Object.freeze(placeByAction),
    makeByAction: Object.freeze(makeByAction),
    collectByMaterial: Object.freeze(collectByMaterial),
    walkCreature: matMask(d.walkable),
    walkPlayer: matMask([...d.walkable, ...d.walkableExtra.player]),
    walkArrow: matMask([...d.walkable, ...d.walkableExtra.arrow]),
    arrowBreaks: matMask(d.creatures.arrow.breaks),
    weapons: Float64Array.from(Object.entries(d.combat.weapons).flatMap(([k, v]) => [itemIndex[k]!, v])),
    shareItems: Int32Array.from(d.share.enabled ? d.share.items.map((i) => itemIndex[i]!) : []),
    vital: Object.freeze({ health: itemIndex.health!, food: itemIndex.food!, drink: itemIndex.drink!, energy: itemIndex.energy! }),
  };
  return Object.freeze(rules);
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
