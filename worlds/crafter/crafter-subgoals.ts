import { z } from 'zod';
import { SubgoalError, type SubgoalContext, type SubgoalVocabulary } from '../../core/subgoal-vocabulary.js';
import type { CrafterInfo, CrafterState } from './crafter-env.js';
import type { SymbolicObservation } from './observation.js';
import type { CrafterRules } from './rules.js';

/**
 * Crafter subgoals: `collect` an item (what a `collect` recipe gives: wood, stone, drink, ...), `place` a material
 * or object, `make` a tool, or `goto` a place: the square of `placeSize` x `placeSize` cells whose corner is
 * `(x * placeSize, y * placeSize)`.
 */
export type CrafterSubgoal =
  | { readonly kind: 'collect'; readonly item: string }
  | { readonly kind: 'place'; readonly what: string }
  | { readonly kind: 'make'; readonly item: string }
  | { readonly kind: 'goto'; readonly x: number; readonly y: number };

/** The Crafter {@link SubgoalVocabulary} of one ruleset, with the names it offers per kind. */
export interface CrafterSubgoals extends SubgoalVocabulary<CrafterSubgoal, SymbolicObservation, CrafterInfo, CrafterState> {
  readonly collect: readonly string[];
  readonly place: readonly string[];
  readonly make: readonly string[];
  readonly placeSize: number;
  /** Every collect, place and make subgoal (not the places), in rules order: a learned manager's action set. */
  readonly tasks: readonly CrafterSubgoal[];
  readonly schema: z.ZodType<CrafterSubgoal>;
}

/**
 * The subgoals a ruleset offers, read from its recipes (a variant's rules give a different vocabulary, with no
 * code change): collect X for every item a `collect` recipe gives, place X and make X for every recipe.
 * `goto` is reached when the player stands in the place: the position comes from the world state (Crafter's
 * observation is egocentric), so `isReached` needs `ctx.worldState` for it.
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
  const name = (list: string[]) => z.string().refine((v) => list.includes(v), { error: (i) => `offers no ${String(i.input)}` });
  const coord = z.int().min(0).max(1_000_000);
  const schema = z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('collect'), item: name(collect) }),
    z.strictObject({ kind: z.literal('place'), what: name(place) }),
    z.strictObject({ kind: z.literal('make'), item: name(make) }),
    z.strictObject({ kind: z.literal('goto'), x: coord, y: coord }),
  ]) as unknown as z.ZodType<CrafterSubgoal>;
  const kinds = Object.freeze(['collect', 'place', 'make', 'goto']);
  const offered: Record<string, readonly string[]> = { collect, place, make };
  const tasks: CrafterSubgoal[] = [
    ...collect.map((item) => ({ kind: 'collect', item }) as const),
    ...place.map((what) => ({ kind: 'place', what }) as const),
    ...make.map((item) => ({ kind: 'make', item }) as const),
  ];
  return Object.freeze({
    world: 'crafter',
    kinds,
    collect: Object.freeze(collect),
    place: Object.freeze(place),
    make: Object.freeze(make),
    placeSize,
    tasks: Object.freeze(tasks.map((t) => Object.freeze(t))),
    schema,
    parse(input: unknown): CrafterSubgoal {
      const kind = (input as { kind?: unknown } | null)?.kind;
      if (typeof kind !== 'string' || !kinds.includes(kind)) throw new SubgoalError(`crafter offers no subgoal ${JSON.stringify(kind)}; it offers ${kinds.join(', ')}`);
      const res = schema.safeParse(input);
      if (!res.success) {
        const names = offered[kind];
        const what = (input as Record<string, unknown>)[kind === 'place' ? 'what' : 'item'];
        if (names && typeof what === 'string' && !names.includes(what)) {
          throw new SubgoalError(`crafter offers no ${kind} ${JSON.stringify(what)}; it offers ${names.join(', ')}`);
        }
        const why = res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
        throw new SubgoalError(`invalid crafter subgoal ${JSON.stringify(input)}: ${why}`);
      }
      return Object.freeze(res.data);
    },
    isReached(subgoal: CrafterSubgoal, ctx: SubgoalContext<SymbolicObservation, CrafterInfo, CrafterState>): boolean {
      return isCrafterSubgoalReached(subgoal, ctx, placeSize);
    },
    describe: describeCrafterSubgoal,
  });
}

/** `collect:wood`, `place:table`, `make:wood_pickaxe`, `goto:3,4`. */
export function describeCrafterSubgoal(s: CrafterSubgoal): string {
  switch (s.kind) {
    case 'collect':
    case 'make':
      return `${s.kind}:${s.item}`;
    case 'place':
      return `place:${s.what}`;
    case 'goto':
      return `goto:${s.x},${s.y}`;
  }
}

/** Whether the step in `ctx` reached `subgoal` for `ctx.agent`: from the world's collect/place/make events, or its position. */
export function isCrafterSubgoalReached(subgoal: CrafterSubgoal, ctx: SubgoalContext<SymbolicObservation, CrafterInfo, CrafterState>, placeSize: number): boolean {
  const mine = ctx.events.filter((e) => (e.data as { agent?: unknown } | undefined)?.agent === ctx.agent);
  switch (subgoal.kind) {
    case 'collect':
      return mine.some((e) => e.type === 'collect' && ((e.data as { items: Record<string, number> }).items[subgoal.item] ?? 0) > 0);
    case 'place':
      return mine.some((e) => e.type === 'place' && (e.data as { name: string }).name === subgoal.what);
    case 'make':
      return mine.some((e) => e.type === 'make' && (e.data as { item: string }).item === subgoal.item);
    case 'goto': {
      if (!ctx.worldState) throw new SubgoalError('crafter goto subgoals need ctx.worldState: the observation does not hold the position');
      const me = ctx.worldState().players.find((p) => p.agent === ctx.agent);
      return me !== undefined && Math.floor(me.pos[0] / placeSize) === subgoal.x && Math.floor(me.pos[1] / placeSize) === subgoal.y;
    }
  }
}
