import type { CrafterEngine } from './engine.js';
import type { ItemAmounts } from './rules.js';
import { Kind } from './world-store.js';

/**
 * One player's update, in the reference's order (objects.py `Player.update`): wake or keep sleeping, act, survival
 * counters, health regeneration or degeneration, clamp the inventory, wake when hurt.
 */
export function updatePlayer(e: CrafterEngine, p: number): void {
  const r = e.rules;
  const st = e.store;
  const s = e.slot[p]!;
  const base = p * e.nItems;
  const sleepNeed = r.itemIndex[r.data.survival.sleepNeed]!;
  const tx = st.x[s]! + e.facingX[p]!;
  const ty = st.y[s]! + e.facingY[p]!;
  const action = e.action[p]!;
  let kind = action < r.actions.length ? r.actionKind[action]! : 'share';
  if (e.sleeping[p]) {
    if (e.inv[base + sleepNeed]! < r.itemMax[sleepNeed]!) kind = 'sleep';
    else {
      e.sleeping[p] = 0;
      e.achieve(p, r.achievementIndex.wake_up!);
      e.emit({ type: 'wakeUp', data: { agent: e.agentNames[p]! } });
    }
  }
  switch (kind) {
    case 'noop':
      break;
    case 'move': {
      e.facingX[p] = r.actionDx[action]!;
      e.facingY[p] = r.actionDy[action]!;
      const nx = st.x[s]! + e.facingX[p]!;
      const ny = st.y[s]! + e.facingY[p]!;
      if (st.objectAt(nx, ny) < 0 && st.inside(nx, ny) && r.walkPlayer[st.material(nx, ny)]) st.move(s, nx, ny);
      // The reference kills on lava after every move attempt, from the cell the player ends on.
      if (st.material(st.x[s]!, st.y[s]!) === r.materialId.lava) e.inv[base + r.vital.health] = 0;
      break;
    }
    case 'do': {
      const o = st.objectAt(tx, ty);
      if (o >= 0) doObject(e, p, o);
      else doMaterial(e, p, tx, ty);
      break;
    }
    case 'sleep':
      if (e.inv[base + sleepNeed]! < r.itemMax[sleepNeed]!) e.sleeping[p] = 1;
      break;
    case 'place':
      place(e, p, action, tx, ty);
      break;
    case 'make':
      make(e, p, action);
      break;
    case 'share':
      shareItem(e, p);
      break;
  }
  lifeStats(e, p);
  for (let i = 0; i < e.nItems; i++) {
    const v = e.inv[base + i]!;
    const max = r.itemMax[i]!;
    e.inv[base + i] = v < 0 ? 0 : v > max ? max : v;
  }
  const health = e.inv[base + r.vital.health]!;
  if (health < e.lastHealth[p]!) e.sleeping[p] = 0;
  e.lastHealth[p] = health;
}

export function has(e: CrafterEngine, base: number, amounts: ItemAmounts): boolean {
  for (let i = 0; i < amounts.length; i += 2) if (e.inv[base + amounts[i]!]! < amounts[i + 1]!) return false;
  return true;
}

function take(e: CrafterEngine, base: number, amounts: ItemAmounts): void {
  for (let i = 0; i < amounts.length; i += 2) e.inv[base + amounts[i]!] = e.inv[base + amounts[i]!]! - amounts[i + 1]!;
}

/** Materials within `nearbyDistance` of the player. Like the reference's numpy slice, a window that starts left of
 * or above the map is empty, so nothing is nearby on the first row/column. */
export function nearbyHas(e: CrafterEngine, p: number, wanted: Int32Array): boolean {
  if (wanted.length === 0) return true;
  const st = e.store;
  const s = e.slot[p]!;
  const d = e.rules.data.nearbyDistance;
  const x0 = st.x[s]! - d;
  const y0 = st.y[s]! - d;
  if (x0 < 0 || y0 < 0) return false;
  for (const m of wanted) {
    let found = false;
    for (let x = x0; x <= x0 + 2 * d && x < st.width && !found; x++) {
      for (let y = y0; y <= y0 + 2 * d && y < st.height; y++) {
        if (st.mat[x * st.height + y] === m) {
          found = true;
          break;
        }
      }
    }
    if (!found) return false;
  }
  return true;
}

