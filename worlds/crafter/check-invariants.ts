import type { StepResult } from '../../core/parallel-env.js';
import type { CrafterEnv } from './crafter-env.js';

/**
 * Checks the world's invariants after a step and returns what is wrong (empty when all hold): inventories within
 * [0, cap], one object per cell and the object layer agreeing with object positions, live players on cells they may
 * stand on, achievements never lost (against `previous`, updated in place), and episode ends: a player with health
 * 0 is terminated, and everyone left is cut off at the episode length.
 */
export function checkInvariants(env: CrafterEnv, res: StepResult<unknown> | null, previous: Int32Array): string[] {
  const out: string[] = [];
  const e = env.engine;
  const st = e.store;
  const r = env.rules;
  for (let p = 0; p < e.nPlayers; p++) {
    for (let i = 0; i < e.nItems; i++) {
      const v = e.inv[p * e.nItems + i]!;
      if (!(v >= 0 && v <= r.itemMax[i]!)) out.push(`player_${p} ${r.items[i]} = ${v} outside [0, ${r.itemMax[i]}]`);
    }
    for (let a = 0; a < e.nAch; a++) {
      const k = p * e.nAch + a;
      if (e.ach[k]! < previous[k]!) out.push(`player_${p} lost achievement ${r.achievements[a]}`);
      previous[k] = e.ach[k]!;
    }
    const s = e.slot[p]!;
    if (e.alive[p]) {
      const m = st.material(st.x[s]!, st.y[s]!);
      if (!r.walkPlayer[m]) out.push(`player_${p} stands on ${r.materials[m - 1] ?? 'nothing'} at (${st.x[s]}, ${st.y[s]})`);
      if (st.objectAt(st.x[s]!, st.y[s]!) !== s) out.push(`player_${p} is not in the object layer at its position`);
    }
  }
  let onGrid = 0;
  for (let i = 0; i < st.orderLen; i++) {
    const s = st.order[i]!;
    if (st.removed[s]) continue;
    onGrid++;
    if (st.objectAt(st.x[s]!, st.y[s]!) !== s) out.push(`object ${s} at (${st.x[s]}, ${st.y[s]}) is not where the object layer says`);
  }
  let cells = 0;
  for (let c = 0; c < st.obj.length; c++) if (st.obj[c] !== 0) cells++;
  if (cells !== onGrid) out.push(`${cells} occupied cells for ${onGrid} objects: two objects share a cell or a stale entry remains`);
  if (res) {
    const length = r.data.world.length;
    for (const a of Object.keys(res.rewards)) {
      const p = env.indexOf(a);
      if (!Number.isFinite(res.rewards[a])) out.push(`${a} reward ${res.rewards[a]} is not finite`);
      if (e.health(p) <= 0 && !res.terminations[a]) out.push(`${a} has health 0 but is not terminated`);
      if (length !== null && e.stepCount >= length && !res.terminations[a] && !res.truncations[a]) out.push(`${a} is still live at step ${e.stepCount} >= length ${length}`);
      if ((res.terminations[a] || res.truncations[a]) === env.agents.includes(a)) out.push(`${a} done=${res.terminations[a] || res.truncations[a]} but live=${env.agents.includes(a)}`);
    }
  }
  return out;
}
