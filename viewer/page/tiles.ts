/// <reference lib="dom" />
/**
 * Procedural pixel tiles: every material, creature and object the page draws is painted here, pixel by pixel, from
 * a small palette and a position hash. No image files ship with canopy, and a tile looks the same on every load.
 */
import { context2d } from './dom.js';

/** Tile edge in source pixels; the world canvas scales tiles up with smoothing off. */
export const TILE = 16;

type Rgb = readonly [number, number, number];
type Painter = (px: PixelPainter) => void;

/** Deterministic per-pixel noise in [0, 1): the same tile name always gets the same texture. */
function hash(x: number, y: number, seed: number): number {
  let h = (x * 374761393 + y * 668265263 + seed * 2246822519) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function seedOf(name: string): number {
  let s = 7;
  for (let i = 0; i < name.length; i++) s = (Math.imul(s, 31) + name.charCodeAt(i)) >>> 0;
  return s;
}

function shade(c: Rgb, f: number): Rgb {
  return [Math.min(255, c[0] * f), Math.min(255, c[1] * f), Math.min(255, c[2] * f)];
}

/** A 16x16 RGBA buffer with the few drawing primitives the painters need. */
class PixelPainter {
  readonly data = new Uint8ClampedArray(TILE * TILE * 4);
  constructor(readonly seed: number) {}
  set(x: number, y: number, c: Rgb, a = 255): void {
    if (x < 0 || y < 0 || x >= TILE || y >= TILE) return;
    const i = (y * TILE + x) * 4;
    this.data[i] = c[0]; this.data[i + 1] = c[1]; this.data[i + 2] = c[2]; this.data[i + 3] = a;
  }
  rect(x0: number, y0: number, w: number, h: number, c: Rgb): void {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) this.set(x, y, c);
  }
  /** Fill with `base`, each pixel lightened or darkened by up to `spread`. */
  noise(base: Rgb, spread: number): void {
    for (let y = 0; y < TILE; y++) for (let x = 0; x < TILE; x++) this.set(x, y, shade(base, 1 - spread + 2 * spread * hash(x, y, this.seed)));
  }
  /** Scatter `n` specks of `c` (2x2 when `big`) at hashed places, away from the edges. */
  specks(n: number, c: Rgb, big = false, salt = 1): void {
    for (let i = 0; i < n; i++) {
      const x = 2 + Math.floor(hash(i, salt, this.seed) * (TILE - 5));
      const y = 2 + Math.floor(hash(salt, i, this.seed + 1) * (TILE - 5));
      this.set(x, y, c);
      if (big) { this.set(x + 1, y, c); this.set(x, y + 1, shade(c, 0.8)); this.set(x + 1, y + 1, shade(c, 0.7)); }
    }
  }
  circle(cx: number, cy: number, r: number, c: Rgb): void {
    for (let y = 0; y < TILE; y++) for (let x = 0; x < TILE; x++) if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r) this.set(x, y, c);
  }
  /** Draw an ASCII sprite: each character maps to a colour in `pal`; '.' is transparent. */
  sprite(rows: readonly string[], pal: Readonly<Record<string, Rgb>>): void {
    rows.forEach((row, y) => [...row].forEach((ch, x) => { const c = pal[ch]; if (c) this.set(x, y, c); }));
  }
}

const C = {
  grass: [86, 160, 70], water: [52, 110, 200], stone: [128, 128, 134], path: [176, 160, 128], sand: [222, 204, 150],
  lava: [220, 80, 30], wood: [132, 88, 48], leaf: [44, 118, 52], coal: [34, 34, 38], iron: [206, 152, 118],
  diamond: [150, 240, 250], dark: [40, 40, 46], white: [240, 240, 240], black: [16, 16, 20], red: [210, 50, 50],
} satisfies Record<string, Rgb>;

const ore = (specks: Rgb, big: boolean): Painter => (p) => { p.noise(C.stone, 0.12); p.specks(6, specks, big); };