function doObject(e: CrafterEngine, p: number, o: number): void {
  const r = e.rules;
  const st = e.store;
  const base = p * e.nItems;
  let damage = r.data.combat.baseDamage;
  for (let i = 0; i < r.weapons.length; i += 2) if (e.inv[base + r.weapons[i]!]! > 0) damage = Math.max(damage, r.weapons[i + 1]!);
  const c = r.data.creatures;
  const agent = e.agentNames[p]!;
  switch (st.kind[o]) {
    case Kind.plant:
      if (st.counter[o]! > c.plant.ripeAfter) {
        st.counter[o] = 0;
        e.inv[base + r.vital.food] = e.inv[base + r.vital.food]! + c.plant.food;
        e.achieve(p, r.achievementIndex.eat_plant!);
        e.emit({ type: 'eat', data: { agent, food: 'plant' } });
      }
      break;
    case Kind.zombie:
    case Kind.skeleton: {
      st.health[o] = Math.max(0, st.health[o]! - damage);
      if (st.health[o]! <= 0) {
        const creature = st.kind[o] === Kind.zombie ? 'zombie' : 'skeleton';
        e.achieve(p, r.achievementIndex[`defeat_${creature}`]!);
        e.emit({ type: 'defeat', data: { agent, creature } });
      }
      break;
    }
    case Kind.cow:
      st.health[o] = Math.max(0, st.health[o]! - damage);
      if (st.health[o]! <= 0) {
        e.inv[base + r.vital.food] = e.inv[base + r.vital.food]! + c.cow.food;
        e.achieve(p, r.achievementIndex.eat_cow!);
        resetCounter(e, p, c.cow.resets);
        e.emit({ type: 'eat', data: { agent, food: 'cow' } });
      }
      break;
  }
}

function resetCounter(e: CrafterEngine, p: number, which: 'hunger' | 'thirst' | 'fatigue'): void {
  e[which][p] = 0;
}

function doMaterial(e: CrafterEngine, p: number, tx: number, ty: number): void {
  const st = e.store;
  const material = st.material(tx, ty);
  const recipe = e.rules.collectByMaterial[material];
  if (!recipe) return;
  if (recipe.resets) resetCounter(e, p, recipe.resets);
  const base = p * e.nItems;
  if (!has(e, base, recipe.require)) return;
  st.setMaterial(tx, ty, recipe.leaves);
  if (e.rng.float() <= recipe.probability) {
    const items: Record<string, number> = {};
    for (let i = 0; i < recipe.receive.length; i += 2) {
      const item = recipe.receive[i]!;
      e.inv[base + item] = e.inv[base + item]! + recipe.receive[i + 1]!;
      e.achieve(p, recipe.achievements[i / 2]!);
      items[e.rules.items[item]!] = recipe.receive[i + 1]!;
    }
    e.emit({ type: 'collect', data: { agent: e.agentNames[p]!, material: e.rules.materials[material - 1]!, items, pos: [tx, ty] } });
  }
}

function place(e: CrafterEngine, p: number, action: number, tx: number, ty: number): void {
  const st = e.store;
  const recipe = e.rules.placeByAction[action]!;
  if (st.objectAt(tx, ty) >= 0) return;
  if (!recipe.where[st.material(tx, ty)]) return;
  const base = p * e.nItems;
  if (!nearbyHas(e, p, recipe.nearby)) return;
  if (!has(e, base, recipe.uses)) return;
  take(e, base, recipe.uses);
  if (recipe.type === 'material') st.setMaterial(tx, ty, recipe.material);
  else e.spawn(Kind.plant, tx, ty);
  e.achieve(p, recipe.achievement);
  e.emit({ type: 'place', data: { agent: e.agentNames[p]!, name: recipe.name, pos: [tx, ty] } });
}

function make(e: CrafterEngine, p: number, action: number): void {
  const recipe = e.rules.makeByAction[action]!;
  if (!nearbyHas(e, p, recipe.nearby)) return;
  const base = p * e.nItems;
  if (!has(e, base, recipe.uses)) return;
  take(e, base, recipe.uses);
  e.inv[base + recipe.item] = e.inv[base + recipe.item]! + recipe.gives;
  e.achieve(p, recipe.achievement);
  e.emit({ type: 'make', data: { agent: e.agentNames[p]!, item: recipe.name } });
}

