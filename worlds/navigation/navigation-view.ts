import type { WorldLegend, WorldView, WorldViewAdapter } from '../../core/world-view.js';
import type { NavigationEnv, NavigationState } from './navigation-env.js';
import { ACTION_NAMES, Material, isPassable } from './materials.js';
import type { Position } from './events.js';

const TILE_COLORS: Record<string, string> = {
  empty: '#e8e4d8', wall: '#3a3a48', doorLocked: '#a0522d', doorOpen: '#deb887', key: '#f2c14e', goal: '#4caf50',
};

/**
 * The navigation grid for the viewer: materials as cells (row-major, as the world stores them), goals as entities
 * (owner = the agent's index, -1 for a shared goal), agents with `hasKey` and `reachedGoal` flags.
 */
export function navigationViewAdapter(env: NavigationEnv): WorldViewAdapter<NavigationState> {
  const agents = env.possibleAgents;
  return {
    legend: (s: NavigationState): WorldLegend => ({
      kind: 'navigation',
      width: s.width,
      height: s.height,
      tiles: Object.entries(Material).map(([name, v]) => ({ name, color: TILE_COLORS[name] ?? '#ff00ff', walkable: isPassable(v) })),
      entityKinds: [{ name: 'goal', color: TILE_COLORS.goal! }],
      vitals: [],
      actions: [...ACTION_NAMES],
      params: { layout: s.layout, maxSteps: s.maxSteps, goalMode: s.goalMode },
    }),
    view(s: NavigationState): WorldView {
      const entities: number[] = [];
      for (const g of s.goals) entities.push(0, g.position[0], g.position[1], 0, g.owner === null ? -1 : agents.indexOf(g.owner));
      return {
        cells: Array.from(s.grid), entities, step: s.step, daylight: 1,
        agents: s.agents.map((a) => ({
          id: a.id, x: a.position[0], y: a.position[1], facing: [0, 0], alive: a.alive, inventory: { key: a.hasKey ? 1 : 0 },
          achievements: a.reachedGoal ? ['goal'] : [], flags: { hasKey: a.hasKey, reachedGoal: a.reachedGoal },
        })),
      };
    },
    state(v: WorldView, l: WorldLegend): NavigationState {
      const w = l.width;
      const keys: Position[] = [];
      v.cells.forEach((c, i) => {
        if (c === Material.key) keys.push([i % w, Math.floor(i / w)]);
      });
      const goals: { position: Position; owner: string | null }[] = [];
      for (let i = 0; i < v.entities.length; i += 5) {
        const owner = v.entities[i + 4]!;
        goals.push({ position: [v.entities[i + 1]!, v.entities[i + 2]!], owner: owner < 0 ? null : agents[owner]! });
      }
      return {
        layout: l.params.layout as NavigationState['layout'], width: w, height: l.height, grid: Uint8Array.from(v.cells), step: v.step,
        maxSteps: l.params.maxSteps as number, goalMode: l.params.goalMode as NavigationState['goalMode'],
        agents: v.agents.map((a) => ({ id: a.id, position: [a.x, a.y], hasKey: a.flags.hasKey === true, alive: a.alive, reachedGoal: a.flags.reachedGoal === true })),
        goals, keys,
      };
    },
  };
}
