import type { Rng } from '../../../core/rng.js';
import { Material } from '../materials.js';
import { cellsWhere, fillAllButLargestRegion, walledRoom, type GeneratedLayout } from '../grid.js';

/** A walled room with random wall blocks; pockets cut off by them are filled so every free cell is reachable. */
export function generateOpenRoom(p: { width: number; height: number; obstacleDensity: number }, rng: Rng): GeneratedLayout {
  const { width, height } = p;
  const cells = walledRoom(width, height);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) if (rng.chance(p.obstacleDensity)) cells[y * width + x] = Material.wall;
  }
  fillAllButLargestRegion(cells, width, height);
  const free = cellsWhere(cells, (m) => m === Material.empty);
  return { width, height, cells, spawnCells: free, goalCells: free };
}
