import type { Rng } from '../../../core/rng.js';
import { Material } from '../materials.js';
import { cellsWhere, walledRoom, type GeneratedLayout } from '../grid.js';

/** Four rooms split by a cross of walls through the middle, with one random doorway in each of the four wall arms. */
export function generateFourRooms(p: { width: number; height: number }, rng: Rng): GeneratedLayout {
  const { width, height } = p;
  const cells = walledRoom(width, height);
  const vx = Math.floor(width / 2);
  const hy = Math.floor(height / 2);
  for (let y = 0; y < height; y++) cells[y * width + vx] = Material.wall;
  for (let x = 0; x < width; x++) cells[hy * width + x] = Material.wall;
  cells[rng.int(1, hy - 1) * width + vx] = Material.empty;
  cells[rng.int(hy + 1, height - 2) * width + vx] = Material.empty;
  cells[hy * width + rng.int(1, vx - 1)] = Material.empty;
  cells[hy * width + rng.int(vx + 1, width - 2)] = Material.empty;
  const free = cellsWhere(cells, (m) => m === Material.empty);
  return { width, height, cells, spawnCells: free, goalCells: free };
}
