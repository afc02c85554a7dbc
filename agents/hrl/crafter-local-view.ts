import type { SymbolicObservation } from '../../worlds/crafter/observation.js';
import type { CrafterRules } from '../../worlds/crafter/rules.js';
import { KIND_NAMES } from '../../worlds/crafter/world-store.js';

/** Facing one-hot order of the observation: left, right, up, down. */
const FACING: readonly (readonly [number, number])[] = [
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
];
/** Channels per cell of `flat`, and the ripe-plant block channel among them (Craftax-Classic's layout). */
const FLAT_CHANNELS = 21;
const RIPE_PLANT = 16;
/** Object kinds after the materials in the map's semantic ids (the world's `Kind` order, 1-based after `none`). */
const OBJECTS = KIND_NAMES.slice(1);

/**
 * Reads the egocentric symbolic observation by name: the player stands at the centre of the local view, the map
 * holds material ids (1-based, rules order) or `materials.length + kind` for an object. What options and the
 * survival rules need: the faced cell, materials within a distance, the nearest creature of a kind, vitals.
 */
export class CrafterLocalView {
  readonly cols: number;
  readonly rows: number;
  private readonly objectId = new Map<string, number>();
  private readonly vital: Record<'health' | 'food' | 'drink' | 'energy', number>;
  /** Non-vital items in `observation.inventory` order. */
  readonly inventoryNames: readonly string[];
  private readonly inventorySlot = new Map<string, number>();

  constructor(readonly rules: CrafterRules) {
    [this.cols, this.rows] = rules.data.world.localView;
    OBJECTS.forEach((k, i) => this.objectId.set(k, rules.materials.length + 1 + i));
    const v = rules.vital;
    const order = [v.health, v.food, v.drink, v.energy];
    const at = (i: number) => order.indexOf(i);
    this.vital = { health: at(v.health), food: at(v.food), drink: at(v.drink), energy: at(v.energy) };
    const vitals = new Set(order);
    this.inventoryNames = rules.items.filter((_, i) => !vitals.has(i));
    this.inventoryNames.forEach((n, i) => this.inventorySlot.set(n, i));
  }

  /** How many of a non-vital item the player holds (0 for a name the inventory does not hold). */
  held(obs: SymbolicObservation, item: string): number {
    const i = this.inventorySlot.get(item);
    return i === undefined ? 0 : (obs.inventory[i] as number);
  }

  /** The semantic id of a material or object name. */
  id(name: string): number {
    const m = this.rules.materialId[name];
    if (m !== undefined) return m;
    const o = this.objectId.get(name);
    if (o === undefined) throw new RangeError(`crafter local view: no material or object "${name}"`);
    return o;
  }

  /** A material's or object's name from its semantic id ('' off the map). */
  nameOf(id: number): string {
    if (id >= 1 && id <= this.rules.materials.length) return this.rules.materials[id - 1] as string;
    return OBJECTS[id - this.rules.materials.length - 1] ?? '';
  }

  /** The id in the cell `(dx, dy)` from the player, 0 outside the view. */
  at(obs: SymbolicObservation, dx: number, dy: number): number {
    const c = (this.cols >> 1) + dx;
    const r = (this.rows >> 1) + dy;
    if (c < 0 || c >= this.cols || r < 0 || r >= this.rows) return 0;
    return obs.map[r * this.cols + c] as number;
  }

  /** The offset of the faced cell. */
  facing(obs: SymbolicObservation): readonly [number, number] {
    const i = obs.facing.indexOf(1);
    return FACING[i < 0 ? 3 : i] as readonly [number, number];
  }

  /** The name in the faced cell. */
  faced(obs: SymbolicObservation): string {
    const [dx, dy] = this.facing(obs);
    return this.nameOf(this.at(obs, dx, dy));
  }

  /** Chebyshev distance to the nearest cell holding `name` (a material or object), Infinity when none is in view. */
  distanceTo(obs: SymbolicObservation, name: string): number {
    const id = this.id(name);
    let best = Infinity;
    const hc = this.cols >> 1;
    const hr = this.rows >> 1;
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++) {
        if (obs.map[r * this.cols + c] === id) best = Math.min(best, Math.max(Math.abs(c - hc), Math.abs(r - hr)));
      }
    }
    return best;
  }

  /** Whether a ripe plant is in view (read from `flat`'s ripe-plant channel; false without `flat`). */
  ripePlantInView(obs: SymbolicObservation): boolean {
    const f = obs.flat;
    if (!f) return false;
    for (let c = 0; c < this.cols * this.rows; c++) if ((f[c * FLAT_CHANNELS + RIPE_PLANT] as number) > 0) return true;
    return false;
  }

  /** Whether the cell `(dx, dy)` from the player holds a ripe plant (false without `flat`). */
  ripeAt(obs: SymbolicObservation, dx: number, dy: number): boolean {
    const c = (this.cols >> 1) + dx;
    const r = (this.rows >> 1) + dy;
    if (c < 0 || c >= this.cols || r < 0 || r >= this.rows || !obs.flat) return false;
    return (obs.flat[(r * this.cols + c) * FLAT_CHANNELS + RIPE_PLANT] as number) > 0;
  }

  vitalOf(obs: SymbolicObservation, name: 'health' | 'food' | 'drink' | 'energy'): number {
    return obs.vitals[this.vital[name]] as number;
  }
}