/** Painters for the materials of every world canopy ships (Crafter, navigation). */
const MATERIALS: Readonly<Record<string, Painter>> = {
  grass: (p) => { p.noise(C.grass, 0.1); p.specks(5, shade(C.grass, 1.25)); },
  water: (p) => { p.noise(C.water, 0.06); for (let i = 0; i < 3; i++) { const y = 3 + i * 5; const x = Math.floor(hash(i, 9, p.seed) * 8); p.rect(x, y, 5, 1, shade(C.water, 1.3)); } },
  stone: (p) => { p.noise(C.stone, 0.14); p.specks(4, shade(C.stone, 0.7)); },
  path: (p) => { p.noise(C.path, 0.08); },
  sand: (p) => { p.noise(C.sand, 0.06); p.specks(6, shade(C.sand, 0.85)); },
  tree: (p) => {
    p.noise(C.grass, 0.1);
    p.rect(7, 10, 2, 5, C.wood);
    p.circle(8, 7, 6, C.leaf);
    p.specks(7, shade(C.leaf, 1.35), false, 3);
    p.specks(4, shade(C.leaf, 0.7), false, 5);
  },
  lava: (p) => { p.noise(C.lava, 0.18); p.specks(5, [255, 200, 60], true); },
  coal: ore(C.coal, true),
  iron: ore(C.iron, true),
  diamond: (p) => { p.noise(C.stone, 0.12); p.specks(4, C.diamond, true); p.specks(3, C.white, false, 7); },
  table: (p) => { p.noise(C.path, 0.06); p.rect(2, 4, 12, 3, shade(C.wood, 1.2)); p.rect(3, 7, 2, 7, C.wood); p.rect(11, 7, 2, 7, C.wood); p.rect(4, 2, 3, 2, C.stone); },
  furnace: (p) => { p.noise(shade(C.stone, 0.8), 0.1); p.rect(2, 2, 12, 12, shade(C.stone, 0.95)); p.rect(5, 8, 6, 5, C.black); p.rect(6, 10, 4, 3, [255, 140, 40]); p.rect(7, 11, 2, 2, [255, 220, 90]); },
  // navigation
  empty: (p) => { p.noise([214, 214, 206], 0.03); },
  wall: (p) => { p.noise([70, 74, 86], 0.08); for (let y = 0; y < TILE; y += 4) p.rect(0, y, TILE, 1, [50, 54, 64]); for (let y = 0; y < TILE; y += 4) p.rect(((y / 4) % 2) * 6 + 2, y, 1, 4, [50, 54, 64]); },
  doorLocked: (p) => { p.noise(C.wood, 0.08); p.rect(0, 0, TILE, 2, C.dark); p.rect(6, 6, 4, 4, [230, 190, 60]); p.rect(7, 8, 2, 3, C.black); },
  doorOpen: (p) => { p.noise([214, 214, 206], 0.03); p.rect(0, 0, 2, TILE, C.wood); p.rect(14, 0, 2, TILE, C.wood); },
  key: (p) => { p.noise([214, 214, 206], 0.03); p.circle(5, 8, 3, [230, 190, 60]); p.rect(7, 7, 7, 2, [230, 190, 60]); p.rect(11, 9, 1, 2, [230, 190, 60]); p.rect(13, 9, 1, 3, [230, 190, 60]); p.set(5, 8, [214, 214, 206]); },
  goal: (p) => { p.noise([214, 214, 206], 0.03); p.circle(8, 8, 6, [60, 180, 90]); p.circle(8, 8, 4, C.white); p.circle(8, 8, 2, [60, 180, 90]); },
};

/** Creature and object sprites. Players get their colour from the agent; `pal.a` is that colour. */
const SPRITES: Readonly<Record<string, readonly string[]>> = {
  player: [
    '................', '.....hhhhhh.....', '....hhhhhhhh....', '....hsssssh.....', '....sesssess....', '....ssssssss....',
    '.....ssmmss.....', '...aaaaaaaaaa...', '..saaaaaaaaaas..', '..saaaaaaaaaas..', '..s.aaaaaaaa.s..', '....aaaaaaaa....',
    '....bbb..bbb....', '....bbb..bbb....', '....kkk..kkk....', '................',
  ],
  zombie: [
    '................', '....gggggggg....', '...gggggggggg...', '...gRRggggRRg...', '...gggggggggg...', '...ggkkkkkkgg...',
    '....gggggggg....', '..cccccccccccc..', '.gcccccccccccg..', '.g.cccccccccc.g.', '...cccccccccc...', '....bb....bb....',
    '....bb....bb....', '....gg....gg....', '...ggg....ggg...', '................',
  ],
  skeleton: [
    '................', '.....wwwwww.....', '....wwwwwwww....', '....wkkwwkkw....', '....wwwwwwww....', '.....wkwkww.....',
    '......wwww......', '.....wwwwww.....', '...w.wkwkww.w...', '..w..wwwwww..w..', '.....wkwkww.....', '......wwww......',
    '.....ww..ww.....', '.....w....w.....', '....ww....ww....', '................',
  ],
  cow: [
    '................', '................', '................', '..hh........hh..', '..wwwwwwwwwwwww.', '.kwwkkwwwwkkwwwk',
    '.wwwkkwwwwwkwwwn', '.wwwwwwwwwwwwwwn', '.wwkkwwwwwkkwww.', '..wkkwwwwwkkww..', '..ww.ww..ww.ww..', '..ww.ww..ww.ww..',
    '..kk.kk..kk.kk..', '................', '................', '................',
  ],
  plant: [
    '................', '................', '................', '................', '.......l........', '......lll.......',
    '....l.lll.l.....', '...lll.l.lll....', '....lllllll.....', '.......l........', '.......l........', '......lll.......',
    '.....ddddd......', '................', '................', '................',
  ],
  goal: [
    '................', '....k...........', '....kaaaaaaa....', '....kaaaaaaaa...', '....kaaaaaaaaa..', '....kaaaaaaaa...',
    '....kaaaaaaa....', '....k...........', '....k...........', '....k...........', '....k...........', '....k...........',
    '...kkk..........', '..kkkkk.........', '................', '................',
  ],
  arrow: [
    '................', '................', '................', '................', '................', '................',
    '................', '..ff........hh..', '..ffwwwwwwwwhhh.', '..ff........hh..', '................', '................',
    '................', '................', '................', '................',
  ],
};

