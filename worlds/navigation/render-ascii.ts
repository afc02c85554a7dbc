import type { NavigationState } from './navigation-env.js';

const GLYPH = [' ', '#', 'D', '/', 'k', 'G'];

/** A text picture of the world (`#` wall, `D` locked door, `/` open door, `k` key, `G` goal, digits = live agents). */
export function renderAscii(state: NavigationState): string {
  const rows: string[][] = [];
  for (let y = 0; y < state.height; y++) {
    const row: string[] = [];
    for (let x = 0; x < state.width; x++) row.push(GLYPH[state.grid[y * state.width + x] as number] ?? '?');
    rows.push(row);
  }
  state.agents.forEach((a, i) => {
    const row = rows[a.position[1]];
    if (a.alive && row) row[a.position[0]] = i < 10 ? String(i) : '@';
  });
  return rows.map((r) => r.join('')).join('\n');
}
