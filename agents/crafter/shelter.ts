import { DIRS, isWalkable } from './local-map.js';
import type { LocalMap } from './local-map.js';

/**
 * A two-cell sleeping pocket: the agent ends on `n` or `x` (x = n + dir) with every other neighbour blocked.
 * One cell cannot be sealed from inside (facing a free cell means having just come from the opposite side, which
 * stays open), but two cells in a line can: walk m -> n -> x, step back to n (now facing m) and block m.
 */
export interface Pocket {
  readonly nx: number;
  readonly ny: number;
  readonly dir: number;
}

export function pocketCells(p: Pocket): [[number, number], [number, number]] {
  const [dx, dy] = DIRS[p.dir]!;
  return [[p.nx, p.ny], [p.nx + dx, p.ny + dy]];
}

/** Cells that must be blocked: sides and far end first, the entrance (behind n) last. */
export function boundary(p: Pocket): [number, number][] {
  const [dx, dy] = DIRS[p.dir]!;
  const [[nx, ny], [xx, xy]] = pocketCells(p);
  const ex = -dy;
  const ey = dx;
  return [[nx + ex, ny + ey], [nx - ex, ny - ey], [xx + ex, xy + ey], [xx - ex, xy - ey], [xx + dx, xy + dy], [nx - dx, ny - dy]];
}

/** Open cells of the boundary, in blocking order. */
export function openBoundary(map: LocalMap, p: Pocket): [number, number][] {
  return boundary(p).filter(([x, y]) => isWalkable(map.matAt(x, y)));
}

/** True when the walkable region around the agent has at most two cells (a sealed pocket). */
export function enclosed(map: LocalMap): boolean {
  const seen = new Set<number>([map.idx(map.x, map.y)]);
  const queue: [number, number][] = [[map.x, map.y]];
  for (let q = 0; q < queue.length; q++) {
    const [x, y] = queue[q]!;
    for (const [dx, dy] of DIRS) {
      const nx = x + dx;
      const ny = y + dy;
      const i = map.idx(nx, ny);
      if (seen.has(i)) continue;
      const m = map.matAt(nx, ny);
      if (m === 255 || isWalkable(m)) {
        if (m === 255) return false;
        seen.add(i);
        if (seen.size > 2) return false;
        queue.push([nx, ny]);
      }
    }
  }
  return true;
}

/** The cheapest pocket near the agent that `stones` can seal (the entrance behind n must be open), or null. */
export function choosePocket(map: LocalMap, stones: number, radius = 6): Pocket | null {
  let best: Pocket | null = null;
  let bestScore = Infinity;
  for (let nx = map.x - radius; nx <= map.x + radius; nx++) {
    for (let ny = map.y - radius; ny <= map.y + radius; ny++) {
      if (!isWalkable(map.matAt(nx, ny)) || map.objAt(nx, ny) !== 0) continue;
      for (let dir = 0; dir < 4; dir++) {
        const p = { nx, ny, dir };
        const [, [xx, xy]] = pocketCells(p);
        if (!isWalkable(map.matAt(xx, xy)) || map.objAt(xx, xy) !== 0) continue;
        const b = boundary(p);
        if (b.some(([x, y]) => map.matAt(x, y) === 255)) continue;
        const [mx, my] = b[5]!;
        if (!isWalkable(map.matAt(mx, my))) continue;
        const cost = b.filter(([x, y]) => isWalkable(map.matAt(x, y))).length;
        if (cost > stones) continue;
        const score = cost * 3 + Math.abs(nx - map.x) + Math.abs(ny - map.y);
        if (score < bestScore) {
          bestScore = score;
          best = p;
        }
      }
    }
  }
  return best;
}
