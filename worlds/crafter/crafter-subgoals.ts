import { z } from 'zod';
import { SubgoalError, type SubgoalContext, type SubgoalVocabulary } from '../../core/subgoal-vocabulary.js';
import type { CrafterInfo, CrafterState } from './crafter-env.js';
import type { SymbolicObservation } from './observation.js';
import type { CrafterRules } from './rules.js';
import { KIND_NAMES } from './world-store.js';

/**
 * Crafter subgoals: `collect` an item (what a `collect` recipe gives: wood, stone, drink, ...), `place` a material
 * or object, `make` a tool, or `goto` a place: the square of `placeSize` x `placeSize` cells whose corner is
 * `(x * placeSize, y * placeSize)`; and the survival subgoals: `eat` a food (cow, plant), `defeat` a creature
 * (zombie, skeleton), `sleep` until awake again, `shelter`: stand sealed in (see {@link sealedIn}).
 */
export type CrafterSubgoal =
  | { readonly kind: 'collect'; readonly item: string }
  | { readonly kind: 'place'; readonly what: string }
  | { readonly kind: 'make'; readonly item: string }
  | { readonly kind: 'goto'; readonly x: number; readonly y: number }
  | { readonly kind: 'eat'; readonly food: string }
  | { readonly kind: 'defeat'; readonly creature: string }
  | { readonly kind: 'sleep' }
  | { readonly kind: 'shelter' };

/** The Crafter {@link SubgoalVocabulary} of one ruleset, with the names it offers per kind. */
export interface CrafterSubgoals extends SubgoalVocabulary<CrafterSubgoal, SymbolicObservation, CrafterInfo, CrafterState> {
  readonly collect: readonly string[];
  readonly place: readonly string[];
  readonly make: readonly string[];
  readonly placeSize: number;
  /** Every collect, place and make subgoal (not the places), in rules order: a learned manager's action set. */
  readonly tasks: readonly CrafterSubgoal[];
  /** Foods to eat, creatures to defeat (read from the `eat_*` / `defeat_*` achievements), and whether sleep is offered. */
  readonly eat: readonly string[];
  readonly defeat: readonly string[];
  /** The survival subgoals (eat X, defeat X, sleep), in that order: slots a manager may add after `tasks`. */
  readonly survival: readonly CrafterSubgoal[];
  readonly schema: z.ZodType<CrafterSubgoal>;
}

/**
 * The subgoals a ruleset offers, read from its recipes (a variant's rules give a different vocabulary, with no
 * code change): collect X for every item a `collect` recipe gives, place X and make X for every recipe.
 * `goto` is reached when the player stands in the place: the position comes from the world state (Crafter's
 * observation is egocentric), so `isReached` needs `ctx.worldState` for it. Survival subgoals come from the
 * achievements (`eat_cow` -> eat cow, `defeat_zombie` -> defeat zombie, `wake_up` -> sleep) and are reached from
 * the world's `eat`, `defeat` and `wakeUp` events.
 *
 * @example
 * const vocab = crafterSubgoals(loadRules());
 * vocab.parse({ kind: 'make', item: 'wood_pickaxe' });
 * vocab.parse({ kind: 'make', item: 'laser' }); // SubgoalError: crafter offers no make "laser"; it offers wood_pickaxe, ...
 */
export function crafterSubgoals(rules: CrafterRules, placeSize = 4): CrafterSubgoals {
  const collect = [...new Set(Object.values(rules.data.collect).flatMap((c) => Object.keys(c.receive)))];
  const place = Object.keys(rules.data.place);
  const make = Object.keys(rules.data.make);
  const suffixes = (prefix: string) => rules.achievements.filter((a) => a.startsWith(prefix)).map((a) => a.slice(prefix.length));
  const eat = suffixes('eat_');
  const defeat = suffixes('defeat_');
  const sleep = rules.achievements.includes('wake_up');
  const name = (list: string[]) => z.string().refine((v) => list.includes(v), { error: (i) => `offers no ${String(i.input)}` });
  const coord = z.int().min(0).max(1_000_000);
  const schema = z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('collect'), item: name(collect) }),
    z.strictObject({ kind: z.literal('place'), what: name(place) }),
    z.strictObject({ kind: z.literal('make'), item: name(make) }),
    z.strictObject({ kind: z.literal('goto'), x: coord, y: coord }),
    z.strictObject({ kind: z.literal('eat'), food: name(eat) }),
    z.strictObject({ kind: z.literal('defeat'), creature: name(defeat) }),
    z.strictObject({ kind: z.literal('sleep') }).refine(() => sleep, { error: 'this ruleset has no sleep (no wake_up achievement)' }),
    z.strictObject({ kind: z.literal('shelter') }),
  ]) as unknown as z.ZodType<CrafterSubgoal>;
  const kinds = Object.freeze(['collect', 'place', 'make', 'goto', 'eat', 'defeat', ...(sleep ? ['sleep'] : []), 'shelter']);
  const offered: Record<string, readonly string[]> = { collect, place, make, eat, defeat };
  const tasks: CrafterSubgoal[] = [
    ...collect.map((item) => ({ kind: 'collect', item }) as const),
    ...place.map((what) => ({ kind: 'place', what }) as const),
    ...make.map((item) => ({ kind: 'make', item }) as const),
  ];
  const survival: CrafterSubgoal[] = [
    ...eat.map((food) => ({ kind: 'eat', food }) as const),
    ...defeat.map((creature) => ({ kind: 'defeat', creature }) as const),
    ...(sleep ? [{ kind: 'sleep' } as const] : []),
  ];
  return Object.freeze({
    world: 'crafter',
    kinds,
    collect: Object.freeze(collect),
    place: Object.freeze(place),
    make: Object.freeze(make),
    placeSize,
    tasks: Object.freeze(tasks.map((t) => Object.freeze(t))),
    eat: Object.freeze(eat),
    defeat: Object.freeze(defeat),
    survival: Object.freeze(survival.map((t) => Object.freeze(t))),
    schema,
    parse(input: unknown): CrafterSubgoal {
      const kind = (input as { kind?: unknown } | null)?.kind;
      if (typeof kind !== 'string' || !kinds.includes(kind)) throw new SubgoalError(`crafter offers no subgoal ${JSON.stringify(kind)}; it offers ${kinds.join(', ')}`);
      const res = schema.safeParse(input);
      if (!res.success) {
        const names = offered[kind];
        const what = (input as Record<string, unknown>)[FIELD[kind] ?? 'item'];
        if (names && typeof what === 'string' && !names.includes(what)) {
          throw new SubgoalError(`crafter offers no ${kind} ${JSON.stringify(what)}; it offers ${names.join(', ')}`);
        }
        const why = res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
        throw new SubgoalError(`invalid crafter subgoal ${JSON.stringify(input)}: ${why}`);
      }
      return Object.freeze(res.data);
    },
    isReached(subgoal: CrafterSubgoal, ctx: SubgoalContext<SymbolicObservation, CrafterInfo, CrafterState>): boolean {
      return isCrafterSubgoalReached(subgoal, ctx, placeSize, rules);
    },
    describe: describeCrafterSubgoal,
  });
}

