import type { CrafterInfo } from '../../../worlds/crafter/crafter-env.js';
import type { SymbolicObservation } from '../../../worlds/crafter/observation.js';
import type { CrafterRules } from '../../../worlds/crafter/rules.js';
import type { PlaceKey, PlaceReader } from './place-reader.js';

/**
 * Cells and places of a Crafter player: the cell is `info.position` (the reference's `player_pos`), its place the
 * `placeSize` square holding it (as the kg-planner's regions), and the places it sees are those holding a cell of
 * its local view a player could stand on (walkable materials, or a creature standing on one).
 */
export function crafterPlaceReader(rules: CrafterRules, placeSize = 4): PlaceReader<SymbolicObservation, CrafterInfo> {
  const d = rules.data;
  const open = new Set(d.walkable); // not lava: a player may step in, but not to stand
  // map ids: 0 outside the world, 1..M materials in rules order, then objects drawn over their cell.
  const walkable = Uint8Array.from({ length: 256 }, (_, id) => (id === 0 ? 0 : id <= rules.materials.length ? (open.has(rules.materials[id - 1]!) ? 1 : 0) : 1));
  const key = (x: number, y: number): PlaceKey => `${Math.floor(x / placeSize)},${Math.floor(y / placeSize)}`;
  return {
    cell: (_obs, info) => `${info.position[0]!},${info.position[1]!}`,
    places(obs, info) {
      const x = info.position[0]!;
      const y = info.position[1]!;
      const rows = d.world.localView[1];
      const cols = d.world.localView[0];
      const seen = new Set<PlaceKey>();
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          if (!walkable[obs.map[r * cols + c]!]) continue;
          seen.add(key(x + c - (cols >> 1), y + r - (rows >> 1)));
        }
      }
      return { at: key(x, y), seen: [...seen] };
    },
  };
}
