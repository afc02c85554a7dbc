/**
 * Frontier choice for the kg-planner: one Dijkstra over the remembered cells (walking 1, digging what the tools allow
 * at `mineCost`), then the frontier cell with the best score = route cost - gain. Gain rewards unseen cells around
 * the frontier, mountain around it when seeking ore (diamonds lie deep in mountains), and regions no teammate has
 * explored yet. The chosen target is kept until reached or no longer a frontier, so the agent does not dither.
 */
import { DIRS, Id, SIDE, UNKNOWN, isWalkable } from './local-map.js';
import type { LocalMap } from './local-map.js';
import { forEachEnterable, relax, search } from './path-planner.js';
import type { EnterCosts, Route } from './path-planner.js';
import type { Navigator } from './navigator.js';
import { FRAME, REGION } from './kg-sync.js';
import { mountainOdds, unseenRockOdds } from './mountain-odds.js';
import { sweepRoute } from './mountain-sweep.js';
import type { SweepOptions } from './mountain-sweep.js';
import { searchMass } from './search-mass.js';
import type { SearchMassTuning } from './search-mass.js';
import { Inv } from './tech-tree.js';
import { sectorBonus } from './sector-balance.js';
import type { SectorTuning } from './sector-balance.js';
import { diamondPull } from './diamond-pull.js';
import type { TunnelDrive, TunnelTuning } from './tunnel-drive.js';
import type { DiamondPullTuning } from './diamond-pull.js';

export interface ExploreScore {
  /** Materials the agent can dig through. */
  readonly mineable: ReadonlySet<number>;
  /** Weight of mountain cells (stone, ore, lava, tunnels) within radius 3 of the frontier cell. */
  readonly mountain: number;
  /** Extra gain for a frontier whose unseen neighbours lie in a region no teammate explored. */
  readonly fresh?: (x: number, y: number) => boolean;
  readonly freshGain?: number;
  /** Preferred direction (unit vector) and its weight per cell of progress along it. */
  readonly heading?: readonly [number, number];
  readonly headingGain?: number;
  readonly maxCost?: number;
  /** The world's cells in map coordinates [x0, y0, x1, y1] (inclusive): unseen cells outside never count. */
  readonly bounds?: readonly [number, number, number, number];
  /** Gain per unseen cell a 9x7 view from the frontier cell would show (default 0.5). */
  readonly revealGain?: number;
  /** Per cell: expected unseen mountain cells a view from there reveals ({@link mountainOdds}), times `deepGain`. */
  readonly deep?: Float64Array;
  readonly deepGain?: number;
  /** Teammates in view: a frontier closer to one of them than to us loses `rivalGain` (their side is theirs). */
  readonly rivals?: readonly (readonly [number, number])[];
  readonly rivalGain?: number;
  /** Per cell: expected unseen mountain cells in a wide window ({@link searchMass}), times `massGain`. */
  readonly mass?: Float64Array;
  readonly massGain?: number;
  /** Extra gain for a frontier on a natural tunnel or cave cell (walkable mountain interior: 1 step per cell, no digging). */
  readonly tunnelGain?: number;
  /** Per cell: extra gain for a frontier there (the sector balance, `sector-balance.ts`). */
  readonly bonus?: Float64Array;
}

const ROCK = new Set<number>([Id.stone, Id.coal, Id.iron, Id.diamond, Id.lava, Id.path]);

