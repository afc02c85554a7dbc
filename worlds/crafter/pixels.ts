import type { CrafterEngine } from './engine.js';


/**
 * A 64x64x3 uint8 image in the reference's layout (9x9 units of 7 px: 9x7 map cells over 2 inventory rows), drawn
 * from canopy's own procedural tiles: a base colour per material with a simple texture, objects as inset squares,
 * inventory items as a colour chip with a bar for the count. Night darkens and sleep greys the map.
 */
export const MATERIAL_RGB: Record<string, [number, number, number]> = {
  water: [60, 110, 220], grass: [90, 170, 70], stone: [130, 130, 130], path: [190, 170, 130], sand: [225, 210, 150],
  tree: [40, 100, 40], lava: [230, 90, 20], coal: [40, 40, 40], iron: [190, 150, 120], diamond: [120, 230, 230],
  table: [150, 100, 50], furnace: [90, 60, 60],
};
export const KIND_RGB: [number, number, number][] = [
  [0, 0, 0], [240, 220, 180], [160, 110, 70], [60, 140, 60], [230, 230, 230], [200, 200, 60], [70, 200, 90],
];
const UNIT = 7;
const SIZE = 64;

export function renderPixels(e: CrafterEngine, p: number): Uint8Array {
  const img = new Uint8Array(SIZE * SIZE * 3);
  const st = e.store;
  const r = e.rules;
  const [cols, rows] = r.data.world.localView;
  const s = e.slot[p]!;
  const ox = st.x[s]! - (cols >> 1);
  const oy = st.y[s]! - (rows >> 1);
  const light = 0.35 + 0.65 * e.daylight;
  const asleep = e.sleeping[p] === 1;
  const put = (px: number, py: number, rgb: readonly number[], shade: number) => {
    if (px < 0 || py < 0 || px >= SIZE || py >= SIZE) return;
    const i = (py * SIZE + px) * 3;
    let [cr, cg, cb] = [rgb[0]! * shade, rgb[1]! * shade, rgb[2]! * shade];
    if (asleep && py < rows * UNIT) cr = cg = cb = (cr + cg + cb) / 3;
    img[i] = Math.min(255, cr);
    img[i + 1] = Math.min(255, cg);
    img[i + 2] = Math.min(255, cb);
  };
  for (let cy = 0; cy < rows; cy++) {
    for (let cx = 0; cx < cols; cx++) {
      const x = ox + cx;
      const y = oy + cy;
      const m = st.material(x, y);
      const rgb = m === 0 ? [127, 127, 127] : (MATERIAL_RGB[r.materials[m - 1]!] ?? [255, 0, 255]);
      const o = st.objectAt(x, y);
      for (let dy = 0; dy < UNIT; dy++) {
        for (let dx = 0; dx < UNIT; dx++) {
          const texture = (dx + dy) % 3 === 0 ? 0.88 : 1;
          const inset = dx >= 1 && dx <= 5 && dy >= 1 && dy <= 5;
          const col = o >= 0 && inset ? KIND_RGB[st.kind[o]!]! : rgb;
          put(cx * UNIT + dx, cy * UNIT + dy, col, light * texture);
        }
      }
    }
  }
  // Inventory rows: one cell per item in rules order, a chip and a bar whose length shows the count.
  r.items.forEach((item, i) => {
    const n = e.inv[p * e.nItems + i]!;
    if (n < 1) return;
    const cx = i % cols;
    const cy = rows + Math.floor(i / cols);
    const hue = (i * 47) % 255;
    const chip = [hue, 255 - hue, (hue * 3) % 255];
    for (let dy = 1; dy < 4; dy++) for (let dx = 1; dx < 6; dx++) put(cx * UNIT + dx, cy * UNIT + dy, chip, 1);
    const bar = Math.min(UNIT - 1, Math.ceil((n / Math.max(1, r.itemMax[i]!)) * (UNIT - 1)));
    for (let dx = 0; dx < bar; dx++) put(cx * UNIT + dx, cy * UNIT + 5, [255, 255, 255], 1);
  });
  return img;
}


