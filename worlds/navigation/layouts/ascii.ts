import { Material } from '../materials.js';
import type { GeneratedLayout } from '../grid.js';
import { NavigationConfigError } from '../navigation-config.js';

const MATERIAL_OF: Readonly<Record<string, number>> = {
  '#': Material.wall,
  ' ': Material.empty,
  '.': Material.empty,
  D: Material.doorLocked,
  '/': Material.doorOpen,
  k: Material.key,
  G: Material.empty,
};

/**
 * A hand-drawn map, one string per row: `#` wall, `.` or space empty, `D` locked door, `/` open door, `k` key,
 * `G` goal, `0`-`9` the start of that agent. Without digits agents start on random free cells; without `G` the goal
 * is a random free cell. With `goalMode: 'each'` the i-th `G` (reading order) is agent i's goal; with `shared`
 * every `G` is a goal for everyone.
 */
export function generateAscii(p: { map: readonly string[] }): GeneratedLayout {
  const height = p.map.length;
  const width = Math.max(...p.map.map((r) => r.length));
  const cells = new Uint8Array(width * height).fill(Material.wall);
  const goals: number[] = [];
  const starts: [number, number][] = [];
  p.map.forEach((row, y) => {
    [...row].forEach((ch, x) => {
      const i = y * width + x;
      if (ch >= '0' && ch <= '9') {
        cells[i] = Material.empty;
        starts.push([Number(ch), i]);
        return;
      }
      const m = MATERIAL_OF[ch];
      if (m === undefined) throw new NavigationConfigError(`invalid navigation config: map[${y}][${x}] = ${JSON.stringify(ch)}: expected one of # . space D / k G 0-9`);
      cells[i] = m;
      if (ch === 'G') goals.push(i);
    });
  });
  starts.sort((a, b) => a[0] - b[0]);
  starts.forEach(([n], k) => {
    if (n !== k) throw new NavigationConfigError(`invalid navigation config: map: agent starts must be numbered 0..n-1 without gaps, got ${starts.map(([d]) => d).join(', ')}`);
  });
  const free: number[] = [];
  for (let i = 0; i < cells.length; i++) if (cells[i] === Material.empty && !goals.includes(i)) free.push(i);
  return {
    width,
    height,
    cells,
    spawnCells: free,
    goalCells: goals.length > 0 ? goals : free,
    ...(starts.length > 0 ? { fixedSpawns: starts.map(([, i]) => i) } : {}),
    ...(goals.length > 0 ? { fixedGoals: goals } : {}),
  };
}
