import { box, dict } from '../../core/spaces.js';
import type { DictSpace } from '../../core/spaces.js';
import type { CrafterEngine } from './engine.js';
import type { CrafterRules } from './rules.js';
import { Kind } from './world-store.js';

/**
 * Symbolic observations, pure functions of the engine state.
 *
 * - `map`: uint8 [rows=7, cols=9] (row = y, col = x, the player at row 3, col 4) of semantic ids as the
 *   reference's SemanticView: 0 outside the map, 1..12 materials in rules order, then 13 player, 14 cow,
 *   15 zombie, 16 skeleton, 17 arrow, 18 plant (objects drawn over their cell).
 * - `inventory`: int32 [12] the non-vital items in rules order (sapling, wood, ..., iron_sword).
 * - `vitals`: int32 [4] health, food, drink, energy.
 * - `facing`: uint8 [4] one-hot left, right, up, down.  `light`: float32 [1] daylight.  `sleeping`: uint8 [1].
 * - `flat` (optional): float32 [1345] in Craftax-Classic's layout: 7x9 cells x 21 channels (17 block types:
 *   invalid, out of bounds, grass, water, stone, tree, wood, path, coal, iron, diamond, table, furnace, sand, lava,
 *   plant, ripe plant; then zombie, cow, skeleton, arrow), 12 inventory counts / 10 (wood, stone, coal, iron,
 *   diamond, sapling, wood/stone/iron pickaxe, wood/stone/iron sword), 4 vitals / 10, facing one-hot, light,
 *   sleeping. Other players do not appear in `flat` (Craftax has one player); they do in `map`.
 */
export const FLAT_SIZE = 1345;
const CRAFTAX_BLOCKS = ['invalid', 'out_of_bounds', 'grass', 'water', 'stone', 'tree', 'wood', 'path', 'coal', 'iron', 'diamond', 'table', 'furnace', 'sand', 'lava', 'plant', 'ripe_plant'];
const CRAFTAX_INVENTORY = ['wood', 'stone', 'coal', 'iron', 'diamond', 'sapling', 'wood_pickaxe', 'stone_pickaxe', 'iron_pickaxe', 'wood_sword', 'stone_sword', 'iron_sword'];
/** Craftax mob channel per object kind (0 = not drawn in `flat`: players and plants). */
const MOB_CHANNEL = new Int8Array(8);
MOB_CHANNEL[Kind.zombie] = 17;
MOB_CHANNEL[Kind.cow] = 18;
MOB_CHANNEL[Kind.skeleton] = 19;
MOB_CHANNEL[Kind.arrow] = 20;

export interface SymbolicObservation {
  readonly map: Uint8Array;
  readonly inventory: Int32Array;
  readonly vitals: Int32Array;
  readonly facing: Uint8Array;
  readonly light: Float32Array;
  readonly sleeping: Uint8Array;
  readonly flat?: Float32Array;
  readonly pixels?: Uint8Array;
}

/** Precomputed tables for one ruleset. */
export class ObservationBuilder {
  readonly space: DictSpace;
  readonly rows: number;
  readonly cols: number;
  private readonly invItems: Int32Array;
  private readonly vitalItems: Int32Array;
  private readonly matToBlock: Uint8Array;
  private readonly craftaxInv: Int32Array;
  private readonly objBase: number;
  /** rows * cols * 21 + 22: 1345 for the 9x7 view. */
  readonly flatSize: number;

  constructor(
    private readonly rules: CrafterRules,
    readonly withFlat: boolean,
    pixels: boolean,
  ) {
    const [cols, rows] = rules.data.world.localView;
    this.cols = cols;
    this.rows = rows;
    this.flatSize = rows * cols * 21 + 22;
    const v = rules.vital;
    const vitals = [v.health, v.food, v.drink, v.energy];
    this.vitalItems = Int32Array.from(vitals);
    this.invItems = Int32Array.from(rules.items.map((_, i) => i).filter((i) => !vitals.includes(i)));
    this.objBase = rules.materials.length;
    this.matToBlock = new Uint8Array(rules.materials.length + 1);
    this.matToBlock[0] = 1;
    rules.materials.forEach((m, i) => (this.matToBlock[i + 1] = Math.max(0, CRAFTAX_BLOCKS.indexOf(m))));
    this.craftaxInv = Int32Array.from(CRAFTAX_INVENTORY.map((n) => rules.itemIndex[n] ?? -1));
    let maxItem = 0;
    for (const i of this.invItems) maxItem = Math.max(maxItem, rules.itemMax[i]!);
    let maxVital = 0;
    for (const i of this.vitalItems) maxVital = Math.max(maxVital, rules.itemMax[i]!);
    const spaces: Record<string, ReturnType<typeof box>> = {
      map: box([rows, cols], 0, this.objBase + 6, 'uint8'),
      inventory: box([this.invItems.length], 0, maxItem, 'int32'),
      vitals: box([4], 0, maxVital, 'int32'),
      facing: box([4], 0, 1, 'uint8'),
      light: box([1], 0, 1, 'float32'),
      sleeping: box([1], 0, 1, 'uint8'),
    };
    if (withFlat) spaces.flat = box([this.flatSize], 0, Math.max(1, maxItem / 10, maxVital / 10), 'float32');
    if (pixels) spaces.pixels = box([64, 64, 3], 0, 255, 'uint8');
    this.space = dict(spaces);
  }

