import type { RecipeBook } from '../../memory/kg-recipes.js';
import { missingFor, recipeBookFromRules } from '../../memory/kg-recipes.js';
import type { CrafterSubgoal, CrafterSubgoals } from '../../worlds/crafter/crafter-subgoals.js';
import type { SymbolicObservation } from '../../worlds/crafter/observation.js';
import type { CrafterRules } from '../../worlds/crafter/rules.js';
import { crafterSemanticRules } from '../../worlds/crafter/semantic-rules.js';
import { CrafterLocalView } from './crafter-local-view.js';

/**
 * What a Crafter agent can do next from its observation alone, read from the rules: which subgoals of the
 * vocabulary are feasible now, and which one the knowledge graph's recipe regression (`missingFor` toward the
 * diamond, the kg-planner's planning) would pursue next. Synchronous, so a goal sampler and a manager's slot
 * chooser can ask every step.
 *
 * Feasible: `collect X` when the tools its source needs are held (and X is not at its maximum); `place X` when its
 * inputs are held; `make X` when its inputs are held, X is not held yet and every station it needs is in view
 * (a short walk away). Survival subgoals: `eat cow` always (cows are found by walking), `eat plant` and
 * `defeat X` when one is in view, `sleep` when energy is below its maximum, `shelter` when stones are held or the
 * tools to mine them.
 */
export class CrafterRecipePlanner {
  readonly book: RecipeBook;
  /** Non-vital items in `observation.inventory` order. */
  readonly inventoryNames: readonly string[];
  private readonly itemMax = new Map<string, number>();
  /** `[item, amount, source material]` for each stocked item, in `stock` order. */
  private readonly stockSources: [string, number, string][] = [];
  private readonly stationIds: readonly [string, number][];
  /** Reads the local view by name (creatures, vitals) for the survival subgoals' feasibility. */
  readonly view: CrafterLocalView;

  constructor(
    readonly rules: CrafterRules,
    readonly vocab: CrafterSubgoals,
    /** The item the regression works towards. Default `diamond`. */
    readonly target = 'diamond',
    /**
     * Milestones before `target`: the regression works towards the first one not held yet (e.g. `stone_pickaxe`
     * first, so the stones are not all gathered for the furnace before the pickaxe is made). Default none.
     */
    readonly milestones: readonly string[] = [],
    /**
     * Stock to top up while it is at hand: before the regression's next step, collect item X while fewer than
     * `stock[X]` are held, its collect is feasible and a source of X is in view (e.g. `{ wood: 5 }`: the spare wood
     * for the swords is cut while the trees are near, not fetched later). Ready crafts still come first. Default none.
     */
    readonly stock: Readonly<Record<string, number>> = {},
  ) {
    this.view = new CrafterLocalView(rules);
    this.book = recipeBookFromRules(crafterSemanticRules(rules.data));
    this.inventoryNames = this.view.inventoryNames;
    rules.items.forEach((name, i) => this.itemMax.set(name, rules.itemMax[i] as number));
    const stations = new Set<string>();
    for (const r of Object.values(rules.data.make)) for (const s of r.nearby) stations.add(s);
    for (const r of Object.values(rules.data.place)) for (const s of r.nearby ?? []) stations.add(s);
    this.stationIds = [...stations].sort().map((s) => [s, rules.materialId[s] as number]);
    for (const [item, n] of Object.entries(stock)) {
      const source = Object.entries(rules.data.collect).find(([, c]) => item in c.receive)?.[0];
      if (source === undefined) throw new RangeError(`crafter recipe planner: stock item "${item}" is not collected from any material`);
      if (!(n >= 0)) throw new RangeError(`crafter recipe planner: stock of "${item}" must be >= 0, got ${n}`);
      this.stockSources.push([item, n, source]);
    }
  }

  /** The observation's inventory by item name. */
  inventory(obs: SymbolicObservation): Record<string, number> {
    const inv: Record<string, number> = {};
    this.inventoryNames.forEach((n, i) => (inv[n] = obs.inventory[i] as number));
    return inv;
  }

  /** Stations (table, furnace) in the local view: the map's semantic ids are material ids for materials. */
  stationsInView(obs: SymbolicObservation): string[] {
    return this.stationIds.filter(([, id]) => obs.map.includes(id)).map(([s]) => s);
  }

