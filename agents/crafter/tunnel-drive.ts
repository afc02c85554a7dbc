/**
 * Straight tunnelling through mountains while searching for a diamond. After the iron pickaxe the frontier choice
 * sees ~0.8 new stone cells a step (diamonds: ~0.6% of stone cells); a move reveals one new row of the 9x7 view
 * (9 cells moving up or down, 7 left or right), and mountains are smooth blobs, so when the view's far edge in a
 * direction is mostly rock and the row beyond it is unseen, going on that way (digging at 2 actions a cell) reveals
 * mostly rock. The drive keeps its direction while that holds and picks the best direction when it stops holding;
 * with no direction worth it the frontier choice takes over.
 */
import { DIRS, Id, SIDE, UNKNOWN, isWalkable } from './local-map.js';
import type { LocalMap } from './local-map.js';

/** Settings of the tunnel drive (planner option `tunnel`). */
export interface TunnelTuning {
  /** Share of mountain cells (stone, ores, lava, natural tunnels) the view's edge line needs (default 0.55). */
  readonly minRock?: number;
  /** Share of unseen cells the line beyond the edge needs (default 0.5). */
  readonly minUnseen?: number;
  /** Only once this tool is in hand (default `iron_pickaxe`). */
  readonly after?: 'wood_pickaxe' | 'stone_pickaxe' | 'iron_pickaxe';
  /** Natural tunnels and caves count as mountain on the edge line (default true; they never hold a diamond). */
  readonly countTunnels?: boolean;
}

/** View half extents: 9 wide (x +- 4), 7 tall (y +- 3). */
const HX = 4;
const HY = 3;

/** What a view's line holds: mountain share and unseen share of the line beyond it. */
export interface LineScore {
  readonly rock: number;
  readonly unseen: number;
}

/** The edge line of the view from (x, y) in direction d and the line beyond it. */
export function lineScore(map: LocalMap, x: number, y: number, d: number, bounds: readonly [number, number, number, number], countTunnels = true): LineScore {
  const [dx, dy] = DIRS[d]!;
  const [bx0, by0, bx1, by1] = bounds;
  let rock = 0;
  let unseen = 0;
  let n = 0;
  let beyond = 0;
  const half = dx !== 0 ? HY : HX;
  for (let k = -half; k <= half; k++) {
    const ex = dx !== 0 ? x + dx * HX : x + k;
    const ey = dx !== 0 ? y + k : y + dy * HY;
    const i = ex * SIDE + ey;
    const mat = map.mat[i]!;
    n++;
    if (mat === Id.stone || mat === Id.coal || mat === Id.iron || mat === Id.diamond || mat === Id.lava || (countTunnels && mat === Id.path && map.dug[i] === 0)) rock++;
    const nx = ex + dx;
    const ny = ey + dy;
    if (nx < bx0 || nx > bx1 || ny < by0 || ny > by1) continue;
    beyond++;
    if (map.mat[nx * SIDE + ny] === UNKNOWN) unseen++;
  }
  return { rock: rock / n, unseen: beyond === 0 ? 0 : (unseen / (2 * half + 1)) };
}

/** Keeps a tunnelling direction while the view's edge that way is rock and the ground beyond unseen. */
export class TunnelDrive {
  private dir = -1;
  /** Steps the drive chose a direction (for benches). */
  fired = 0;

  constructor(private readonly map: LocalMap, private readonly tuning: TunnelTuning = {}) {}

  /** The direction (DIRS index) to go on in, or -1 when no direction is worth it. */
  choose(mineable: ReadonlySet<number>, bounds: readonly [number, number, number, number]): number {
    const m = this.map;
    const minRock = this.tuning.minRock ?? 0.55;
    const minUnseen = this.tuning.minUnseen ?? 0.5;
    let best = -1;
    let bestScore = 0;
    for (let d = 0; d < 4; d++) {
      const [dx, dy] = DIRS[d]!;
      const ahead = m.matAt(m.x + dx, m.y + dy);
      if (ahead === Id.lava || !(isWalkable(ahead) || mineable.has(ahead))) continue;
      const s = lineScore(m, m.x, m.y, d, bounds, this.tuning.countTunnels ?? true);
      if (s.rock < minRock || s.unseen < minUnseen) continue;
      if (d === this.dir) return (this.fired++, d); // keep going: no dithering between directions of similar worth
      // Expected new mountain cells per action: a row of 9 or a column of 7, digging costs a second action.
      const score = (s.rock * s.unseen * (dx !== 0 ? 2 * HY + 1 : 2 * HX + 1)) / (isWalkable(ahead) ? 1 : 2);
      if (score > bestScore) {
        bestScore = score;
        best = d;
      }
    }
    this.dir = best;
    if (best >= 0) this.fired++;
    return best;
  }

  /** The cell one step in direction d, as a route for `Navigator.follow` (digs when blocked). */
  stepCell(d: number): number {
    const [dx, dy] = DIRS[d]!;
    return this.map.idx(this.map.x + dx, this.map.y + dy);
  }
}
