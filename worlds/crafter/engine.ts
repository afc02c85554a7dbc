import type { Rng } from '../../core/rng.js';
import type { WorldEventInput } from '../../core/events.js';
import type { CrafterRules, RulesData } from './rules.js';
import { Kind, WorldStore } from './world-store.js';
import type { KindId } from './world-store.js';
import { updatePlayer } from './player-update.js';
import { updateArrow, updateCow, updatePlant, updateSkeleton, updateZombie } from './creatures.js';
import './events.js';

/** A player's pending share: item index and teammate index (-1 for an unknown name). */
export interface ShareIntent {
  item: number;
  to: number;
  toName: string;
}

/**
 * The Crafter simulation for 1..N players: world store, players' state as typed arrays, the step in the reference's
 * order (players act first, then objects within the update distance of any live player in creation order, then
 * chunk balancing every `balance.every` steps).
 */
export class CrafterEngine {
  readonly store: WorldStore;
  readonly nItems: number;
  readonly nAch: number;
  readonly inv: Int32Array;
  readonly ach: Int32Array;
  readonly facingX: Int8Array;
  readonly facingY: Int8Array;
  readonly sleeping: Uint8Array;
  readonly alive: Uint8Array;
  readonly hunger: Float64Array;
  readonly thirst: Float64Array;
  readonly fatigue: Float64Array;
  readonly recover: Float64Array;
  /** The player's own last health (wakes it when hurt). */
  readonly lastHealth: Int32Array;
  readonly slot: Int32Array;
  readonly action: Int32Array;
  readonly share: (ShareIntent | null)[];
  stepCount = 0;
  daylight = 0;
  /** When false the day cycle does not run and daylight stays 1 (scenarios; it only feeds balancing and pixels). */
  daylightEnabled: boolean;
  balanceEnabled: boolean;
  /** Events of the current step; collected only when `recordEvents`. */
  events: WorldEventInput[] = [];
  recordEvents = true;
  rng: Rng;
  /** Scratch (dx, dy) for creature moves, so updates allocate nothing. */
  readonly scratchDir = new Int32Array(2);
  /** plantDamagers[kind] === 1 when that creature hurts an adjacent plant. */
  readonly plantDamagers = new Uint8Array(8);
  private readonly balanceRules: readonly (Omit<RulesData['balance']['rules'][number], 'kind' | 'material'> & { kind: KindId; material: number })[];
  private readonly chunkKindCounts: Int32Array;
  private readonly chunkMaterialCounts: Int32Array;

  constructor(
    readonly rules: CrafterRules,
    readonly nPlayers: number,
    readonly agentNames: readonly string[],
    rng: Rng,
  ) {
    const [w, h] = rules.data.world.area;
    const [cw, ch] = rules.data.world.chunk;
    this.store = new WorldStore(w, h, cw, ch);
    this.nItems = rules.items.length;
    this.nAch = rules.achievements.length;
    this.inv = new Int32Array(nPlayers * this.nItems);
    this.ach = new Int32Array(nPlayers * this.nAch);
    this.facingX = new Int8Array(nPlayers);
    this.facingY = new Int8Array(nPlayers);
    this.sleeping = new Uint8Array(nPlayers);
    this.alive = new Uint8Array(nPlayers);
    this.hunger = new Float64Array(nPlayers);
    this.thirst = new Float64Array(nPlayers);
    this.fatigue = new Float64Array(nPlayers);
    this.recover = new Float64Array(nPlayers);
    this.lastHealth = new Int32Array(nPlayers);
    this.slot = new Int32Array(nPlayers);
    this.action = new Int32Array(nPlayers);
    this.share = new Array(nPlayers).fill(null);
    this.daylightEnabled = rules.data.daylight.enabled;
    this.balanceEnabled = rules.data.balance.enabled;
    this.rng = rng;
    const kinds: Record<string, KindId> = { cow: Kind.cow, zombie: Kind.zombie, skeleton: Kind.skeleton };
    for (const k of rules.data.creatures.plant.damagedBy) this.plantDamagers[kinds[k]!] = 1;
    this.balanceRules = rules.data.balance.rules.map((b) => ({ ...b, kind: kinds[b.kind]!, material: rules.materialId[b.material]! }));
    const nChunks = this.store.chunksX * this.store.chunksY;
    this.chunkKindCounts = new Int32Array(nChunks * 8);
    this.chunkMaterialCounts = new Int32Array(nChunks * (rules.materials.length + 1));
  }

