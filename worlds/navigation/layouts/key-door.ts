import type { Rng } from '../../../core/rng.js';
import { Material } from '../materials.js';
import { walledRoom, type GeneratedLayout } from '../grid.js';

/**
 * A room split by a wall column with one locked door. The key lies on the left (where agents start), the goals on
 * the right, so every agent needs the door opened first.
 */
export function generateKeyDoor(p: { width: number; height: number }, rng: Rng): GeneratedLayout {
  const { width, height } = p;
  const cells = walledRoom(width, height);
  // At least two columns on the agents' side where the map allows it: in one column, agents can wall each other off.
  const wx = Math.min(width - 3, Math.max(3, rng.int(Math.floor(width / 3), Math.ceil((2 * width) / 3) - 1)));
  for (let y = 0; y < height; y++) cells[y * width + wx] = Material.wall;
  cells[rng.int(1, height - 2) * width + wx] = Material.doorLocked;
  const left: number[] = [];
  const right: number[] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      if (x < wx) left.push(y * width + x);
      else if (x > wx) right.push(y * width + x);
    }
  }
  const key = rng.pick(left);
  cells[key] = Material.key;
  return { width, height, cells, spawnCells: left.filter((i) => i !== key), goalCells: right };
}
