/**
 * The scripted agent's tech-tree planner: from what it holds and what it knows it unlocked, the next goal.
 * Costs it cannot see (table and furnace) are estimates the controller learns from failed placements.
 */

/** Inventory slots of the `inventory` observation (PyPI crafter 1.8.3 order, vitals excluded). */
export const Inv = {
  sapling: 0, wood: 1, stone: 2, coal: 3, iron: 4, diamond: 5, wood_pickaxe: 6, stone_pickaxe: 7, iron_pickaxe: 8,
  wood_sword: 9, stone_sword: 10, iron_sword: 11,
} as const;
export type ItemName = keyof typeof Inv;

export type Goal =
  | { readonly kind: 'collect'; readonly item: 'wood' | 'stone' | 'coal' | 'iron' | 'diamond'; readonly want: number }
  | { readonly kind: 'sapling' }
  | { readonly kind: 'plant' }
  | { readonly kind: 'place'; readonly what: 'table' | 'stone' | 'furnace' }
  | { readonly kind: 'make'; readonly item: ItemName; readonly furnace: boolean }
  | { readonly kind: 'explore' };

export interface TechState {
  readonly inv: Int32Array;
  readonly done: ReadonlySet<string>;
  readonly tableWood: number;
  readonly furnaceStone: number;
  /** A diamond is in the agent's memory (worth fetching before the iron sword). */
  readonly knowsDiamond?: boolean;
  /** Stones to keep for shelters and plant fences once the stone tools are made (default 4). */
  readonly stoneReserve?: number;
}

/** The next tech-tree goal, or `explore` when only opportunistic goals (diamond, fights, plants) remain. */
export function nextGoal(s: TechState): Goal {
  const inv = s.inv;
  const has = (i: ItemName): number => inv[Inv[i]]!;
  const done = (a: string): boolean => s.done.has(a);
  const tableReserve = done('place_table') ? 0 : s.tableWood;
  if (!done('place_table')) {
    if (has('wood') < s.tableWood + 2) return { kind: 'collect', item: 'wood', want: Math.min(9, s.tableWood + 3) };
    return { kind: 'place', what: 'table' };
  }
  if (!has('wood_pickaxe')) {
    if (has('wood') < 1) return { kind: 'collect', item: 'wood', want: 4 };
    return { kind: 'make', item: 'wood_pickaxe', furnace: false };
  }
  if (!has('wood_sword')) {
    if (has('wood') < 1) return { kind: 'collect', item: 'wood', want: 4 };
    return { kind: 'make', item: 'wood_sword', furnace: false };
  }
  if (!done('collect_sapling') && !has('sapling')) return { kind: 'sapling' };
  if (has('sapling') > 0 && !done('place_plant')) return { kind: 'plant' };
  if (has('stone') < 1 && !done('place_stone')) return { kind: 'collect', item: 'stone', want: 3 };
  if (!done('place_stone')) return { kind: 'place', what: 'stone' };
  for (const tool of ['stone_pickaxe', 'stone_sword'] as const) {
    if (has(tool)) continue;
    if (has('wood') < 1 + tableReserve) return { kind: 'collect', item: 'wood', want: 5 };
    if (has('stone') < 1) return { kind: 'collect', item: 'stone', want: 4 };
    return { kind: 'make', item: tool, furnace: false };
  }
  // A stone reserve for shelters and plant fences.
  const reserve = s.stoneReserve ?? 4;
  if (has('stone') < reserve) return { kind: 'collect', item: 'stone', want: Math.min(9, reserve + 3) };
  if (!done('place_furnace')) {
    if (has('stone') < s.furnaceStone + 1) return { kind: 'collect', item: 'stone', want: Math.min(9, s.furnaceStone + 3) };
    return { kind: 'place', what: 'furnace' };
  }
  if (has('iron_pickaxe') && !done('collect_diamond') && s.knowsDiamond) return { kind: 'collect', item: 'diamond', want: 1 };
  for (const tool of ['iron_pickaxe', 'iron_sword'] as const) {
    if (has(tool)) continue;
    if (has('wood') < 1) return { kind: 'collect', item: 'wood', want: 4 };
    if (has('coal') < 1) return { kind: 'collect', item: 'coal', want: 2 };
    if (has('iron') < 1) return { kind: 'collect', item: 'iron', want: has('iron_pickaxe') || has('iron_sword') ? 1 : 2 };
    return { kind: 'make', item: tool, furnace: true };
  }
  if (!done('collect_diamond') && has('iron_pickaxe')) return { kind: 'collect', item: 'diamond', want: 1 };
  return { kind: 'explore' };
}