const FIELD: Record<string, string> = { place: 'what', eat: 'food', defeat: 'creature' };

/** `collect:wood`, `place:table`, `make:wood_pickaxe`, `goto:3,4`, `eat:cow`, `defeat:zombie`, `sleep`, `shelter`. */
export function describeCrafterSubgoal(s: CrafterSubgoal): string {
  switch (s.kind) {
    case 'collect':
    case 'make':
      return `${s.kind}:${s.item}`;
    case 'place':
      return `place:${s.what}`;
    case 'goto':
      return `goto:${s.x},${s.y}`;
    case 'eat':
      return `eat:${s.food}`;
    case 'defeat':
      return `defeat:${s.creature}`;
    case 'sleep':
    case 'shelter':
      return s.kind;
  }
}

/**
 * Whether the step in `ctx` reached `subgoal` for `ctx.agent`: from the world's collect/place/make events, its
 * position, or (`shelter`, which needs `rules`) its observation.
 */
export function isCrafterSubgoalReached(subgoal: CrafterSubgoal, ctx: SubgoalContext<SymbolicObservation, CrafterInfo, CrafterState>, placeSize: number, rules?: CrafterRules): boolean {
  const mine = ctx.events.filter((e) => (e.data as { agent?: unknown } | undefined)?.agent === ctx.agent);
  switch (subgoal.kind) {
    case 'collect':
      return mine.some((e) => e.type === 'collect' && ((e.data as { items: Record<string, number> }).items[subgoal.item] ?? 0) > 0);
    case 'place':
      return mine.some((e) => e.type === 'place' && (e.data as { name: string }).name === subgoal.what);
    case 'make':
      return mine.some((e) => e.type === 'make' && (e.data as { item: string }).item === subgoal.item);
    case 'eat':
      return mine.some((e) => e.type === 'eat' && (e.data as { food: string }).food === subgoal.food);
    case 'defeat':
      return mine.some((e) => e.type === 'defeat' && (e.data as { creature: string }).creature === subgoal.creature);
    case 'sleep':
      return mine.some((e) => e.type === 'wakeUp');
    case 'shelter':
      if (!rules) throw new SubgoalError('crafter shelter subgoals need the rules to read the view');
      return sealedIn(ctx.observation, rules);
    case 'goto': {
      if (!ctx.worldState) throw new SubgoalError('crafter goto subgoals need ctx.worldState: the observation does not hold the position');
      const me = ctx.worldState().players.find((p) => p.agent === ctx.agent);
      return me !== undefined && Math.floor(me.pos[0] / placeSize) === subgoal.x && Math.floor(me.pos[1] / placeSize) === subgoal.y;
    }
  }
}

/**
 * True when the player's view shows it sealed in: the cells it could walk to (walkable materials, and cells where
 * a creature stands) form a pocket of at most `maxCells` cells around it, none of them next to water or lava
 * (arrows fly over both) and none on the view's edge (what lies beyond is unknown). Zombies attack within
 * Manhattan distance 1 only after walking there, so nothing reaches a sealed player but hunger and thirst.
 */
export function sealedIn(obs: SymbolicObservation, rules: CrafterRules, maxCells = 2): boolean {
  const [cols, rows] = rules.data.world.localView;
  const nMat = rules.materials.length;
  const water = rules.materialId.water ?? -1;
  const lava = rules.materialId.lava ?? -1;
  const plant = nMat + KIND_NAMES.indexOf('plant');
  const open = (id: number): boolean => (id >= 1 && id <= nMat ? rules.walkPlayer[id] === 1 : id > nMat && id !== plant);
  const start = (rows >> 1) * cols + (cols >> 1);
  const seen = new Set<number>([start]);
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q]!;
    const r = Math.floor(i / cols);
    const c = i % cols;
    if (r === 0 || c === 0 || r === rows - 1 || c === cols - 1) return false;
    for (const [dc, dr] of [[-1, 0], [1, 0], [0, -1], [0, 1]] as const) {
      const j = (r + dr) * cols + c + dc;
      const id = obs.map[j]!;
      if (id === water || id === lava) return false;
      if (seen.has(j) || !open(id)) continue;
      seen.add(j);
      if (seen.size > maxCells) return false;
      queue.push(j);
    }
  }
  return true;
}