export function exploreRoute(map: LocalMap, s: ExploreScore): Route | null {
  const maxCost = s.maxCost ?? 300;
  // Digging through rock costs 2 here (cheaper than the route search's 3: exploring mountains is the point).
  const costs: EnterCosts = { mineable: s.mineable, mineCost: 2, unknownCost: 0, hazards: false };
  const n = SIDE * SIDE;
  const dist = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n).fill(-1);
  const buckets: number[][] = [];
  const start = map.idx(map.x, map.y);
  dist[start] = 0;
  buckets[0] = [start];
  let best = -1;
  let bestScore = Infinity;
  const headingGain = s.heading ? (s.headingGain ?? 0.5) : 0;
  const revealGain = s.revealGain ?? 0;
  const [bx0, by0, bx1, by1] = s.bounds ?? [0, 0, SIDE - 1, SIDE - 1];
  const deepGain = s.deep ? (s.deepGain ?? 0) : 0;
  const massGain = s.mass ? (s.massGain ?? 0) : 0;
  let maxBonus = 0;
  if (s.bonus) for (let i = 0; i < s.bonus.length; i++) if (s.bonus[i]! > maxBonus) maxBonus = s.bonus[i]!;
  let maxMass = 0;
  if (massGain > 0) for (let i = 0; i < s.mass!.length; i++) if (s.mass![i]! > maxMass) maxMass = s.mass![i]!;
  const maxGain = 4 + 63 * (revealGain + deepGain) + 7 * s.mountain + (s.fresh ? (s.freshGain ?? 8) : 0) + 10 * headingGain + massGain * maxMass + (s.tunnelGain ?? 0) + maxBonus;
  // Unseen cells a view from (x, y) would show: far more telling than the unseen neighbours alone.
  const revealed = (x: number, y: number) => {
    let n = 0;
    for (let dx = -4; dx <= 4; dx++) {
      const cx = x + dx;
      if (cx < bx0 || cx > bx1) continue;
      for (let dy = -3; dy <= 3; dy++) {
        const cy = y + dy;
        if (cy >= by0 && cy <= by1 && map.mat[cx * SIDE + cy] === UNKNOWN) n++;
      }
    }
    return n;
  };
  for (let d = 0; d <= maxCost; d++) {
    const b = buckets[d];
    if (!b) continue;
    if (d > bestScore + maxGain) break; // nothing farther can beat the best by the largest possible gain
    for (let k = 0; k < b.length; k++) {
      const i = b[k]!;
      if (dist[i] !== d) continue;
      const x = (i / SIDE) | 0;
      const y = i - x * SIDE;
      let unseen = 0;
      for (const [dx, dy] of DIRS) if (map.matAt(x + dx, y + dy) === UNKNOWN) unseen++;
      if (unseen > 0 && i !== start) {
        let gain = revealGain > 0 ? revealGain * revealed(x, y) : unseen;
        if (s.mountain > 0) {
          let rock = 0;
          for (let dx = -3; dx <= 3; dx++) for (let dy = -3; dy <= 3; dy++) if (ROCK.has(map.matAt(x + dx, y + dy))) rock++;
          gain += (s.mountain * rock) / 7;
        }
        if (deepGain > 0) gain += deepGain * s.deep![i]!;
        if (massGain > 0) gain += massGain * s.mass![i]!;
        if (s.bonus) gain += s.bonus[i]!;
        if (s.tunnelGain && map.mat[i] === Id.path && map.dug[i] === 0) gain += s.tunnelGain;
        if (s.fresh && s.fresh(x, y)) gain += s.freshGain ?? 8;
        if (s.rivals) {
          const mine = Math.abs(x - map.x) + Math.abs(y - map.y);
          if (s.rivals.some(([rx, ry]) => Math.abs(x - rx) + Math.abs(y - ry) < mine)) gain -= s.rivalGain ?? 10;
        }
        if (s.heading) gain += headingGain * Math.max(-10, Math.min(10, (x - map.x) * s.heading[0] + (y - map.y) * s.heading[1]));
        const score = d - gain;
        if (score < bestScore) {
          bestScore = score;
          best = i;
        }
      }
      forEachEnterable(map, x, y, costs, (j, c) => relax(dist, parent, buckets, i, j, d + c, maxCost));
    }
  }
  if (best < 0) return null;
  const cells: number[] = [];
  for (let i = best; i !== start; i = parent[i]!) cells.push(i);
  cells.reverse();
  return { x: (best / SIDE) | 0, y: best % SIDE, cells };
}

/** Mountain sweep settings (see `sweepRoute`): `commit` keeps the chosen cell while it still pays; `power` and `prior` shape the mountain odds. */
export type SweepTuning = Pick<SweepOptions, 'overhead' | 'maxCost' | 'minGain' | 'mineCost'> & { readonly commit?: boolean; readonly power?: number; readonly prior?: number };

/** Keeps an exploration target until reached, picking a new one with {@link exploreRoute} (team frame aware). */
export class FrontierExplorer {
  private target = -1;
  private sweepTarget = -1;
  /** Pull towards large unseen mountain-likely areas when seeking ore or diamonds (`search-mass.ts`; null: off). */
  searchMass: SearchMassTuning | null = null;
  /** Frontier gain for natural tunnels and caves when seeking ore or diamonds (0: off). */
  tunnelGain = 0;
  /** Favour frontiers in sectors around the centre that are least seen, when seeking a diamond (`sector-balance.ts`; null: off). */
  sectors: SectorTuning | null = null;
  /** Before the iron pickaxe, pull the ore search towards a known diamond (`diamond-pull.ts`; null: off). */
  pull: DiamondPullTuning | null = null;
  /** Tunnel straight through rock while the view's edge is mountain (`tunnel-drive.ts`; null: off). */
  tunnel: { readonly drive: TunnelDrive; readonly tuning: TunnelTuning } | null = null;
  /** This agent's index in spawn order and the team's size (sector split). */
  member: readonly [number, number] = [0, 1];

  constructor(
    private readonly map: LocalMap,
    private readonly nav: Navigator,
    private readonly heading: readonly [number, number],
    private readonly headingGain: number,
    /** Weight of expected unseen mountain cells when seeking ore or diamonds (0: off). */
    private readonly deepGain = 0,
    /** Gain per unseen cell a view from the frontier would show (any ground). */
    private readonly revealGain = 0.15,
    /** Sweep mountains when seeking ore or diamonds ({@link sweepRoute}; null: frontier choice only). */
    /** Weight of rock around a frontier when seeking ore or diamonds. */
    private readonly mountainGain = 2,
    private readonly sweep: SweepTuning | null = null,
  ) {}

