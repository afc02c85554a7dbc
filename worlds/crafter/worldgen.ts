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
  const noise = (x: number, y: number, z: number, sizes: Readonly<Record<string, number>>, normalize = true): number => {
    let value = 0;
    let total = 0;
    for (const key in sizes) {
      const size = Number(key);
      const weight = sizes[key]!;
      value += weight * noise3(x / size, y / size, z);
      total += weight;
    }
    return normalize ? value / total : value;
  };
  const one = (x: number, y: number, z: number, size: number) => noise3(x / size, y / size, z);
  const px: number[] = [];
  const py: number[] = [];
  for (let p = 0; p < e.nPlayers; p++) {
    px.push(st.x[e.slot[p]!]!);
    py.push(st.y[e.slot[p]!]!);
  }
  const nearest = (x: number, y: number) => {
    let best = Infinity;
    for (let i = 0; i < px.length; i++) best = Math.min(best, Math.hypot(x - px[i]!, y - py[i]!));
    return best;
  };
  const tunnels = new Uint8Array(st.width * st.height);
  const [sx, sy] = g.tunnels.stretch;
  for (let x = 0; x < st.width; x++) {
    for (let y = 0; y < st.height; y++) {
      let start = g.spawnRadius - nearest(x, y);
      start += g.spawnNoise.weight * noise(x, y, g.spawnNoise.z, g.spawnNoise.sizes);
      start = 1 / (1 + Math.exp(-start));
      let water = noise(x, y, g.water.z, g.water.sizes, false) + g.water.offset;
      water -= g.water.startWeight * start;
      let mountain = noise(x, y, g.mountain.z, g.mountain.sizes);
      mountain -= g.mountain.startWeight * start + g.mountain.waterWeight * water;
      let m: number;
      if (start > 0.5) m = id.grass!;
      else if (mountain > g.mountain.threshold) {
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
      const dist = nearest(x, y);
      if (dist > g.cow.minDistance && m === id.grass && rng.float() > g.cow.uniform) e.spawn(Kind.cow, x, y);
      else if (g.hostiles && dist > g.zombie.minDistance && rng.float() > g.zombie.uniform) e.spawn(Kind.zombie, x, y);
      else if (g.hostiles && m === id.path && tunnels[x * st.height + y] && rng.float() > g.skeleton.uniform) e.spawn(Kind.skeleton, x, y);
    }
  }
}
