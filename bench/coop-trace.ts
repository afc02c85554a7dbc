/**
 * Per-seed trace of kg-planner MAC episodes (analysis for tuning, prints one line per seed): step of the iron
 * pickaxe and of the first diamond, the step a diamond first entered any agent's local map, rock cells the team has
 * seen by then, and (from the world, for the analyst only: agents never see it) diamonds on the map and the walking
 * + digging distance from the spawn to the nearest one.
 * Usage: node --import tsx bench/coop-trace.ts [--seeds 20] [--first-seed 0] [--agents 1] [--mode shared|private] [--planner JSON]
 */
import { runCoopEpisode } from './support/coop-episode.js';
import { Id, SIDE, UNKNOWN } from '../agents/crafter/local-map.js';
import { FRAME } from '../agents/crafter/kg-sync.js';
import type { LocalMap } from '../agents/crafter/local-map.js';
import { flag } from './support/flags.js';

const seeds = Number(flag('seeds', '20'));
const firstSeed = Number(flag('first-seed', '0'));
const agents = Number(flag('agents', '1'));
const shared = flag('mode', 'shared') === 'shared';
const planner = JSON.parse(flag('planner', '{}')) as Record<string, never>;
const ROCK = new Set<number>([Id.stone, Id.coal, Id.iron, Id.diamond, Id.lava, Id.path]);

/** Dijkstra from the spawn cells over the world: walk 1, dig 2 (stone, ores), water and lava closed. */
function digDistance(mat: Uint8Array, w: number, h: number, starts: [number, number][], goal: number): number {
  const dist = new Float64Array(w * h).fill(Infinity);
  const q: [number, number][] = [];
  for (const [x, y] of starts) { dist[x * h + y] = 0; q.push([0, x * h + y]); }
  while (q.length) {
    q.sort((a, b) => a[0] - b[0]);
    const [d, i] = q.shift()!;
    if (d > dist[i]!) continue;
    const x = (i / h) | 0;
    const y = i % h;
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
      const j = nx * h + ny;
      const m = mat[j]!;
      if (m === goal) return d + 1;
      const c = m === Id.grass || m === Id.sand || m === Id.path ? 1 : m === Id.water || m === Id.lava ? Infinity : 2;
      if (d + c < dist[j]!) { dist[j] = d + c; q.push([d + c, j]); }
    }
  }
  return -1;
}

let sum = 0;
const stone: number[] = [];
const lasted: number[] = [];
const all: number[] = [];
for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
  let seen = -1;
  let rockSeen = 0;
  let rockAtPickaxe = -1;
  const stoneAt: number[] = [];
  const allAt: number[] = [];
  const r = await runCoopEpisode({ agents, shared, seed, planner, onStep: (step, cs, env) => {
    const maps = cs.map((c) => (c as unknown as { map: LocalMap }).map);
    if (seen < 0 && maps.some((m) => m.mat.includes(Id.diamond))) seen = step;
    if (rockAtPickaxe < 0 && env.state().players.some((p) => (p.inventory["iron_pickaxe"] ?? 0) > 0)) rockAtPickaxe = rockSeen;
    if (step % 50 === 0) {
      // Diamond ground the team has seen (stone or diamond cells of the world): the search's real progress.
      const mat = env.state().materials;
      const [w, h] = env.rules.data.world.area;
      let n = 0;
      let all = 0;
      for (let x = 0; x < w; x++) for (let y = 0; y < h; y++) {
        const v = mat[x * h + y]!;
        const seenCell = maps.some((m) => m.mat[(x + FRAME) * SIDE + y + FRAME] !== UNKNOWN);
        if (seenCell) all++;
        if ((v === Id.stone || v === Id.diamond) && seenCell) n++;
      }
      stoneAt[step / 50] = n;
      allAt[step / 50] = all;
    }
    rockSeen = 0;
    for (const m of maps) for (let i = 0; i < m.mat.length; i++) if (m.mat[i] !== UNKNOWN && ROCK.has(m.mat[i]!)) rockSeen++;
  } });
  const mat = r.initialMaterials;
  const [w, h] = r.env.rules.data.world.area;
  const diamonds = mat.reduce((a, m) => a + (m === Id.diamond ? 1 : 0), 0);
  const rock = mat.reduce((a, m) => a + (ROCK.has(m) ? 1 : 0), 0);
  const starts = r.env.state().players.map((p) => [p.pos[0], p.pos[1]] as [number, number]);
  const dd = digDistance(mat, w, h, [[w >> 1, h >> 1]], Id.diamond);
  const step = r.diamondStep > 0 ? r.diamondStep : 350;
  sum += step;
  for (let k = 1; k <= 7; k++) if (stoneAt[k] !== undefined) { stone[k] = (stone[k] ?? 0) + stoneAt[k]!; all[k] = (all[k] ?? 0) + allAt[k]!; lasted[k] = (lasted[k] ?? 0) + 1; }
  console.log(`seed ${seed}: diamond ${r.diamondStep} ipick ${r.tasks['iron pickaxe']} seen ${seen} rockSeenAtPick ${rockAtPickaxe} rockSeenEnd ${rockSeen} stone@50.. ${stoneAt.join(',')} seen@50.. ${allAt.join(',')} | world diamonds ${diamonds} rock ${rock} digDist ${dd} ${starts.length}`);
  await r.kg.close();
}
console.log(`cells seen by step 50, 100, ..: ${all.slice(1).map((v, k) => (v / lasted[k + 1]!).toFixed(0)).join(', ')}`);
console.log(`mean ${(sum / seeds).toFixed(1)}; stone ground seen by step 50, 100, ..: ${stone.slice(1).map((v, k) => `${(v / lasted[k + 1]!).toFixed(0)} (${lasted[k + 1]})`).join(', ')}`);
