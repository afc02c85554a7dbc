import type { CrafterInfo } from '../../worlds/crafter/crafter-env.js';
import type { CrafterSubgoal } from '../../worlds/crafter/crafter-subgoals.js';
import type { SymbolicObservation } from '../../worlds/crafter/observation.js';
import type { CrafterRules } from '../../worlds/crafter/rules.js';
import { CrafterLocalView } from './crafter-local-view.js';

/**
 * One-step options (Sutton, Precup & Singh 1999: a primitive action is an option that lasts one step): a `make X`
 * or `place X` subgoal whose preconditions hold now — the world's action mask says `make_X` / `place_X` would
 * succeed (inputs held, station within reach, a free faced cell of the right material) — is the action itself;
 * `sleep` is the sleep action until the player wakes; with `strikes`, `defeat X` with an X next to the player is the
 * blow (or the turn to face it first: a move toward an occupied cell only turns the player), and `eat X` with a cow
 * or a ripe plant next to it the bite; with `collects`, `collect X` with its source next to the player is the `do`. Everything else (walking to the
 * table or to the zombie, collecting, eating) stays with the learned low level, so it only learns to get to the
 * right place and to collect.
 */
export interface CrafterPrimitiveOptionsConfig {
  /** Play `defeat X` / `eat X` with an X next to the player as the blow or bite (and the turn to face it). Default false. */
  readonly strikes?: boolean;
  /** Play `collect X` with a source of X next to the player (and its tools held) as the `do` (and the turn to face it). Default false. */
  readonly collects?: boolean;
}

export class CrafterPrimitiveOptions {
  private readonly index = new Map<string, number>();
  private readonly view: CrafterLocalView;
  readonly strikes: boolean;
  readonly collects: boolean;
  /** The materials a `collect` gives each item from, with the tools it needs. */
  private readonly sources = new Map<string, { id: number; require: [string, number][] }[]>();
  /** Move actions by facing offset, `dx,dy`. */
  private readonly moves = new Map<string, number>();
  /** The actions left to the learned low level (1: allowed), or null for all of them. */
  readonly policyActions: Uint8Array | null;

  /**
   * @param policyActions what the low level may still do itself: `options` (default) noop, the moves, `do` and
   * `place_stone` (a stone to block a zombie or lava is a tactic, not a goal); `all` leaves every action to it too.
   */
  constructor(
    readonly rules: CrafterRules,
    policyActions: 'options' | 'all' = 'options',
    opts: CrafterPrimitiveOptionsConfig = {},
  ) {
    this.strikes = opts.strikes ?? false;
    this.collects = opts.collects ?? false;
    for (const [material, c] of Object.entries(rules.data.collect)) {
      for (const item of Object.keys(c.receive)) {
        const list = this.sources.get(item) ?? [];
        list.push({ id: rules.materialId[material] as number, require: Object.entries(c.require) });
        this.sources.set(item, list);
      }
    }
    rules.data.actions.forEach((a, i) => this.index.set(a, i));
    this.view = new CrafterLocalView(rules);
    rules.data.actions.forEach((_, i) => {
      if (rules.actionKind[i] === 'move') this.moves.set(`${rules.actionDx[i]},${rules.actionDy[i]}`, i);
    });
    const own = (a: string, i: number) => a === 'noop' || a === 'do' || a === 'place_stone' || rules.actionKind[i] === 'move';
    this.policyActions = policyActions === 'all' ? null : Uint8Array.from(rules.data.actions, (a, i) => (own(a, i) ? 1 : 0));
  }

  /** The action that reaches `goal` now, or null when the low level must act towards it (`obs` is needed for `defeat`). */
  action(goal: CrafterSubgoal, info: CrafterInfo, obs?: SymbolicObservation): number | null {
    const ready = (name: string) => {
      const a = this.index.get(name);
      return a !== undefined && info.actionMask[a] === 1 ? a : null;
    };
    switch (goal.kind) {
      case 'make':
        return ready(`make_${goal.item}`);
      case 'place':
        return ready(`place_${goal.what}`);
      case 'sleep':
        return this.index.get('sleep') ?? null;
      case 'defeat':
        return this.strikes && obs ? this.strike(goal.creature, obs) : null;
      case 'eat':
        return this.strikes && obs ? this.strike(goal.food, obs) : null;
      case 'collect':
        return this.collects && obs ? this.gather(goal.item, obs) : null;
      default:
        return null;
    }
  }

  /**
   * `do` when facing a material that gives `item` (with its tools held); the turn toward one next to the player
   * when it cannot be walked onto (a move toward it only turns the player); else null.
   */
  private gather(item: string, obs: SymbolicObservation): number | null {
    const ids = (this.sources.get(item) ?? []).filter((s) => s.require.every(([t, n]) => this.view.held(obs, t) >= n)).map((s) => s.id);
    if (ids.length === 0) return null;
    const source = (dx: number, dy: number) => ids.includes(this.view.at(obs, dx, dy));
    return this.hit(obs, source, (dx, dy) => source(dx, dy) && this.rules.walkPlayer[this.view.at(obs, dx, dy)] !== 1);
  }

  /**
   * `do` when facing a `target` next to the player, the turn toward one next to it, else null. A plant counts only
   * when ripe (`flat`'s ripe-plant channel): eating an unripe one does nothing.
   */
  private strike(target: string, obs: SymbolicObservation): number | null {
    const id = this.view.id(target);
    return this.hit(obs, (dx, dy) => this.view.at(obs, dx, dy) === id && (target !== 'plant' || this.view.ripeAt(obs, dx, dy)));
  }

  /** `do` when the faced cell is a `target`, else the move toward a neighbour that is one and `turnTo` allows (it only turns the player), else null. */
  private hit(obs: SymbolicObservation, target: (dx: number, dy: number) => boolean, turnTo = target): number | null {
    const [fx, fy] = this.view.facing(obs);
    if (target(fx, fy)) return this.index.get('do') ?? null;
    for (const [dx, dy] of [[-1, 0], [1, 0], [0, -1], [0, 1]] as const) {
      if (turnTo(dx, dy)) return this.moves.get(`${dx},${dy}`) ?? null;
    }
    return null;
  }
}
