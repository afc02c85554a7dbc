/**
 * Simultaneous moves with conflicts cancelled. Given each agent's current cell and the cell it tries to enter
 * (its own cell when it stays), returns where each one ends up. A move is cancelled when:
 * - another agent stays in the target cell (including one whose own move was cancelled),
 * - an agent earlier in the list (lower index) moves into the same cell, or
 * - the agent in the target cell moves into the mover's cell (no swapping through each other).
 * Cancelling repeats until nothing changes, so a queue behind a blocked agent stays put, while a queue following a
 * moving agent moves with it; rotations of three or more agents go through.
 */
export function resolveMoves(current: readonly number[], targets: readonly number[]): number[] {
  const t = [...targets];
  const n = t.length;
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i < n; i++) {
      const ti = t[i] as number;
      const ci = current[i] as number;
      if (ti === ci) continue;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const tj = t[j] as number;
        const cj = current[j] as number;
        if ((tj === ti && (tj === cj || j < i)) || (cj === ti && tj === ci)) {
          t[i] = ci;
          changed = true;
          break;
        }
      }
    }
  }
  return t;
}
