import type { CrafterEngine } from './engine.js';
import { Kind } from './world-store.js';

/*
 * Creature updates in the reference's order of checks and random draws (objects.py). Like the reference, a creature
 * whose health reached 0 removes itself and then finishes its update: a removed object does not move, but a dead
 * zombie can still bite and a dead skeleton can still shoot in that last update.
 */

const DIRS_X = [-1, 1, 0, 0];
const DIRS_Y = [0, 0, -1, 1];

/** Try to move a creature by (dx, dy) onto a free walkable cell; true when the cell was free (as the reference). */
function moveBy(e: CrafterEngine, s: number, dx: number, dy: number, walk: Uint8Array): boolean {
  const st = e.store;
  const nx = st.x[s]! + dx;
  const ny = st.y[s]! + dy;
  if (!st.inside(nx, ny) || st.objectAt(nx, ny) >= 0 || !walk[st.material(nx, ny)]) return false;
  st.move(s, nx, ny);
  return true;
}

function randomMove(e: CrafterEngine, s: number): boolean {
  const d = e.rng.int(0, 3);
  return moveBy(e, s, DIRS_X[d]!, DIRS_Y[d]!, e.rules.walkCreature);
}

/** Direction toward (tx, ty) along the long axis (or the short one), as the reference's `toward`. */
function toward(e: CrafterEngine, s: number, tx: number, ty: number, longAxis: boolean, out: Int32Array): void {
  const ox = tx - e.store.x[s]!;
  const oy = ty - e.store.y[s]!;
  const ax = Math.abs(ox);
  const ay = Math.abs(oy);
  if (longAxis ? ax > ay : ax <= ay) {
    out[0] = Math.sign(ox);
    out[1] = 0;
  } else {
    out[0] = 0;
    out[1] = Math.sign(oy);
  }
}

function selfRemoveIfDead(e: CrafterEngine, s: number): void {
  if (e.store.health[s]! <= 0) e.store.remove(s);
}

export function updateCow(e: CrafterEngine, s: number): void {
  selfRemoveIfDead(e, s);
  if (e.rng.float() < e.rules.data.creatures.cow.moveProbability) randomMove(e, s);
}

export function updateZombie(e: CrafterEngine, s: number): void {
  const dir = e.scratchDir;
  const z = e.rules.data.creatures.zombie;
  const st = e.store;
  selfRemoveIfDead(e, s);
  const target = e.nearestPlayer(st.x[s]!, st.y[s]!);
  if (target < 0) {
    randomMove(e, s);
    return;
  }
  const ps = e.slot[target]!;
  let dist = Math.abs(st.x[ps]! - st.x[s]!) + Math.abs(st.y[ps]! - st.y[s]!);
  if (dist <= z.chaseDistance && e.rng.float() < z.chaseProbability) {
    toward(e, s, st.x[ps]!, st.y[ps]!, e.rng.float() < z.longAxisProbability, dir);
    moveBy(e, s, dir[0]!, dir[1]!, e.rules.walkCreature);
  } else randomMove(e, s);
  dist = Math.abs(st.x[ps]! - st.x[s]!) + Math.abs(st.y[ps]! - st.y[s]!);
  if (dist <= z.attackDistance) {
    if (st.counter[s]! > 0) st.counter[s] = st.counter[s]! - 1;
    else {
      e.hurtPlayer(target, e.sleeping[target] ? z.sleepingDamage : z.damage);
      st.counter[s] = z.cooldown;
    }
  }
}

export function updateSkeleton(e: CrafterEngine, s: number): void {
  const dir = e.scratchDir;
  const k = e.rules.data.creatures.skeleton;
  const st = e.store;
  selfRemoveIfDead(e, s);
  st.counter[s] = Math.max(0, st.counter[s]! - 1);
  const target = e.nearestPlayer(st.x[s]!, st.y[s]!);
  if (target < 0) {
    if (e.rng.float() < k.wanderProbability) randomMove(e, s);
    return;
  }
  const ps = e.slot[target]!;
  const px = st.x[ps]!;
  const py = st.y[ps]!;
  const dist = Math.abs(px - st.x[s]!) + Math.abs(py - st.y[s]!);
  if (dist <= k.retreatDistance) {
    toward(e, s, px, py, e.rng.float() < k.retreatLongAxisProbability, dir);
    // A removed skeleton "moves" onto a free cell without moving, and that still ends its update (reference).
    if (moveBy(e, s, -dir[0]!, -dir[1]!, e.rules.walkCreature)) return;
  }
  if (dist <= k.shootDistance && e.rng.float() < k.shootProbability) {
    toward(e, s, px, py, true, dir);
    shoot(e, s, dir[0]!, dir[1]!);
  } else if (dist <= k.approachDistance && e.rng.float() < k.approachProbability) {
    toward(e, s, px, py, e.rng.float() < k.approachLongAxisProbability, dir);
    moveBy(e, s, dir[0]!, dir[1]!, e.rules.walkCreature);
  } else if (e.rng.float() < k.wanderProbability) randomMove(e, s);
}

function shoot(e: CrafterEngine, s: number, dx: number, dy: number): void {
  const st = e.store;
  if (st.counter[s]! > 0) return;
  if (dx === 0 && dy === 0) return;
  const nx = st.x[s]! + dx;
  const ny = st.y[s]! + dy;
  if (!st.inside(nx, ny) || st.objectAt(nx, ny) >= 0 || !e.rules.walkArrow[st.material(nx, ny)]) return;
  const a = st.add(Kind.arrow, nx, ny, 0);
  st.dx[a] = dx;
  st.dy[a] = dy;
  st.counter[s] = e.rules.data.creatures.skeleton.reload;
}

export function updateArrow(e: CrafterEngine, s: number): void {
  const st = e.store;
  const a = e.rules.data.creatures.arrow;
  const tx = st.x[s]! + st.dx[s]!;
  const ty = st.y[s]! + st.dy[s]!;
  const o = st.objectAt(tx, ty);
  if (o >= 0) {
    e.hurtObject(o, a.damage);
    st.remove(s);
    return;
  }
  const m = st.material(tx, ty);
  if (!e.rules.walkArrow[m]) {
    st.remove(s);
    if (e.rules.arrowBreaks[m]) st.setMaterial(tx, ty, e.rules.materialId[a.breaksInto]!);
    return;
  }
  moveBy(e, s, st.dx[s]!, st.dy[s]!, e.rules.walkArrow);
}

export function updatePlant(e: CrafterEngine, s: number): void {
  const st = e.store;
  st.counter[s] = st.counter[s]! + 1;
  let hurt = false;
  for (let d = 0; d < 4; d++) {
    const o = st.objectAt(st.x[s]! + DIRS_X[d]!, st.y[s]! + DIRS_Y[d]!);
    if (o >= 0 && e.plantDamagers[st.kind[o]!]) hurt = true;
  }
  if (hurt) st.health[s] = Math.max(0, st.health[s]! - 1);
  if (st.health[s]! <= 0) st.remove(s);
}
