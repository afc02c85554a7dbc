import { Material, ViewCategory } from './materials.js';

/** Cell value of `goalOwner` for a goal that every agent may use. */
export const SHARED_GOAL = -2;
/** Cell value of `goalOwner` for a cell without a goal. */
export const NO_GOAL = -1;

/** What an egocentric view is drawn from. */
export interface ViewSource {
  readonly width: number;
  readonly height: number;
  readonly cells: Uint8Array;
  /** Per cell: {@link NO_GOAL}, {@link SHARED_GOAL}, or the index of the agent owning that goal. */
  readonly goalOwner: Int16Array;
  /** `[x0, y0, x1, y1, ...]` for every possible agent. */
  readonly positions: Int32Array;
  readonly alive: Uint8Array;
}

/**
 * Draws agent `self`'s `size x size` view centred on it into `out` (row-major, row 0 = top): materials as
 * {@link ViewCategory}, out of bounds as wall, other live agents as `agent`, others' goals as `otherGoal`.
 */
export function drawView(src: ViewSource, self: number, size: number, out: Uint8Array): Uint8Array {
  const r = size >> 1;
  const ax = src.positions[2 * self] as number;
  const ay = src.positions[2 * self + 1] as number;
  for (let vy = 0; vy < size; vy++) {
    const y = ay + vy - r;
    for (let vx = 0; vx < size; vx++) {
      const x = ax + vx - r;
      let cat: number;
      if (x < 0 || y < 0 || x >= src.width || y >= src.height) cat = ViewCategory.wall;
      else {
        const i = y * src.width + x;
        cat = src.cells[i] as number;
        if (cat === Material.goal) {
          const owner = src.goalOwner[i] as number;
          cat = owner === SHARED_GOAL || owner === self ? ViewCategory.goal : ViewCategory.otherGoal;
        }
      }
      out[vy * size + vx] = cat;
    }
  }
  for (let j = 0; j < src.alive.length; j++) {
    if (j === self || !src.alive[j]) continue;
    const dx = (src.positions[2 * j] as number) - ax + r;
    const dy = (src.positions[2 * j + 1] as number) - ay + r;
    if (dx >= 0 && dy >= 0 && dx < size && dy < size) out[dy * size + dx] = ViewCategory.agent;
  }
  return out;
}
