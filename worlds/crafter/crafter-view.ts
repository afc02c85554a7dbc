import type { WorldLegend, WorldView, WorldViewAdapter } from '../../core/world-view.js';
import type { CrafterEnv, CrafterState } from './crafter-env.js';
import { KIND_RGB, MATERIAL_RGB } from './pixels.js';
import { KIND_NAMES } from './world-store.js';

const hex = (rgb: readonly number[]) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
const WALKABLE = new Set(['grass', 'sand', 'path']);

/**
 * Crafter's semantic view for the viewer: materials as cells (value 0 is unused, `v` is `materialNames[v - 1]`),
 * creatures, arrows and plants as entities (kind = index in {@link KIND_NAMES}), players as agents with vitals.
 */
export function crafterViewAdapter(env: CrafterEnv): WorldViewAdapter<CrafterState> {
  const rules = env.rules;
  const [vx, vy] = rules.data.world.localView;
  const legend = (state: CrafterState): WorldLegend => ({
    kind: 'crafter',
    width: state.area[0],
    height: state.area[1],
    tiles: [{ name: 'none', color: '#000000', walkable: false }, ...state.materialNames.map((name) => ({
      name, color: hex(MATERIAL_RGB[name] ?? [255, 0, 255]), walkable: WALKABLE.has(name),
    }))],
    entityKinds: KIND_NAMES.map((name, i) => ({ name, color: hex(KIND_RGB[i] ?? [255, 0, 255]) })),
    vitals: (['health', 'food', 'drink', 'energy'] as const).map((name) => ({ name, max: rules.itemMax[rules.vital[name]]! })),
    actions: env.actionNames(),
    viewRadius: [vx >> 1, vy >> 1],
    params: { players: env.possibleAgents.length, length: rules.data.world.length ?? 0 },
  });
  return {
    legend,
    view(s) {
      const [w, h] = s.area;
      const cells = new Array<number>(w * h);
      for (let x = 0; x < w; x++) for (let y = 0; y < h; y++) cells[y * w + x] = s.materials[x * h + y]!;
      const entities: number[] = [];
      for (const o of s.objects) entities.push(KIND_NAMES.indexOf(o.kind as (typeof KIND_NAMES)[number]), o.pos[0], o.pos[1], o.health, -1);
      return {
        cells, entities, step: s.step, daylight: s.daylight,
        agents: s.players.map((p) => ({
          id: p.agent, x: p.pos[0], y: p.pos[1], facing: [p.facing[0], p.facing[1]], alive: p.alive,
          inventory: { ...p.inventory }, achievements: [...p.achievements], flags: { sleeping: p.sleeping },
        })),
      };
    },
    state(v: WorldView, l: WorldLegend): CrafterState {
      const w = l.width;
      const h = l.height;
      const materials = new Uint8Array(w * h);
      for (let x = 0; x < w; x++) for (let y = 0; y < h; y++) materials[x * h + y] = v.cells[y * w + x]!;
      const objects: { kind: string; pos: [number, number]; health: number }[] = [];
      for (let i = 0; i < v.entities.length; i += 5) {
        objects.push({ kind: KIND_NAMES[v.entities[i]!]!, pos: [v.entities[i + 1]!, v.entities[i + 2]!], health: v.entities[i + 3]! });
      }
      return {
        step: v.step, daylight: v.daylight, area: [w, h], materialNames: l.tiles.slice(1).map((t) => t.name), materials, objects,
        players: v.agents.map((a) => ({
          agent: a.id, pos: [a.x, a.y], facing: [a.facing[0], a.facing[1]], alive: a.alive, sleeping: a.flags.sleeping === true,
          inventory: { ...a.inventory }, achievements: [...a.achievements],
        })),
      };
    },
  };
}
