/**
 * Cell materials of the navigation grid (one byte per cell in `NavigationState.grid`), the categories an agent
 * sees in its egocentric view, and the action ids.
 */

/** What a cell is made of. Stored in a `Uint8Array`, row-major (`index = y * width + x`). */
export const Material = {
  empty: 0,
  wall: 1,
  /** Impassable until an agent holding a key walks into it; then it becomes `doorOpen` for good. */
  doorLocked: 2,
  /** Passable (also used for the doorways of `multi-room`). */
  doorOpen: 3,
  /** Picked up automatically by the first agent that steps on it; the cell becomes `empty`. */
  key: 4,
  /** A goal cell; see `NavigationState.goals` for whose goal it is. */
  goal: 5,
} as const;
export type Material = (typeof Material)[keyof typeof Material];

/** Whether an agent can stand on a cell of this material (a locked door needs a key first). */
export function isPassable(material: number): boolean {
  return material !== Material.wall && material !== Material.doorLocked;
}

/**
 * Category ids in an agent's egocentric view (`observation.view`). The first six equal the materials; out of
 * bounds is shown as `wall`.
 */
export const ViewCategory = {
  empty: 0,
  wall: 1,
  doorLocked: 2,
  doorOpen: 3,
  key: 4,
  /** The shared goal (`goalMode: 'shared'`) or this agent's own goal (`goalMode: 'each'`). */
  goal: 5,
  /** Another agent's goal (`goalMode: 'each'` only); reaching it does nothing. */
  otherGoal: 6,
  /** Another live agent. The centre of the view is the observer itself and shows the material under it. */
  agent: 7,
} as const;
export type ViewCategory = (typeof ViewCategory)[keyof typeof ViewCategory];
export const VIEW_CATEGORY_MAX = 7;

/**
 * Discrete actions. `up` decreases y (row 0 is the top), `left` decreases x. Moving into a wall or a locked door
 * without a key, or into a cell another agent keeps, leaves the agent where it is.
 */
export const Action = { noop: 0, up: 1, down: 2, left: 3, right: 4 } as const;
export type Action = (typeof Action)[keyof typeof Action];
export const ACTION_COUNT = 5;
export const ACTION_NAMES = ['noop', 'up', 'down', 'left', 'right'] as const;

/** Displacement of each action, indexed by action id. */
export const ACTION_DX: readonly number[] = [0, 0, 0, -1, 1];
export const ACTION_DY: readonly number[] = [0, -1, 1, 0, 0];
