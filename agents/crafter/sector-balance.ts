/**
 * Sector balance for the diamond search: per-seed maps of `bench/coop-trace.ts` show whole episodes spent in one half
 * of the map (seeds 14 and 16 with 1 agent: 350 steps north-west of the spawn while the diamonds lay in unseen
 * mountains 25 cells to the south-east; seeds 17 and 19 with 2 agents: both agents west of the spawn). The frontier
 * choice is a nearest-frontier rule, so it clears the pocket it is in, grass included, before it crosses seen ground
 * to another. This module cuts the world into angular sectors around its centre (the spawn area) and gives every
 * cell a bonus proportional to the unseen share of its sector, so a frontier in a sector the agent (or, with a shared
 * graph, the team) has barely seen outweighs one in a sector already combed through.
 */
import { SIDE, UNKNOWN } from './local-map.js';
import type { LocalMap } from './local-map.js';

/** Settings of the sector balance (planner option `sectors`). */
export interface SectorTuning {
  /** Frontier gain for a frontier in a wholly unseen sector (scaled by the sector's unseen share). */
  readonly gain: number;
  /** Angular sectors around the world's centre (default 8). */
  readonly count?: number;
  /** Cells closer than this to the centre belong to no sector and get no bonus (default 6: the spawn's grass). */
  readonly inner?: number;
  /** Only once this tool is in hand (default `iron_pickaxe`; `none`: whenever ore or a diamond is sought). */
  readonly after?: 'none' | 'stone_pickaxe' | 'iron_pickaxe';
  /** Only until this tool is in hand (default: no end). */
  readonly until?: 'stone_pickaxe' | 'iron_pickaxe';
  /** Teams: each agent gets the bonus only in its own share of the sectors (agent i of n: sectors i*count/n onwards). */
  readonly split?: boolean;
}

export interface SectorOptions extends Omit<SectorTuning, 'after' | 'until'> {
  /** The world's cells in map coordinates [x0, y0, x1, y1] (inclusive). */
  readonly bounds: readonly [number, number, number, number];
  /** The world's centre in map coordinates. */
  readonly centre: readonly [number, number];
  /** Cells a teammate has seen (shared graph): they count as seen. */
  readonly seenByTeam?: (x: number, y: number) => boolean;
  /** With `split`: this agent's index in spawn order and the team's size. */
  readonly member?: readonly [number, number];
}

/** The sector of cell (x, y) around `centre` (0..count-1), or -1 within `inner` of it. */
export function sectorOf(x: number, y: number, centre: readonly [number, number], count: number, inner: number): number {
  const dx = x - centre[0];
  const dy = y - centre[1];
  if (dx * dx + dy * dy < inner * inner) return -1;
  const a = Math.atan2(dy, dx) + Math.PI; // 0..2π
  return Math.min(count - 1, Math.floor((a / (2 * Math.PI)) * count));
}

/** Unseen share of every sector's in-bounds cells (seen: remembered by us or, with `seenByTeam`, by a teammate). */
export function sectorUnseen(map: LocalMap, o: SectorOptions): Float64Array {
  const count = o.count ?? 8;
  const inner = o.inner ?? 6;
  const total = new Float64Array(count);
  const unseen = new Float64Array(count);
  const [bx0, by0, bx1, by1] = o.bounds;
  for (let x = bx0; x <= bx1; x++) {
    for (let y = by0; y <= by1; y++) {
      const s = sectorOf(x, y, o.centre, count, inner);
      if (s < 0) continue;
      total[s] = total[s]! + 1;
      if (map.mat[x * SIDE + y] === UNKNOWN && !(o.seenByTeam?.(x, y) ?? false)) unseen[s] = unseen[s]! + 1;
    }
  }
  for (let s = 0; s < count; s++) unseen[s] = total[s]! > 0 ? unseen[s]! / total[s]! : 0;
  return unseen;
}

/** Per cell: `gain` times the unseen share of its sector (0 within `inner` of the centre and outside the bounds). */
export function sectorBonus(map: LocalMap, o: SectorOptions): Float64Array {
  const count = o.count ?? 8;
  const inner = o.inner ?? 6;
  const share = sectorUnseen(map, o);
  const out = new Float64Array(SIDE * SIDE);
  const [bx0, by0, bx1, by1] = o.bounds;
  for (let x = bx0; x <= bx1; x++) {
    for (let y = by0; y <= by1; y++) {
      const s = sectorOf(x, y, o.centre, count, inner);
      if (s >= 0 && ownsSector(s, count, o)) out[x * SIDE + y] = o.gain * share[s]!;
    }
  }
  return out;
}

/** Whether sector `s` is this agent's (always, unless `split` with a team of 2+). */
export function ownsSector(s: number, count: number, o: Pick<SectorOptions, 'split' | 'member'>): boolean {
  if (!o.split || !o.member || o.member[1] < 2) return true;
  const [i, n] = o.member;
  return Math.floor((s * n) / count) === i;
}
