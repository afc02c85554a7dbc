import type { Rng } from '../../../core/rng.js';
import { Material } from '../materials.js';
import { cellsWhere, type GeneratedLayout } from '../grid.js';

/**
 * A perfect maze by randomized depth-first search (recursive backtracker, iterative so 1001x1001 does not overflow
 * the stack). Rooms sit on odd coordinates; the walls between them on even ones.
 */
export function generateMaze(p: { width: number; height: number }, rng: Rng): GeneratedLayout {
  const { width, height } = p;
  const cells = new Uint8Array(width * height).fill(Material.wall);
  const cw = (width - 1) / 2;
  const ch = (height - 1) / 2;
  const visited = new Uint8Array(cw * ch);
  const stack = new Int32Array(cw * ch);
  let top = 0;
  const start = rng.int(0, cw * ch - 1);
  visited[start] = 1;
  stack[top++] = start;
  const carve = (c: number) => {
    cells[(2 * Math.floor(c / cw) + 1) * width + 2 * (c % cw) + 1] = Material.empty;
  };
  carve(start);
  const options: number[] = [];
  while (top > 0) {
    const c = stack[top - 1] as number;
    const cx = c % cw;
    const cy = (c - cx) / cw;
    options.length = 0;
    if (cy > 0 && !visited[c - cw]) options.push(c - cw);
    if (cy < ch - 1 && !visited[c + cw]) options.push(c + cw);
    if (cx > 0 && !visited[c - 1]) options.push(c - 1);
    if (cx < cw - 1 && !visited[c + 1]) options.push(c + 1);
    if (options.length === 0) {
      top--;
      continue;
    }
    const n = options.length === 1 ? (options[0] as number) : rng.pick(options);
    const nx = n % cw;
    const ny = (n - nx) / cw;
    // Knock down the wall between the two rooms: it sits halfway between their grid positions.
    cells[(cy + ny + 1) * width + cx + nx + 1] = Material.empty;
    carve(n);
    visited[n] = 1;
    stack[top++] = n;
  }
  const free = cellsWhere(cells, (m) => m === Material.empty);
  return { width, height, cells, spawnCells: free, goalCells: free };
}
