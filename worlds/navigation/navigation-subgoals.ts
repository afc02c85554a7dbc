import { z } from 'zod';
import { SubgoalError, type SubgoalContext, type SubgoalVocabulary } from '../../core/subgoal-vocabulary.js';
import type { Position } from './events.js';
import { ViewCategory } from './materials.js';
import type { NavigationConfig, NavigationConfigInput } from './navigation-config.js';
import { parseNavigationConfig } from './navigation-config.js';
import type { NavigationInfo, NavigationObservation, NavigationState } from './navigation-env.js';

const coord = z.int().min(0).max(1_000_000);

/**
 * Navigation subgoals. `place` and `frontier` name a place of the topological map: the square of `placeSize` x
 * `placeSize` cells whose corner is `(x * placeSize, y * placeSize)` (see {@link placeOf}); a frontier is a place
 * seen but not yet visited, reached the same way. `key`: hold a key; `door`: open a locked door or stand in a
 * doorway; `goal`: reach the goal.
 */
export const NavigationSubgoalSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('place'), x: coord, y: coord }),
  z.strictObject({ kind: z.literal('frontier'), x: coord, y: coord }),
  z.strictObject({ kind: z.literal('key') }),
  z.strictObject({ kind: z.literal('door') }),
  z.strictObject({ kind: z.literal('goal') }),
]);
export type NavigationSubgoal = z.infer<typeof NavigationSubgoalSchema>;
export type NavigationSubgoalKind = NavigationSubgoal['kind'];

/** The place (coarse square) holding `position`. */
export function placeOf(position: ArrayLike<number>, placeSize: number): Position {
  return [Math.floor((position[0] as number) / placeSize), Math.floor((position[1] as number) / placeSize)];
}

/** Subgoal kinds a layout offers: keys exist only where keys are drawn, doors only where rooms have doors. */
function kindsFor(config: NavigationConfig): NavigationSubgoalKind[] {
  const kinds: NavigationSubgoalKind[] = ['place', 'frontier'];
  const ascii = config.layout === 'ascii' ? config.map.join('') : '';
  if (config.layout === 'key-door' || ascii.includes('k')) kinds.push('key');
  if (config.layout === 'key-door' || config.layout === 'multi-room' || /[D/]/.test(ascii)) kinds.push('door');
  kinds.push('goal');
  return kinds;
}

/** The navigation world's {@link SubgoalVocabulary}, with its place size. */
export interface NavigationSubgoals extends SubgoalVocabulary<NavigationSubgoal, NavigationObservation, NavigationInfo, NavigationState> {
  readonly kinds: readonly NavigationSubgoalKind[];
  readonly placeSize: number;
}

/**
 * The subgoals a navigation world offers, from its config: places and frontiers of the topological map (squares
 * of `placeSize` cells), then key and door where the layout has them, and the goal.
 *
 * @example
 * const vocab = navigationSubgoals({ layout: 'multi-room', rooms: 4 }, 3);
 * vocab.parse({ kind: 'key' }); // SubgoalError: navigation (multi-room) offers no subgoal "key"; it offers place, frontier, door, goal
 */
export function navigationSubgoals(config: NavigationConfigInput | NavigationConfig, placeSize = 3): NavigationSubgoals {
  const cfg = parseNavigationConfig(config);
  if (!Number.isInteger(placeSize) || placeSize < 1) throw new RangeError(`placeSize must be a positive integer, got ${placeSize}`);
  const kinds = Object.freeze(kindsFor(cfg));
  const world = `navigation (${cfg.layout})`;
  return Object.freeze({
    world,
    kinds,
    placeSize,
    parse(input: unknown): NavigationSubgoal {
      const kind = (input as { kind?: unknown } | null)?.kind;
      if (typeof kind !== 'string' || !kinds.includes(kind as NavigationSubgoalKind)) {
        throw new SubgoalError(`${world} offers no subgoal ${JSON.stringify(kind)}; it offers ${kinds.join(', ')}`);
      }
      const res = NavigationSubgoalSchema.safeParse(input);
      if (!res.success) {
        const why = res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
        throw new SubgoalError(`invalid ${world} subgoal ${JSON.stringify(input)}: ${why}`);
      }
      return Object.freeze(res.data);
    },
    isReached(subgoal: NavigationSubgoal, ctx: SubgoalContext<NavigationObservation, NavigationInfo, NavigationState>): boolean {
      return isNavigationSubgoalReached(subgoal, ctx, placeSize);
    },
    describe: describeNavigationSubgoal,
  });
}

/** `place:3,4`, `frontier:0,2`, `key`, `door`, `goal`. */
export function describeNavigationSubgoal(s: NavigationSubgoal): string {
  return s.kind === 'place' || s.kind === 'frontier' ? `${s.kind}:${s.x},${s.y}` : s.kind;
}

/** Whether `subgoal` holds for `ctx.agent` after the step in `ctx` (events first, then the observation). */
export function isNavigationSubgoalReached(subgoal: NavigationSubgoal, ctx: SubgoalContext<NavigationObservation, NavigationInfo>, placeSize: number): boolean {
  const mine = (type: string) => ctx.events.some((e) => e.type === type && (e.data as { agent?: unknown } | undefined)?.agent === ctx.agent);
  const obs = ctx.observation;
  switch (subgoal.kind) {
    case 'place':
    case 'frontier': {
      const [px, py] = placeOf(obs.position, placeSize);
      return px === subgoal.x && py === subgoal.y;
    }
    case 'key':
      return mine('keyPicked') || obs.hasKey[0] === 1;
    case 'door': {
      // The view's centre shows the material under the agent: an open door (a multi-room doorway or a door it opened).
      const centre = obs.view[obs.view.length >> 1];
      return mine('doorOpened') || centre === ViewCategory.doorOpen;
    }
    case 'goal':
      return mine('goalReached');
  }
}