const SPRITE_PALETTE: Readonly<Record<string, Rgb>> = {
  h: [70, 46, 30], s: [236, 190, 150], e: C.black, m: [170, 90, 80], b: [60, 70, 120], k: C.black, g: [96, 160, 90],
  R: C.red, c: [70, 100, 150], w: C.white, n: [230, 150, 150], l: [70, 170, 60], d: C.wood, f: [200, 200, 200],
};

function hexToRgb(hex: string): Rgb {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  const v = m ? parseInt(m[1]!, 16) : 0x888888;
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** A tile for a name nobody painted: a flat colour from the name, so a new material is visible and stable. */
function fallback(name: string, color?: string): Painter {
  const s = seedOf(name);
  const base: Rgb = color ? hexToRgb(color) : [60 + (s % 160), 60 + ((s >> 8) % 160), 60 + ((s >> 16) % 160)];
  return (p) => { p.noise(base, 0.1); p.rect(0, 0, TILE, 1, shade(base, 0.7)); };
}

/**
 * Paints tiles once and keeps them. `material(name)` for cells, `sprite(kind, colour, facing)` for creatures and
 * players (facing `[dx, dy]` flips or rotates the sprite), both as canvases ready for `drawImage`.
 */
export class TileAtlas {
  private readonly cache = new Map<string, HTMLCanvasElement>();

  /** A cell tile; `color` (the world legend's) tints a material canopy has no painter for. */
  material(name: string, color?: string): HTMLCanvasElement {
    return this.tile(`m:${name}`, MATERIALS[name] ?? fallback(name, color), name);
  }

  /** True when the atlas has a sprite for this object kind (others are drawn as a labelled marker). */
  hasSprite(kind: string): boolean {
    return kind in SPRITES;
  }

  sprite(kind: string, color = '#3d7be0', facing: readonly [number, number] = [0, 1]): HTMLCanvasElement {
    const rows = SPRITES[kind];
    const pal = { ...SPRITE_PALETTE, a: hexToRgb(color) };
    const painter: Painter = rows
      ? (p) => p.sprite(rows, pal)
      : (p) => { p.circle(8, 8, 6, hexToRgb(color)); p.circle(8, 8, 3, C.white); };
    const key = `s:${kind}:${color}:${facing[0]},${facing[1]}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const base = this.tile(`s:${kind}:${color}`, painter, kind);
    const out = orient(base, kind === 'arrow' ? facing : [facing[0], 0]);
    this.cache.set(key, out);
    return out;
  }

  private tile(key: string, paint: Painter, name: string): HTMLCanvasElement {
    const hit = this.cache.get(key);
    if (hit) return hit;
    const p = new PixelPainter(seedOf(name));
    paint(p);
    const c = document.createElement('canvas');
    c.width = TILE; c.height = TILE;
    context2d(c).putImageData(new ImageData(p.data, TILE, TILE), 0, 0);
    this.cache.set(key, c);
    return c;
  }
}

/** Arrows point right in the sprite; creatures face right. Rotate or mirror for the object's facing. */
function orient(src: HTMLCanvasElement, facing: readonly [number, number]): HTMLCanvasElement {
  const [dx, dy] = facing;
  if ((dx === 1 && dy === 0) || (dx === 0 && dy === 0)) return src;
  const c = document.createElement('canvas');
  c.width = TILE; c.height = TILE;
  const g = context2d(c);
  g.translate(TILE / 2, TILE / 2);
  if (dx === -1) g.scale(-1, 1);
  else if (dy !== 0) g.rotate(dy > 0 ? Math.PI / 2 : -Math.PI / 2);
  g.drawImage(src, -TILE / 2, -TILE / 2);
  return c;
}
