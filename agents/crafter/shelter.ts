import { DIRS, Id, isWalkable } from './local-map.js';
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

/** Cells a zombie can walk or an arrow can fly through (arrows cross water and lava). */
export function isOpen(mat: number): boolean {
  return isWalkable(mat) || mat === Id.water || mat === Id.lava;
}

/** Open cells of the boundary, in blocking order. */
export function openBoundary(map: LocalMap, p: Pocket): [number, number][] {
  return boundary(p).filter(([x, y]) => isOpen(map.matAt(x, y)));
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
      if (m === 255 || m === Id.water || m === Id.lava) return false;
      if (isWalkable(m)) {
        seen.add(i);
        if (seen.size > 2) return false;
        queue.push([nx, ny]);
      }
    }
  }
  return true;
}

/**
 * The cheapest pocket near the agent that `stones` can seal (the entrance behind n must be open), or null. With a
 * pickaxe (`canDig`) pocket cells may be stone to dig out first (a hole in a mountain side is the cheapest shelter:
 * its walls stand already, and digging pays the stones). Natural tunnels (path the agent did not dig) are where
 * skeletons live, and visible hostiles nearby make a pocket worse.
 */
export function choosePocket(
  map: LocalMap,
  stones: number,
  canDig: boolean,
  dug: (x: number, y: number) => boolean,
  hostiles: readonly [number, number][],
  radius = 7,
  skip: (p: Pocket) => boolean = () => false,
): Pocket | null {
  let best: Pocket | null = null;
  let bestScore = Infinity;
  const cellCost = (x: number, y: number): number => {
    const m = map.matAt(x, y);
    if (isWalkable(m) && map.objAt(x, y) === 0) return m === Id.path && !dug(x, y) ? 8 : 0;
    if (canDig && m === Id.stone) return 1;
    return -1;
  };
  for (let nx = map.x - radius; nx <= map.x + radius; nx++) {
    for (let ny = map.y - radius; ny <= map.y + radius; ny++) {
      const cn = cellCost(nx, ny);
      if (cn < 0) continue;
      for (let dir = 0; dir < 4; dir++) {
        const p = { nx, ny, dir };
        if (skip(p)) continue;
        const [, [xx, xy]] = pocketCells(p);
        const cx = cellCost(xx, xy);
        if (cx < 0) continue;
        const b = boundary(p);
        if (b.some(([x, y]) => map.matAt(x, y) === 255)) continue;
        const [mx, my] = b[5]!;
        if (!isWalkable(map.matAt(mx, my))) continue;
        const open = b.filter(([x, y]) => isOpen(map.matAt(x, y))).length;
        const dig = (cn === 1 ? 1 : 0) + (cx === 1 ? 1 : 0);
        if (open > stones + dig) continue;
        let danger = 0;
        for (const [hx, hy] of hostiles) if (Math.abs(hx - nx) + Math.abs(hy - ny) <= 5) danger += 6;
        const score = open * 3 + dig + cn + cx + danger + Math.abs(nx - map.x) + Math.abs(ny - map.y);
        if (score < bestScore) {
          bestScore = score;
          best = p;
        }
      }
    }
  }
  return best;
}