function shareItem(e: CrafterEngine, p: number): void {
  const intent = e.share[p];
  if (!intent) return;
  const r = e.rules;
  const from = e.agentNames[p]!;
  const item = r.items[intent.item] ?? String(intent.item);
  if (!r.shareItems.includes(intent.item)) return rejectShare(e, from, intent.toName, item, 'unshareable');
  if (intent.to < 0 || intent.to >= e.nPlayers) return rejectShare(e, from, intent.toName, item, 'unknown-teammate');
  if (intent.to === p) return rejectShare(e, from, intent.toName, item, 'self');
  if (!e.alive[intent.to] || e.health(intent.to) <= 0) return rejectShare(e, from, intent.toName, item, 'dead-teammate');
  const src = p * e.nItems + intent.item;
  const dst = intent.to * e.nItems + intent.item;
  if (e.inv[src]! <= 0) return rejectShare(e, from, intent.toName, item, 'empty');
  if (e.inv[dst]! >= r.itemMax[intent.item]!) return rejectShare(e, from, intent.toName, item, 'full');
  e.inv[src] = e.inv[src]! - 1;
  e.inv[dst] = e.inv[dst]! + 1;
  e.emit({ type: 'share', data: { from, to: e.agentNames[intent.to]!, item } });
}

/** Hunger, thirst, fatigue and health recovery (objects.py `_update_life_stats`, `_degen_or_regen_health`). */
function lifeStats(e: CrafterEngine, p: number): void {
  const sv = e.rules.data.survival;
  const ix = e.rules.itemIndex;
  const base = p * e.nItems;
  const asleep = e.sleeping[p] === 1;
  e.hunger[p] = e.hunger[p]! + (asleep ? sv.hunger.asleep : sv.hunger.awake);
  if (e.hunger[p]! > sv.hunger.threshold) {
    e.hunger[p] = 0;
    addItem(e, base + ix[sv.hunger.item]!, -1);
  }
  e.thirst[p] = e.thirst[p]! + (asleep ? sv.thirst.asleep : sv.thirst.awake);
  if (e.thirst[p]! > sv.thirst.threshold) {
    e.thirst[p] = 0;
    addItem(e, base + ix[sv.thirst.item]!, -1);
  }
  if (asleep) e.fatigue[p] = Math.min(e.fatigue[p]! - sv.fatigue.asleepDecrease, 0);
  else e.fatigue[p] = e.fatigue[p]! + sv.fatigue.awake;
  if (e.fatigue[p]! < sv.fatigue.restThreshold) {
    e.fatigue[p] = 0;
    addItem(e, base + ix[sv.fatigue.item]!, 1);
  }
  if (e.fatigue[p]! > sv.fatigue.threshold) {
    e.fatigue[p] = 0;
    addItem(e, base + ix[sv.fatigue.item]!, -1);
  }
  let met = true;
  for (const need of sv.needs) {
    if (need === sv.sleepNeed && asleep) continue;
    if (e.inv[base + ix[need]!]! <= 0) met = false;
  }
  const rc = sv.recover;
  e.recover[p] = e.recover[p]! + (met ? (asleep ? rc.asleep : rc.awake) : -(asleep ? rc.degenAsleep : rc.degenAwake));
  const h = base + ix[rc.item]!;
  if (e.recover[p]! > rc.threshold) {
    e.recover[p] = 0;
    e.inv[h] = Math.max(0, e.inv[h]! + 1);
  }
  if (e.recover[p]! < rc.degenThreshold) {
    e.recover[p] = 0;
    e.inv[h] = Math.max(0, e.inv[h]! - 1);
  }
}

function addItem(e: CrafterEngine, i: number, n: number): void {
  e.inv[i] = e.inv[i]! + n;
}

type RejectReason = 'unknown-teammate' | 'dead-teammate' | 'self' | 'unshareable' | 'empty' | 'full';

function rejectShare(e: CrafterEngine, from: string, to: string, item: string, reason: RejectReason): void {
  e.emit({ type: 'shareRejected', data: { from, to, item, reason } });
}
