import { DIRS, Id, isWalkable } from './local-map.js';
import type { LocalMap } from './local-map.js';
import { faceSearch, search } from './path-planner.js';
import { A } from './navigator.js';
import type { Navigator } from './navigator.js';
import { Inv } from './tech-tree.js';

/**
 * Plant care for the scripted agent: fence a sapling with stones (creatures next to a plant damage it), stay near it
 * (objects only update within 18 cells of a player, so it grows only while we are close) and eat it when ripe.
 */

/** A sapling the agent planted: it grows only while the agent is near (objects update within 18 cells). */
export interface PlantMemo { x: number; y: number; grown: number; nextVisit: number; fenceTries: number }

/** A plant of ours that is (or, by our count of steps spent near it, should be) ripe. */
export function ripePlant(m: LocalMap, plants: readonly PlantMemo[]): PlantMemo | null {
  for (const p of plants) {
    const i = m.idx(p.x, p.y);
    if (m.objStep[i] === m.step) {
      if (m.ripe[i]) return p;
      if (p.grown > 300) p.nextVisit = m.step + 30;
    } else if (p.grown > 300 && m.step >= p.nextVisit) return p;
  }
  return null;
}

/** A cell next to a plant of ours (its fence stones are not to be mined for stone). */
export function isFence(plants: readonly PlantMemo[], x: number, y: number): boolean {
return plants.some((p) => Math.abs(p.x - x) + Math.abs(p.y - y) === 1);
}

/** Block the open sides of the newest plant with stones so that no creature stands next to it. */
export function fencePlant(nav: Navigator, plants: readonly PlantMemo[], inv: Int32Array): number | null {
const m = nav.map;
const p = plants[plants.length - 1];
  if (!p || inv[Inv.stone]! < 2 || !inv[Inv.stone_pickaxe] || p.fenceTries > 60) return null;
  if (Math.abs(p.x - m.x) + Math.abs(p.y - m.y) > 10) return null;
  for (const [dx, dy] of DIRS) {
    const tx = p.x + dx;
    const ty = p.y + dy;
    if (!isWalkable(m.matAt(tx, ty)) || m.objAt(tx, ty) !== 0) continue;
    const moves = faceSearch(m, nav.facing, (_x, _y, fx, fy) => fx === tx && fy === ty, 10);
    if (moves === null) continue;
    p.fenceTries++;
    if (moves.length === 0) return A.place_stone;
    return nav.moveDir(moves[0]!);
  }
  return null;
}

/** Stay within a few cells of the newest plant so that it keeps growing. */
export function camp(nav: Navigator, plants: readonly PlantMemo[], inv: Int32Array): number | null {
const m = nav.map;
const p = plants[plants.length - 1];
  if (!p) return null;
  const d = Math.abs(p.x - m.x) + Math.abs(p.y - m.y);
  if (d <= 6) {
    // Useful chores nearby: stock up stone and wood, else wait.
    if (inv[Inv.stone]! < 9) {
      const a = nav.collectAdjacent((x, y) => m.matAt(x, y) === Id.stone && !isFence(plants, x, y) && Math.abs(x - p.x) + Math.abs(y - p.y) <= 8, 12);
      if (a !== null) return a;
    }
    return A.noop;
  }
  const route = search(m, (x, y) => Math.abs(x - p.x) + Math.abs(y - p.y) <= 4, { mineable: nav.mineable(inv), maxCost: 400 });
  return route ? nav.follow(route) : null;
}
