import { DIRS, Id } from './local-map.js';
import type { LocalMap } from './local-map.js';
import type { Navigator } from './navigator.js';
import { isOpen } from './shelter.js';

/**
 * Arrow avoidance for the scripted agent. Skeletons shoot along the long axis towards the player from up to 5 cells
 * and arrows fly straight over open cells, so a cell is under fire when a skeleton or an arrow sees it along a row
 * or column with nothing in between. One frame does not tell an arrow's direction: any arrow in line counts.
 */
export function underFire(m: LocalMap, x: number, y: number): boolean {
  for (const [dx, dy] of DIRS) {
    for (let k = 1; k <= 5; k++) {
      const cx = x + dx * k;
      const cy = y + dy * k;
      const o = m.objAt(cx, cy);
      if (o === Id.arrow) return true;
      if (o !== 0 || !isOpen(m.matAt(cx, cy))) break;
    }
  }
  return false;
}

/** A step out of the line of fire (sideways first), or null when not under fire or no free cell is safe. */
export function dodge(nav: Navigator): number | null {
  const m = nav.map;
  if (!underFire(m, m.x, m.y)) return null;
  let best = -1;
  let bestScore = Infinity;
  for (let d = 0; d < 4; d++) {
    const nx = m.x + DIRS[d]![0];
    const ny = m.y + DIRS[d]![1];
    if (!m.free(nx, ny) || underFire(m, nx, ny)) continue;
    // Prefer keeping the current axis of travel perpendicular to the threat: any safe cell will do, the nearest
    // to the facing direction first (fewer turns back to the task).
    const score = d === nav.facing ? 0 : 1;
    if (score < bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best < 0 ? null : nav.moveDir(best);
}