  /**
   * Player p's observation. `flatOut` (zeroed, `flatSize` long) receives the one-hot vector: callers building many
   * observations pass views of one buffer, since one large allocation is far cheaper than many 5 KB ones.
   */
  build(e: CrafterEngine, p: number, flatOut?: Float32Array): SymbolicObservation {
    const st = e.store;
    const s = e.slot[p]!;
    const px = st.x[s]!;
    const py = st.y[s]!;
    const rows = this.rows;
    const cols = this.cols;
    const map = new Uint8Array(rows * cols);
    const flat = this.withFlat ? (flatOut ?? new Float32Array(this.flatSize)) : undefined;
    const ox = px - (cols >> 1);
    const oy = py - (rows >> 1);
    const ripe = e.rules.data.creatures.plant.ripeAfter;
    const W = st.width;
    const H = st.height;
    const mat = st.mat;
    const obj = st.obj;
    const kind = st.kind;
    const matToBlock = this.matToBlock;
    const objBase = this.objBase;
    for (let r = 0; r < rows; r++) {
      const y = oy + r;
      const rowIn = y >= 0 && y < H;
      for (let c = 0; c < cols; c++) {
        const x = ox + c;
        const cell = r * cols + c;
        if (!rowIn || x < 0 || x >= W) {
          if (flat) flat[cell * 21 + 1] = 1;
          continue;
        }
        const i = x * H + y;
        const m = mat[i]!;
        const o = obj[i]! - 1;
        if (o < 0) {
          map[cell] = m;
          if (flat) flat[cell * 21 + matToBlock[m]!] = 1;
          continue;
        }
        const k = kind[o]!;
        map[cell] = objBase + k;
        if (!flat) continue;
        if (k === Kind.plant) flat[cell * 21 + (st.counter[o]! > ripe ? 16 : 15)] = 1;
        else {
          flat[cell * 21 + matToBlock[m]!] = 1;
          const ch = MOB_CHANNEL[k]!;
          if (ch > 0) flat[cell * 21 + ch] = 1;
        }
      }
    }
    const base = p * e.nItems;
    const inventory = new Int32Array(this.invItems.length);
    for (let i = 0; i < this.invItems.length; i++) inventory[i] = e.inv[base + this.invItems[i]!]!;
    const vitals = new Int32Array(4);
    for (let i = 0; i < 4; i++) vitals[i] = e.inv[base + this.vitalItems[i]!]!;
    const facing = new Uint8Array(4);
    const fx = e.facingX[p]!;
    const fy = e.facingY[p]!;
    const dirIndex = fx < 0 ? 0 : fx > 0 ? 1 : fy < 0 ? 2 : 3;
    facing[dirIndex] = 1;
    const light = new Float32Array(1);
    light[0] = e.daylight;
    const sleeping = new Uint8Array(1);
    sleeping[0] = e.sleeping[p]!;
    if (flat) {
      let k = rows * cols * 21;
      for (let i = 0; i < 12; i++) {
        const idx = this.craftaxInv[i]!;
        flat[k++] = idx >= 0 ? e.inv[base + idx]! / 10 : 0;
      }
      for (let i = 0; i < 4; i++) flat[k++] = vitals[i]! / 10;
      flat[k + dirIndex] = 1;
      k += 4;
      flat[k++] = e.daylight;
      flat[k++] = e.sleeping[p]!;
    }
    return flat ? { map, inventory, vitals, facing, light, sleeping, flat } : { map, inventory, vitals, facing, light, sleeping };
  }
}