  /** One action towards the best frontier; `teamKnown` = region keys teammates explored (no frontier left). */
  step(inv: Int32Array, mountain: boolean, teamKnown: ReadonlySet<string>, episode: number, rivals?: readonly (readonly [number, number])[]): number {
    const m = this.map;
    const mineable = this.nav.mineable(inv);
    const frontier = (i: number) => {
      const x = (i / SIDE) | 0;
      const y = i % SIDE;
      const mat = m.mat[i]!;
      if (!(isWalkable(mat) || mineable.has(mat))) return false;
      for (const [dx, dy] of DIRS) if (m.matAt(x + dx, y + dy) === UNKNOWN) return true;
      return false;
    };
    if (this.target >= 0 && (this.target === m.idx(m.x, m.y) || !frontier(this.target))) this.target = -1;
    const bounds = [FRAME, FRAME, FRAME + 63, FRAME + 63] as const;
    const region = (x: number, y: number) => `e${episode}:r${Math.floor((x - FRAME) / REGION)},${Math.floor((y - FRAME) / REGION)}`;
    if (mountain && this.sweep) {
      const odds = unseenRockOdds(m, { bounds, ...(this.sweep.power !== undefined ? { power: this.sweep.power } : {}), ...(this.sweep.prior !== undefined ? { prior: this.sweep.prior } : {}) });
      // What teammates saw holds no diamond they did not report: only our own unseen cells are worth a look.
      if (teamKnown.size > 0) for (let i = 0; i < odds.length; i++) if (odds[i]! > 0 && teamKnown.has(region((i / SIDE) | 0, i % SIDE))) odds[i] = 0;
      const r = sweepRoute(m, { mineable, odds, ...this.sweep, ...(this.sweep.commit ? { keep: this.sweepTarget } : {}) });
      if (r && r.cells.length > 0) {
        this.target = -1;
        this.sweepTarget = m.idx(r.x, r.y);
        return this.nav.follow(r);
      }
      this.sweepTarget = -1;
    }
    const tn = this.tunnel;
    if (mountain && tn && inv[Inv[tn.tuning.after ?? 'iron_pickaxe']]! > 0) {
      const d = tn.drive.choose(mineable, bounds);
      if (d >= 0) {
        this.target = -1;
        const c = tn.drive.stepCell(d);
        return this.nav.follow({ x: (c / SIDE) | 0, y: c % SIDE, cells: [c] });
      }
    }
    let route: Route | null = null;
    if (this.target >= 0) {
      const t = this.target;
      route = search(m, (x, y) => m.idx(x, y) === t, { mineable, mineCost: 2, maxCost: 300 });
    }
    if (!route) {
      const fresh = teamKnown.size === 0 ? undefined : (x: number, y: number) => {
        for (const [dx, dy] of DIRS) if (m.matAt(x + dx, y + dy) === UNKNOWN && !teamKnown.has(region(x + dx, y + dy))) return true;
        return false;
      };
      const deep = mountain && this.deepGain > 0 ? mountainOdds(m, { bounds }) : undefined;
      const sm = this.searchMass;
      const after = sm?.after ?? 'iron_pickaxe';
      const mass = mountain && sm && (after === 'none' || inv[Inv[after]]! > 0) ? searchMass(m, { ...sm, bounds, centre: [FRAME + 32, FRAME + 32] }) : undefined;
      const sc = this.sectors;
      const sAfter = sc?.after ?? 'iron_pickaxe';
      let bonus = mountain && sc && (sAfter === 'none' || inv[Inv[sAfter]]! > 0) && !(sc.until && inv[Inv[sc.until]]! > 0)
        ? sectorBonus(m, { ...sc, member: this.member, bounds, centre: [FRAME + 32, FRAME + 32], ...(teamKnown.size > 0 ? { seenByTeam: (x: number, y: number) => teamKnown.has(region(x, y)) } : {}) })
        : undefined;
      const pull = mountain && this.pull && inv[Inv.iron_pickaxe]! === 0 ? diamondPull(m, this.pull) : null;
      if (pull) bonus = bonus ? bonus.map((v, i) => v + pull[i]!) : pull;
      route = exploreRoute(m, {
        mineable, ...(bonus ? { bonus } : {}), ...(deep ? { deep, deepGain: this.deepGain } : {}), ...(mass ? { mass, massGain: sm!.gain } : {}), ...(mountain && this.tunnelGain > 0 ? { tunnelGain: this.tunnelGain } : {}), mountain: mountain ? this.mountainGain : 0, ...(fresh ? { fresh } : {}), heading: this.heading, headingGain: this.headingGain,
        bounds, revealGain: deep ? this.revealGain : 0.15, ...(rivals && rivals.length > 0 ? { rivals } : {}),
      });
    }
    if (route && route.cells.length > 0) {
      this.target = m.idx(route.x, route.y);
      return this.nav.follow(route);
    }
    this.target = -1;
    return this.nav.explore(inv);
  }
}
