/**
 * The grid store: a material layer (Uint8Array), an object layer (Int32Array of object slot + 1, 0 = empty) and
 * objects as struct-of-arrays slots kept in creation order (the reference updates objects in creation order).
 * Cells are indexed `x * height + y`, like the reference's `world[x, y]`.
 */

/** Object kinds; the order matches the reference's semantic ids (13 + kind - 1). */
export const Kind = { none: 0, player: 1, cow: 2, zombie: 3, skeleton: 4, arrow: 5, plant: 6 } as const;
export type KindId = (typeof Kind)[keyof typeof Kind];
export const KIND_NAMES = ['none', 'player', 'cow', 'zombie', 'skeleton', 'arrow', 'plant'] as const;

export class WorldStore {
  readonly mat: Uint8Array;
  readonly obj: Int32Array;
  /** Chunk ids ever touched by an object, in first-touch order (the reference balances only those). */
  readonly touchedChunks: Int32Array;
  touchedCount = 0;
  private readonly touched: Uint8Array;
  readonly chunksX: number;
  readonly chunksY: number;
  /** Chunk id of every cell, precomputed (chunk ids are `cx * chunksY + cy`). */
  readonly cellChunk: Int32Array;

  // Object slots (struct of arrays); grown by doubling.
  kind = new Uint8Array(64);
  x = new Int32Array(64);
  y = new Int32Array(64);
  health = new Int32Array(64);
  /** Zombie cooldown, skeleton reload, plant growth, player index. */
  counter = new Int32Array(64);
  dx = new Int8Array(64);
  dy = new Int8Array(64);
  removed = new Uint8Array(64);
  private capacity = 64;
  private slotsUsed = 0;
  private free: number[] = [];
  private pendingFree: number[] = [];
  private pendingCompact = false;
  /** Live slots in creation order; removed ones are compacted away at {@link beginStep}. */
  order = new Int32Array(64);
  orderLen = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly chunkW: number,
    readonly chunkH: number,
  ) {
    this.mat = new Uint8Array(width * height);
    this.obj = new Int32Array(width * height);
    this.chunksX = Math.ceil(width / chunkW);
    this.chunksY = Math.ceil(height / chunkH);
    this.touched = new Uint8Array(this.chunksX * this.chunksY);
    this.cellChunk = new Int32Array(width * height);
    for (let x = 0; x < width; x++) for (let y = 0; y < height; y++) this.cellChunk[x * height + y] = Math.floor(x / chunkW) * this.chunksY + Math.floor(y / chunkH);
    this.touchedChunks = new Int32Array(this.chunksX * this.chunksY);
  }

  clear(): void {
    this.mat.fill(0);
    this.obj.fill(0);
    this.touched.fill(0);
    this.touchedCount = 0;
    this.slotsUsed = 0;
    this.free.length = 0;
    this.pendingFree.length = 0;
    this.pendingCompact = false;
    this.orderLen = 0;
  }

  inside(x: number, y: number): boolean {
    return x >= 0 && y >= 0 && x < this.width && y < this.height;
  }

  /** Material id at (x, y); 0 outside the map. */
  material(x: number, y: number): number {
    return this.inside(x, y) ? this.mat[x * this.height + y]! : 0;
  }

  /** Object slot at (x, y), or -1. */
  objectAt(x: number, y: number): number {
    return this.inside(x, y) ? this.obj[x * this.height + y]! - 1 : -1;
  }

  setMaterial(x: number, y: number, m: number): void {
    this.mat[x * this.height + y] = m;
  }

  chunkOf(x: number, y: number): number {
    return this.cellChunk[x * this.height + y]!;
  }

  private touch(x: number, y: number): void {
    const c = this.chunkOf(x, y);
    if (!this.touched[c]) {
      this.touched[c] = 1;
      this.touchedChunks[this.touchedCount++] = c;
    }
  }

  /** Add an object at a free cell; returns its slot. */
  add(kind: KindId, x: number, y: number, health: number): number {
    const cell = x * this.height + y;
    if (this.obj[cell] !== 0) throw new Error(`cell (${x}, ${y}) already holds an object`);
    let s = this.free.pop();
    if (s === undefined) {
      if (this.slotsUsed === this.capacity) this.grow();
      s = this.slotsUsed++;
    }
    this.kind[s] = kind;
    this.x[s] = x;
    this.y[s] = y;
    this.health[s] = health;
    this.counter[s] = 0;
    this.dx[s] = 0;
    this.dy[s] = 0;
    this.removed[s] = 0;
    this.obj[cell] = s + 1;
    if (this.orderLen === this.order.length) {
      const o = new Int32Array(this.order.length * 2);
      o.set(this.order);
      this.order = o;
    }
    this.order[this.orderLen++] = s;
    this.touch(x, y);
    return s;
  }

  /**
   * Remove an object; its slot keeps its fields until the next step, as a removed reference object does. With
   * `recycle` false the slot is never reused this episode (dead players keep their last position for `state()`).
   */
  remove(s: number, recycle = true): void {
    if (this.removed[s]) return;
    this.obj[this.x[s]! * this.height + this.y[s]!] = 0;
    this.removed[s] = 1;
    if (recycle) this.pendingFree.push(s);
    else this.pendingCompact = true;
  }

  /** Move a live object to a free cell (no-op for a removed one). */
  move(s: number, x: number, y: number): void {
    if (this.removed[s]) return;
    this.obj[this.x[s]! * this.height + this.y[s]!] = 0;
    this.obj[x * this.height + y] = s + 1;
    this.x[s] = x;
    this.y[s] = y;
    this.touch(x, y);
  }

  /** Compact the creation-order list and recycle slots removed during the previous step. */
  beginStep(): void {
    if (this.pendingFree.length === 0 && !this.pendingCompact) return;
    this.pendingCompact = false;
    let n = 0;
    for (let i = 0; i < this.orderLen; i++) {
      const s = this.order[i]!;
      if (!this.removed[s]) this.order[n++] = s;
    }
    this.orderLen = n;
    for (const s of this.pendingFree) this.free.push(s);
    this.pendingFree.length = 0;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const g = <T extends Uint8Array | Int32Array | Int8Array>(a: T, C: new (n: number) => T): T => {
      const b = new C(cap);
      b.set(a);
      return b;
    };
    this.kind = g(this.kind, Uint8Array);
    this.x = g(this.x, Int32Array);
    this.y = g(this.y, Int32Array);
    this.health = g(this.health, Int32Array);
    this.counter = g(this.counter, Int32Array);
    this.dx = g(this.dx, Int8Array);
    this.dy = g(this.dy, Int8Array);
    this.removed = g(this.removed, Uint8Array);
    this.capacity = cap;
  }
}
