import { z } from 'zod';

/** Settings every layout shares. */
const common = {
  /** Number of agents, named `agent_0 .. agent_{n-1}`. */
  agents: z.int().min(1).max(64).default(1),
  /** `shared`: one goal for the team; `each`: one goal per agent (reaching another's goal does nothing). */
  goalMode: z.enum(['shared', 'each']).default('shared'),
  /**
   * With a shared goal: `one` ends the episode for everyone (success) when the first agent arrives; `all` needs
   * every agent to arrive. With `goalMode: 'each'`, success always needs every agent at its own goal.
   */
  teamSuccess: z.enum(['one', 'all']).default('all'),
  /** Side of the square egocentric view, odd so the agent is at its centre. */
  viewSize: z.int().min(3).max(31).refine((v) => v % 2 === 1, 'must be odd').default(7),
  /** Step limit (truncation). Default: 4 x width x height of the generated map. */
  maxSteps: z.int().min(1).optional(),
  /** Subtracted from every live agent's reward every step. 0 keeps the reward sparse. */
  stepPenalty: z.number().min(0).max(1).default(0),
  /** Seed of the environment's own generator until `reset({ seed })` gives another. */
  seed: z.int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
};

const side = (min: number, max: number, dflt: number) => z.int().min(min).max(max).default(dflt);
const oddSide = (min: number, max: number, dflt: number) =>
  z.int().min(min).max(max).refine((v) => v % 2 === 1, 'must be odd (walls sit on even rows and columns)').default(dflt);

/** One room with random obstacles (the free cells always stay connected). */
export const OpenRoomParams = z.strictObject({
  layout: z.literal('open-room'),
  width: side(5, 255, 15),
  height: side(5, 255, 15),
  /** Share of interior cells turned into walls before disconnected pockets are filled in. */
  obstacleDensity: z.number().min(0).max(0.6).default(0.15),
  ...common,
});

/** Four rooms joined by one doorway in each inner wall (Sutton et al.'s four-rooms, MiniGrid's FourRooms). */
export const FourRoomsParams = z.strictObject({
  layout: z.literal('four-rooms'),
  width: side(9, 255, 19),
  height: side(9, 255, 19),
  ...common,
});

/** `rooms` rooms chained by open doors in a random non-overlapping walk; agents start in the first, goals in the last. */
export const MultiRoomParams = z.strictObject({
  layout: z.literal('multi-room'),
  rooms: z.int().min(1).max(16).default(4),
  /** Inner side of each (square) room in cells. */
  roomSize: z.int().min(3).max(15).default(5),
  ...common,
});

/** A perfect maze (one path between any two cells), carved by a randomized depth-first search. */
export const MazeParams = z.strictObject({
  layout: z.literal('maze'),
  width: oddSide(5, 1001, 21),
  height: oddSide(5, 1001, 21),
  ...common,
});

/** A wall splits the room; its one door is locked. The key lies on the agents' side, goals on the other. */
export const KeyDoorParams = z.strictObject({
  layout: z.literal('key-door'),
  width: side(7, 255, 13),
  height: side(5, 255, 9),
  ...common,
});

/** A hand-drawn map (see `generateAscii` for the characters); for tests, tutorials and puzzles. */
export const AsciiParams = z.strictObject({
  layout: z.literal('ascii'),
  /** One string per row, e.g. `['#####', '#0 G#', '#####']`. */
  map: z.array(z.string().min(1)).min(1).max(255).default(['#######', '#0    #', '#     #', '#    G#', '#######']),
  ...common,
});

export const NavigationConfigSchema = z.discriminatedUnion('layout', [OpenRoomParams, FourRoomsParams, MultiRoomParams, MazeParams, KeyDoorParams, AsciiParams]);

/** A validated, frozen navigation config. */
export type NavigationConfig = Readonly<z.output<typeof NavigationConfigSchema>>;
/** What a user may write: every field but `layout` has a default. */
export type NavigationConfigInput = z.input<typeof NavigationConfigSchema>;
export type LayoutName = NavigationConfig['layout'];

/** Names of the navigation layouts; all but `ascii` (a hand-drawn map) are generated from the seed. */
export const LAYOUTS: readonly LayoutName[] = Object.freeze(['open-room', 'four-rooms', 'multi-room', 'maze', 'key-door', 'ascii']);
/** The layouts generated from the seed. */
export const GENERATED_LAYOUTS: readonly LayoutName[] = Object.freeze(['open-room', 'four-rooms', 'multi-room', 'maze', 'key-door']);

/** Thrown for an invalid config; the message names each bad field, what it got, and what is allowed. */
export class NavigationConfigError extends Error {
  override readonly name = 'NavigationConfigError';
}

/**
 * Validates a navigation config and fills in defaults.
 * @throws NavigationConfigError naming the field, the value given and what is allowed, e.g.
 *   `invalid navigation config: width = 20: must be odd (walls sit on even rows and columns)`.
 */
export function parseNavigationConfig(input: unknown, source = 'navigation config'): NavigationConfig {
  const layout = (input as { layout?: unknown } | null)?.layout;
  if (typeof input === 'object' && input !== null && !LAYOUTS.includes(layout as LayoutName)) {
    throw new NavigationConfigError(`invalid ${source}: layout = ${JSON.stringify(layout)}: expected one of ${LAYOUTS.join(', ')}`);
  }
  const res = NavigationConfigSchema.safeParse(input);
  if (!res.success) {
    const lines = res.error.issues.map((issue) => {
      const path = issue.path.join('.') || '(root)';
      let got = input as unknown;
      for (const key of issue.path) got = (got as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
      const shown = issue.code === 'unrecognized_keys' ? '' : ` = ${JSON.stringify(got)}`;
      return `${path}${shown}: ${issue.message}`;
    });
    throw new NavigationConfigError(`invalid ${source}: ${lines.join('; ')}`);
  }
  return Object.freeze(res.data);
}
