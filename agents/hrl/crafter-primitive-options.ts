import type { CrafterInfo } from '../../worlds/crafter/crafter-env.js';
import type { CrafterSubgoal } from '../../worlds/crafter/crafter-subgoals.js';
import type { CrafterRules } from '../../worlds/crafter/rules.js';

/**
 * One-step options (Sutton, Precup & Singh 1999: a primitive action is an option that lasts one step): a `make X`
 * or `place X` subgoal whose preconditions hold now — the world's action mask says `make_X` / `place_X` would
 * succeed (inputs held, station within reach, a free faced cell of the right material) — is the action itself;
 * `sleep` is the sleep action until the player wakes. Everything else (walking to the table, collecting, eating,
 * fighting) stays with the learned low level, so it only learns to get to the right place and to collect.
 */
export class CrafterPrimitiveOptions {
  private readonly index = new Map<string, number>();
  /** The actions left to the learned low level (1: allowed), or null for all of them. */
  readonly policyActions: Uint8Array | null;

  /**
   * @param policyActions what the low level may still do itself: `options` (default) noop, the moves, `do` and
   * `place_stone` (a stone to block a zombie or lava is a tactic, not a goal); `all` leaves every action to it too.
   */
  constructor(
    readonly rules: CrafterRules,
    policyActions: 'options' | 'all' = 'options',
  ) {
    rules.data.actions.forEach((a, i) => this.index.set(a, i));
    const own = (a: string, i: number) => a === 'noop' || a === 'do' || a === 'place_stone' || rules.actionKind[i] === 'move';
    this.policyActions = policyActions === 'all' ? null : Uint8Array.from(rules.data.actions, (a, i) => (own(a, i) ? 1 : 0));
  }

  /** The action that reaches `goal` now, or null when the low level must act towards it. */
  action(goal: CrafterSubgoal, info: CrafterInfo): number | null {
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
      default:
        return null;
    }
  }
}
