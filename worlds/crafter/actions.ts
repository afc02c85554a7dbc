import type { AgentId } from '../../core/parallel-env.js';
import type { CrafterEnv } from './crafter-env.js';
import { has, nearbyHas } from './player-update.js';

/** A structured share for planners: give one `item` to teammate `to` (an agent id). */
export interface ShareCommand {
  readonly type: 'share';
  readonly item: string;
  readonly to: AgentId;
}

/**
 * What `CrafterEnv.step` accepts per agent: a flat discrete index (learners), an action name such as `"do"`
 * (scripts), or a {@link ShareCommand} (planners).
 *
 * Flat layout: indices `0 .. A-1` are the rules' actions (`noop`, `move_left`, ...); with share enabled,
 * index `A + s * N + t` shares one unit of the s-th shareable item (`rules.share.items` order) with player t
 * (`possibleAgents[t]`), N = number of players. Sharing with oneself is always rejected (and masked).
 */
export type CrafterAction = number | string | ShareCommand;

/** The flat index of a share action; throws for an unshareable item or an unknown teammate. */
export function shareAction(env: CrafterEnv, item: string, to: AgentId): number {
  const slot = env.rules.data.share.enabled ? env.rules.data.share.items.indexOf(item) : -1;
  if (slot < 0) throw new RangeError(`crafter: "${item}" is not shareable (shareable: ${env.rules.data.share.items.join(', ') || 'none'})`);
  const t = env.indexOf(to);
  if (t < 0) throw new RangeError(`crafter: unknown teammate "${to}"`);
  return env.rules.actions.length + slot * env.possibleAgents.length + t;
}

/** The flat index of an action name (`"do"`, `"make_wood_pickaxe"`). */
export function actionIndex(env: CrafterEnv, name: string): number {
  const i = env.rules.actions.indexOf(name);
  if (i < 0) throw new RangeError(`crafter: unknown action "${name}" (expected one of ${env.rules.actions.join(', ')})`);
  return i;
}

/**
 * Put player p's action into the engine. An unknown share target or unshareable item becomes a share intent that
 * the engine rejects with a `shareRejected` event (never an error); an out-of-range index is an error.
 */
export function decodeAction(env: CrafterEnv, p: number, action: CrafterAction): void {
  const e = env.engine;
  const r = env.rules;
  const nBase = r.actions.length;
  e.share[p] = null;
  if (typeof action === 'number') {
    if (!Number.isInteger(action) || action < 0 || action >= env.nActions) throw new RangeError(`crafter: action ${action} is outside 0..${env.nActions - 1}`);
    e.action[p] = action;
    if (action >= nBase) {
      const n = env.possibleAgents.length;
      const slot = Math.floor((action - nBase) / n);
      const t = (action - nBase) % n;
      e.share[p] = { item: r.shareItems[slot]!, to: t, toName: env.possibleAgents[t]! };
    }
    return;
  }
  if (typeof action === 'string') {
    e.action[p] = actionIndex(env, action);
    return;
  }
  e.action[p] = nBase;
  if (!r.data.share.enabled) {
    e.action[p] = 0;
    e.emit({ type: 'shareRejected', data: { from: env.possibleAgents[p]!, to: action.to, item: action.item, reason: 'unshareable' } });
    return;
  }
  e.share[p] = { item: r.itemIndex[action.item] ?? -1, to: env.indexOf(action.to), toName: action.to };
}

/**
 * Which actions can do something now: moves, noop, do and sleep always; place and make when the inventory and the
 * surroundings allow it; share when the item is held and the teammate is another live player.
 */
export function actionMask(env: CrafterEnv, p: number, out?: Uint8Array): Uint8Array {
  const e = env.engine;
  const r = env.rules;
  const st = e.store;
  const mask = out ?? new Uint8Array(env.nActions);
  const base = p * e.nItems;
  const s = e.slot[p]!;
  const tx = st.x[s]! + e.facingX[p]!;
  const ty = st.y[s]! + e.facingY[p]!;
  for (let a = 0; a < r.actions.length; a++) {
    const kind = r.actionKind[a];
    if (kind === 'place') {
      const rec = r.placeByAction[a]!;
      mask[a] = st.objectAt(tx, ty) < 0 && rec.where[st.material(tx, ty)] === 1 && has(e, base, rec.uses) && nearbyHas(e, p, rec.nearby) ? 1 : 0;
    } else if (kind === 'make') {
      const rec = r.makeByAction[a]!;
      mask[a] = has(e, base, rec.uses) && nearbyHas(e, p, rec.nearby) ? 1 : 0;
    } else mask[a] = 1;
  }
  const n = env.possibleAgents.length;
  for (let i = 0; i < r.shareItems.length; i++) {
    if (e.inv[base + r.shareItems[i]!]! <= 0) continue;
    for (let t = 0; t < n; t++) if (t !== p && e.alive[t]) mask[r.actions.length + i * n + t] = 1;
  }
  return mask;
}
