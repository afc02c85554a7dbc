import { createNoise3D } from 'simplex-noise';
import type { Rng } from '../../core/rng.js';
import type { CrafterEngine } from './engine.js';
import { Kind } from './world-store.js';

/**
 * World generation with the structure and thresholds of the reference (worldgen.py): a grass area around the
 * spawn, water and sand, mountains with caves, tunnels, coal, iron, diamonds and lava, trees on grassland, then
 * cows, zombies and skeletons. The reference samples OpenSimplex `noise3(x / size, y / size, z)` with `z` as a
 * channel index; we sample simplex-noise's 3D noise the same way (different noise, same structure). With several
 * players, "distance to the player" is the distance to the nearest player.
 */
export function generateWorld(e: CrafterEngine, rng: Rng): void {
  const st = e.store;
  const g = e.rules.data.worldgen;
  const id = e.rules.materialId;
  const noiseRng = rng.fork('noise');
  const raw3 = createNoise3D(() => noiseRng.float());
  const scale = g.noiseScale;
  const noise3 = (x: number, y: number, z: number) => scale * raw3(x, y, z);
  // Octave tables compiled once: [size, weight, ...] and the weight sum.
  const octaves = (sizes: Readonly<Record<string, number>>) => Float64Array.from(Object.entries(sizes).flatMap(([k, w]) => [Number(k), w]));
  const spawnOct = octaves(g.spawnNoise.sizes);
  const waterOct = octaves(g.water.sizes);
  const mountainOct = octaves(g.mountain.sizes);
  const noise = (x: number, y: number, z: number, oct: Float64Array, normalize: boolean): number => {
    let value = 0;
    let total = 0;
    for (let i = 0; i < oct.length; i += 2) {
      value += oct[i + 1]! * noise3(x / oct[i]!, y / oct[i]!, z);
      total += oct[i + 1]!;
    }
    return normalize ? value / total : value;
  };
  const one = (x: number, y: number, z: number, size: number) => noise3(x / size, y / size, z);
  // Distance from every cell to the nearest player, computed once.
  const dist = new Float64Array(st.width * st.height).fill(Infinity);
  for (let p = 0; p < e.nPlayers; p++) {
    const px = st.x[e.slot[p]!]!;
    const py = st.y[e.slot[p]!]!;
    for (let x = 0; x < st.width; x++) {
      for (let y = 0; y < st.height; y++) {
        const d = Math.sqrt((x - px) ** 2 + (y - py) ** 2);
        if (d < dist[x * st.height + y]!) dist[x * st.height + y] = d;
      }
    }
  }
  const tunnels = new Uint8Array(st.width * st.height);
  const [sx, sy] = g.tunnels.stretch;
  for (let x = 0; x < st.width; x++) {
    for (let y = 0; y < st.height; y++) {
      let start = g.spawnRadius - dist[x * st.height + y]!;
      start += g.spawnNoise.weight * noise(x, y, g.spawnNoise.z, spawnOct, true);
      start = 1 / (1 + Math.exp(-start));
      if (start > 0.5) {
        // Water and mountain noise draw no random numbers, so skipping them here changes nothing.
        st.setMaterial(x, y, id.grass!);
        continue;
      }
      let water = noise(x, y, g.water.z, waterOct, false) + g.water.offset;
      water -= g.water.startWeight * start;
      let mountain = noise(x, y, g.mountain.z, mountainOct, true);
      mountain -= g.mountain.startWeight * start + g.mountain.waterWeight * water;
      let m: number;
      if (mountain > g.mountain.threshold) {
        if (one(x, y, g.cave.z, g.cave.size) > g.cave.threshold && mountain > g.cave.mountain) m = id.path!;
        else if (noise3((sx * x) / g.tunnels.size, (sy * y) / g.tunnels.size, g.tunnels.z) > g.tunnels.threshold) {
          m = id.path!;
          tunnels[x * st.height + y] = 1;
        } else if (noise3((sy * x) / g.tunnels.size, (sx * y) / g.tunnels.size, g.tunnels.z) > g.tunnels.threshold) {
          m = id.path!;
          tunnels[x * st.height + y] = 1;
        } else if (one(x, y, g.coal.z, g.coal.size) > g.coal.threshold && rng.float() > g.coal.uniform) m = id.coal!;
        else if (one(x, y, g.iron.z, g.iron.size) > g.iron.threshold && rng.float() > g.iron.uniform) m = id.iron!;
        else if (mountain > g.diamond.mountain && rng.float() > g.diamond.uniform) m = id.diamond!;
        else if (mountain > g.lava.mountain && one(x, y, g.lava.z, g.lava.size) > g.lava.threshold) m = id.lava!;
        else m = id.stone!;
      } else if (g.sand.waterMin < water && water <= g.sand.waterMax && one(x, y, g.sand.z, g.sand.size) > g.sand.threshold) m = id.sand!;
      else if (g.waterThreshold < water) m = id.water!;
      else if (one(x, y, g.tree.z, g.tree.size) > g.tree.threshold && rng.float() > g.tree.uniform) m = id.tree!;
      else m = id.grass!;
      st.setMaterial(x, y, m);
    }
  }
  for (let x = 0; x < st.width; x++) {
    for (let y = 0; y < st.height; y++) {
      const m = st.mat[x * st.height + y]!;
      if (!e.rules.walkCreature[m] || st.objectAt(x, y) >= 0) continue;
      const d = dist[x * st.height + y]!;
      if (d > g.cow.minDistance && m === id.grass && rng.float() > g.cow.uniform) e.spawn(Kind.cow, x, y);
      else if (g.hostiles && d > g.zombie.minDistance && rng.float() > g.zombie.uniform) e.spawn(Kind.zombie, x, y);
      else if (g.hostiles && m === id.path && tunnels[x * st.height + y] && rng.float() > g.skeleton.uniform) e.spawn(Kind.skeleton, x, y);
    }
  }
}