  /** Clear the world and put fresh players at the given cells (world generation fills the rest). */
  resetPlayers(positions: readonly (readonly [number, number])[], rng: Rng): void {
    this.rng = rng;
    this.store.clear();
    this.stepCount = 0;
    this.events = [];
    this.ach.fill(0);
    for (let p = 0; p < this.nPlayers; p++) {
      this.inv.set(this.rules.itemInitial, p * this.nItems);
      this.facingX[p] = 0;
      this.facingY[p] = 1;
      this.sleeping[p] = 0;
      this.alive[p] = 1;
      this.hunger[p] = 0;
      this.thirst[p] = 0;
      this.fatigue[p] = 0;
      this.recover[p] = 0;
      this.lastHealth[p] = this.inv[p * this.nItems + this.rules.vital.health]!;
      this.action[p] = 0;
      this.share[p] = null;
      const [x, y] = positions[p]!;
      const s = this.store.add(Kind.player, x, y, 0);
      this.store.counter[s] = p;
      this.slot[p] = s;
    }
    this.updateDaylight();
  }

  health(p: number): number {
    return this.inv[p * this.nItems + this.rules.vital.health]!;
  }

  /** Damage a player (health floors at 0, as the reference's setter). */
  hurtPlayer(p: number, amount: number): void {
    const i = p * this.nItems + this.rules.vital.health;
    this.inv[i] = Math.max(0, this.inv[i]! - amount);
  }

  /** Damage any object: players through their health item, creatures through their own health. */
  hurtObject(s: number, amount: number): void {
    const st = this.store;
    if (st.kind[s] === Kind.player) this.hurtPlayer(st.counter[s]!, amount);
    else st.health[s] = Math.max(0, st.health[s]! - amount);
  }

  /** Count an achievement for player p (the env turns first unlocks into reward). */
  achieve(p: number, a: number): void {
    const i = p * this.nAch + a;
    if (this.ach[i] === 0 && this.recordEvents) this.emit({ type: 'achievementUnlocked', data: { agent: this.agentNames[p]!, achievement: this.rules.achievements[a]! } });
    this.ach[i]!++;
  }

  emit(e: WorldEventInput): void {
    if (this.recordEvents) this.events.push(e);
  }

  /** Nearest live player to (x, y) by Manhattan distance (lowest index on ties), or -1. */
  nearestPlayer(x: number, y: number): number {
    let best = -1;
    let bestD = Infinity;
    const st = this.store;
    for (let p = 0; p < this.nPlayers; p++) {
      if (!this.alive[p]) continue;
      const s = this.slot[p]!;
      const d = Math.abs(st.x[s]! - x) + Math.abs(st.y[s]! - y);
      if (d < bestD) {
        bestD = d;
        best = p;
      }
    }
    return best;
  }

  /** Manhattan distance from (x, y) to the nearest live player (Infinity when none). */
  playerDistance(x: number, y: number): number {
    const p = this.nearestPlayer(x, y);
    if (p < 0) return Infinity;
    const s = this.slot[p]!;
    return Math.abs(this.store.x[s]! - x) + Math.abs(this.store.y[s]! - y);
  }

  updateDaylight(): void {
    const d = this.rules.data.daylight;
    if (!this.daylightEnabled) {
      this.daylight = 1;
      return;
    }
    const progress = ((this.stepCount / d.period) % 1) + d.phase;
    this.daylight = 1 - Math.abs(Math.cos(Math.PI * progress)) ** d.power;
  }

  /** Advance the world one step with the players' actions already in `action` / `share`. Events accumulate in
   * `events` (the env clears them before decoding actions, so rejections found while decoding are kept). */
  step(): void {
    const st = this.store;
    st.beginStep();
    this.stepCount++;
    this.updateDaylight();
    // The reference iterates a snapshot of the objects taken before anyone acts: what players create this step
    // (a plant) first updates next step.
    const n = st.orderLen;
    for (let p = 0; p < this.nPlayers; p++) if (this.alive[p]) updatePlayer(this, p);
    const radius = this.rules.data.world.updateDistance;
    for (let i = 0; i < n; i++) {
      const s = st.order[i]!;
      const k = st.kind[s]!;
      if (k === Kind.player || st.removed[s]) continue;
      if (!(this.playerDistance(st.x[s]!, st.y[s]!) < radius)) continue;
      switch (k) {
        case Kind.cow: updateCow(this, s); break;
        case Kind.zombie: updateZombie(this, s); break;
        case Kind.skeleton: updateSkeleton(this, s); break;
        case Kind.arrow: updateArrow(this, s); break;
        case Kind.plant: updatePlant(this, s); break;
      }
    }
    if (this.balanceEnabled && this.stepCount % this.rules.data.balance.every === 0) this.balance();
  }

