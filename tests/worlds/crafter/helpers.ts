import { loadScenario } from '../../../worlds/crafter/scenario.js';
import type { CrafterEnv } from '../../../worlds/crafter/crafter-env.js';
import type { CrafterRules } from '../../../worlds/crafter/rules.js';

export const LEGEND = { g: 'grass', s: 'stone', t: 'tree', w: 'water', p: 'path', a: 'sand', l: 'lava', c: 'coal', i: 'iron', d: 'diamond', T: 'table', F: 'furnace' };

/** A 64x64 grass world with the given cells (x, y, char) set, in the scenario JSON format. */
export function scenario(cells: [number, number, string][], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const rows = Array.from({ length: 64 }, () => Array.from({ length: 64 }, () => 'g'));
  for (const [x, y, c] of cells) rows[y]![x] = c;
  return {
    name: 'test', area: [64, 64], materials: rows.map((r) => r.join('')), legend: LEGEND,
    player: { pos: [32, 32], facing: [0, 1] }, objects: [], balance: false, daylight: false, ...extra,
  };
}

export function make(cells: [number, number, string][], extra: Record<string, unknown> = {}, rules?: CrafterRules): CrafterEnv {
  return loadScenario(scenario(cells, extra), rules ? { rules } : {});
}

/** Step the single player with action names; returns the rewards. */
export function run(env: CrafterEnv, actions: string[]): number[] {
  return actions.map((a) => env.step({ player_0: a }).rewards.player_0!);
}