  /** Whether `subgoal` can be pursued now (see the class comment). */
  isFeasible(s: CrafterSubgoal, obs: SymbolicObservation, inv = this.inventory(obs), view = this.stationsInView(obs)): boolean {
    const d = this.rules.data;
    const holds = (uses: Readonly<Record<string, number>>) => Object.entries(uses).every(([i, n]) => (inv[i] ?? 0) >= n);
    switch (s.kind) {
      case 'collect': {
        const src = Object.values(d.collect).find((c) => s.item in c.receive);
        const capped = s.item in inv && (inv[s.item] as number) >= (this.itemMax.get(s.item) ?? Infinity);
        return src !== undefined && holds(src.require) && !capped;
      }
      case 'place': {
        const p = d.place[s.what];
        return p !== undefined && holds(p.uses) && (p.nearby ?? []).every((st) => view.includes(st));
      }
      case 'make': {
        const m = d.make[s.item];
        return m !== undefined && holds(m.uses) && (inv[s.item] ?? 0) === 0 && m.nearby.every((st) => view.includes(st));
      }
      case 'eat':
        // A cow is worth looking for anywhere; a plant only where one is in view.
        return s.food === 'cow' || this.view.distanceTo(obs, s.food) < Infinity;
      case 'defeat':
        return this.view.distanceTo(obs, s.creature) < Infinity;
      case 'sleep':
        return this.view.vitalOf(obs, 'energy') < (this.itemMax.get(this.rules.items[this.rules.vital.energy] as string) ?? 9);
      case 'shelter': {
        // Walls come from placed stones or from digging into rock: stones in hand, or the tools to mine them.
        const place = d.place.stone;
        const dig = Object.values(d.collect).find((c) => 'stone' in c.receive);
        return (place !== undefined && holds(place.uses)) || (dig !== undefined && holds(dig.require));
      }
      case 'goto':
        return false;
    }
  }

  /** The vocabulary's collect/place/make subgoals feasible now, in vocabulary order. */
  feasible(obs: SymbolicObservation): CrafterSubgoal[] {
    const inv = this.inventory(obs);
    const view = this.stationsInView(obs);
    return this.vocab.tasks.filter((s) => this.isFeasible(s, obs, inv, view));
  }

  /**
   * The next subgoal of the recipe regression toward the first milestone not held, else `target`, as the kg-planner picks it: a place or make whose
   * inputs are in hand goes first, else the first collect of the plan, else the plan's first step; null when the
   * plan is empty (target held) or its step is not feasible now. A stock top-up (see `stock`) comes first.
   */
  next(obs: SymbolicObservation): CrafterSubgoal | null {
    const inv = this.inventory(obs);
    const view = this.stationsInView(obs);
    for (const [item, n, source] of this.stockSources) {
      if ((inv[item] ?? 0) >= n) continue;
      const collect: CrafterSubgoal = { kind: 'collect', item };
      if (this.isFeasible(collect, obs, inv, view) && this.view.distanceTo(obs, source) < Infinity) return collect;
    }
    const goal = this.milestones.find((m) => (inv[m] ?? 0) === 0) ?? this.target;
    const { steps } = missingFor(this.book, goal, inv, view);
    const subgoals = steps.map((st) => recipeSubgoal(st.recipe)).filter((s): s is CrafterSubgoal => s !== null);
    const ready = subgoals.find((s) => s.kind !== 'collect' && this.isFeasible(s, obs, inv, view));
    const pick = ready ?? subgoals.find((s) => s.kind === 'collect') ?? subgoals[0] ?? null;
    return pick !== null && this.isFeasible(pick, obs, inv, view) ? pick : null;
  }
}

/** `collect_wood` -> collect wood, `place_table` -> place table, `make_wood_pickaxe` -> make wood_pickaxe. */
export function recipeSubgoal(recipe: string): CrafterSubgoal | null {
  const cut = recipe.indexOf('_');
  const verb = recipe.slice(0, cut);
  const name = recipe.slice(cut + 1);
  if (verb === 'collect' || verb === 'make') return { kind: verb, item: name };
  if (verb === 'place') return { kind: 'place', what: name };
  return null;
}