  /** Mark players with health <= 0 dead and take them off the grid so they stop blocking and being chased. */
  reapDead(): number[] {
    const dead: number[] = [];
    for (let p = 0; p < this.nPlayers; p++) {
      if (this.alive[p] && this.health(p) <= 0) {
        this.alive[p] = 0;
        const s = this.slot[p]!;
        this.emit({ type: 'death', data: { agent: this.agentNames[p]!, pos: [this.store.x[s]!, this.store.y[s]!] } });
        dead.push(p);
      }
    }
    return dead;
  }

  /** Remove dead players' bodies from the grid (after observations of the death step were taken). */
  clearDead(): void {
    for (let p = 0; p < this.nPlayers; p++) if (!this.alive[p] && !this.store.removed[this.slot[p]!]) this.store.remove(this.slot[p]!, false);
  }

  private balance(): void {
    const st = this.store;
    const light = this.daylight;
    const rules = this.balanceRules;
    // One pass over objects: per (chunk, kind) counts; members are gathered lazily for a despawn.
    const counts = this.chunkKindCounts;
    counts.fill(0);
    for (let i = 0; i < st.orderLen; i++) {
      const s = st.order[i]!;
      if (!st.removed[s]) counts[st.chunkOf(st.x[s]!, st.y[s]!) * 8 + st.kind[s]!]!++;
    }
    const space = this.chunkMaterialCounts;
    const nm = this.rules.materials.length + 1;
    space.fill(0);
    for (let c = 0; c < st.mat.length; c++) space[st.cellChunk[c]! * nm + st.mat[c]!]!++;
    for (let c = 0; c < st.touchedCount; c++) {
      const chunk = st.touchedChunks[c]!;
      const cx = Math.floor(chunk / st.chunksY) * st.chunkW;
      const cy = (chunk % st.chunksY) * st.chunkH;
      const xmax = Math.min(cx + st.chunkW, st.width);
      const ymax = Math.min(cy + st.chunkH, st.height);
      for (const b of rules) {
        const n = counts[chunk * 8 + b.kind]!;
        const free = space[chunk * nm + b.material]!;
        const tmin = free < b.minSpace ? 0 : b.min + b.minDaylight * light;
        const tmax = b.max + b.maxDaylight * light;
        if (n < Math.trunc(tmin) && free > 0 && this.rng.float() < b.spawnProbability) {
          let pick = this.rng.int(0, free - 1);
          let px = -1;
          let py = -1;
          for (let x = cx; x < xmax && px < 0; x++) {
            for (let y = cy; y < ymax; y++) {
              if (st.mat[x * st.height + y] === b.material && pick-- === 0) {
                px = x;
                py = y;
                break;
              }
            }
          }
          if (st.objectAt(px, py) < 0 && this.playerDistance(px, py) >= b.spawnDistance) {
            this.spawn(b.kind, px, py);
            counts[chunk * 8 + b.kind]!++;
          }
        } else if (n > Math.trunc(tmax) && this.rng.float() < b.despawnProbability) {
          let k = this.rng.int(0, n - 1);
          for (let i = 0; i < st.orderLen; i++) {
            const s = st.order[i]!;
            if (st.kind[s] === b.kind && !st.removed[s] && st.chunkOf(st.x[s]!, st.y[s]!) === chunk && k-- === 0) {
              if (this.playerDistance(st.x[s]!, st.y[s]!) >= b.despawnDistance) {
                st.remove(s);
                counts[chunk * 8 + b.kind]!--;
              }
              break;
            }
          }
        }
      }
    }
  }

  /** Add a creature with its rules' initial health. */
  spawn(kind: KindId, x: number, y: number, health?: number): number {
    const c = this.rules.data.creatures;
    const h = health ?? (kind === Kind.cow ? c.cow.health : kind === Kind.zombie ? c.zombie.health : kind === Kind.skeleton ? c.skeleton.health : kind === Kind.plant ? c.plant.health : 0);
    return this.store.add(kind, x, y, h);
  }
}
