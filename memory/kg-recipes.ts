/**
 * "What is missing for X": walks the semantic level of a store recursively (REQUIRES, USES_TOOL, NEEDS_NEARBY,
 * FROM, PRODUCES, PLACES) from an inventory, as the DAMCS recipe table does ("ready" / "missing N X"), and
 * returns the ordered recipe runs and the raw materials to find.
 */
import type { GraphStore } from './graph-store.js';

export interface MissingReport {
  readonly target: string;
  /** The target's own recipe can run now (inputs held, stations near). */
  readonly ready: boolean;
  /** Direct inputs of the target's recipe that are not held or near, with how many. */
  readonly missing: { name: string; count: number }[];
  /** Recipe runs in an order that works, consecutive runs of one recipe merged. */
  readonly steps: { recipe: string; times: number }[];
  /** Materials to find in the world (sources of collect recipes), with how many runs need them. */
  readonly find: { material: string; count: number }[];
  /** Names no recipe produces and the inventory lacks. */
  readonly unreachable: string[];
}

interface RecipeInfo {
  name: string;
  consumes: [string, number][];
  tools: [string, number][];
  nearby: string[];
  source: string | undefined;
  produces: [string, number][];
  places: string | undefined;
}

const MAX_DEPTH = 32;

/** The semantic level read from a store in a few queries, for planning in memory. */
export interface RecipeBook {
  readonly recipes: ReadonlyMap<string, RecipeInfo>;
  /** `item:<name>` or `placed:<name>` -> recipe ids, sorted. */
  readonly producers: ReadonlyMap<string, string[]>;
}

const nameOf = (id: string) => id.slice(id.indexOf(':') + 1);

export async function loadRecipeBook(store: GraphStore): Promise<RecipeBook> {
  const recipes = new Map<string, RecipeInfo>();
  for (const n of await store.findNodes('Recipe')) {
    recipes.set(n.id, { name: n.props.name as string, consumes: [], tools: [], nearby: [], source: undefined, produces: [], places: undefined });
  }
  const producers = new Map<string, string[]>();
  const add = (k: string, id: string) => producers.set(k, [...(producers.get(k) ?? []), id].sort());
  const types = ['REQUIRES', 'USES_TOOL', 'PRODUCES', 'NEEDS_NEARBY', 'FROM', 'PLACES'] as const;
  for (const t of types) {
    for (const e of await store.edgesOfType(t)) {
      const r = recipes.get(e.from);
      if (!r) continue;
      const pair: [string, number] = [nameOf(e.to), e.props.count as number];
      if (t === 'REQUIRES') r.consumes.push(pair);
      else if (t === 'USES_TOOL') r.tools.push(pair);
      else if (t === 'PRODUCES') { r.produces.push(pair); add(`item:${pair[0]}`, e.from); }
      else if (t === 'NEEDS_NEARBY') r.nearby.push(pair[0]);
      else if (t === 'FROM') r.source = pair[0];
      else { r.places = pair[0]; add(`placed:${pair[0]}`, e.from); }
    }
  }
  return { recipes, producers };
}

export function missingFor(book: RecipeBook, target: string, inventory: Readonly<Record<string, number>>, nearby: readonly string[]): MissingReport {
  const recipe = (id: string) => book.recipes.get(id) as RecipeInfo;
  const producers = (thing: string, placed: boolean) => book.producers.get(`${placed ? 'placed' : 'item'}:${thing}`) ?? [];

  const inv = new Map(Object.entries(inventory));
  const near = new Set(nearby);
  const steps: { recipe: string; times: number }[] = [];
  const find = new Map<string, number>();
  const unreachable = new Set<string>();
  const stack = new Set<string>();
  const have = (i: string) => inv.get(i) ?? 0;

  function run(r: RecipeInfo, depth: number): boolean {
    for (const [t, n] of r.tools) if (!(ensureItem(t, n, depth + 1))) return false;
    for (const s of r.nearby) if (!(ensurePlaced(s, depth + 1))) return false;
    for (const [i, n] of r.consumes) if (!(ensureItem(i, n, depth + 1))) return false;
    for (const [i, n] of r.consumes) inv.set(i, have(i) - n);
    if (r.source) find.set(r.source, (find.get(r.source) ?? 0) + 1);
    for (const [i, n] of r.produces) inv.set(i, have(i) + n);
    if (r.places) near.add(r.places);
    const last = steps[steps.length - 1];
    if (last && last.recipe === r.name) last.times += 1;
    else steps.push({ recipe: r.name, times: 1 });
    return true;
  }

  function viaRecipe(key: string, ids: string[], depth: number, done: () => boolean): boolean {
    if (ids.length === 0 || depth > MAX_DEPTH || stack.has(key)) return false;
    stack.add(key);
    try {
      // The first recipe (by id) that works; later ones are alternatives (e.g. several ways to get an item).
      for (const id of ids) {
        const r = recipe(id);
        let guard = 0;
        while (!done() && guard++ < 999) if (!(run(r, depth))) break;
        if (done()) return true;
      }
      return false;
    } finally {
      stack.delete(key);
    }
  }

  function ensureItem(item: string, n: number, depth: number): boolean {
    if (have(item) >= n) return true;
    const ok = viaRecipe(`item:${item}`, producers(item, false), depth, () => have(item) >= n);
    if (!ok) unreachable.add(item);
    return ok;
  }

  function ensurePlaced(thing: string, depth: number): boolean {
    if (near.has(thing)) return true;
    const ok = viaRecipe(`placed:${thing}`, producers(thing, true), depth, () => near.has(thing));
    if (!ok) unreachable.add(thing);
    return ok;
  }

  // The direct check on the target's first recipe, before planning changes the inventory.
  const itemRecipes = producers(target, false);
  const targetRecipes = itemRecipes.length > 0 ? itemRecipes : producers(target, true);
  const missing: { name: string; count: number }[] = [];
  const first = targetRecipes[0];
  if (first) {
    const r = recipe(first);
    for (const [i, n] of [...r.tools, ...r.consumes]) if (have(i) < n) missing.push({ name: i, count: n - have(i) });
    for (const s of r.nearby) if (!near.has(s)) missing.push({ name: s, count: 1 });
  }
  if (itemRecipes.length > 0) ensureItem(target, have(target) + 1, 0);
  else ensurePlaced(target, 0);
  return {
    target, ready: first !== undefined && missing.length === 0, missing, steps,
    find: [...find].map(([material, count]) => ({ material, count })).sort((a, b) => (a.material < b.material ? -1 : 1)),
    unreachable: [...unreachable].sort(),
  };
}

/**
 * The same recipe book {@link loadRecipeBook} reads from a store, built straight from a world's semantic rules
 * (`loadRules` input): for planners that regress recipes every step synchronously (a goal sampler, a manager's
 * slot chooser) without a store round trip. `missingFor` over it answers as `KnowledgeGraph.missingFor` does.
 */
export function recipeBookFromRules(rules: { readonly recipes: readonly { readonly name: string; readonly consumes?: Readonly<Record<string, number>>; readonly tools?: Readonly<Record<string, number>>; readonly nearby?: readonly string[]; readonly source?: string; readonly produces?: Readonly<Record<string, number>>; readonly places?: string }[] }): RecipeBook {
  const recipes = new Map<string, RecipeInfo>();
  const producers = new Map<string, string[]>();
  const add = (k: string, id: string) => producers.set(k, [...(producers.get(k) ?? []), id].sort());
  for (const rc of rules.recipes) {
    const id = `recipe:${rc.name}`;
    // In name order, as a store lists a recipe's edges: the regression ensures inputs in this order.
    const sorted = (r: Readonly<Record<string, number>> | undefined) => Object.entries(r ?? {}).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const produces = sorted(rc.produces);
    recipes.set(id, { name: rc.name, consumes: sorted(rc.consumes), tools: sorted(rc.tools), nearby: [...(rc.nearby ?? [])].sort(), source: rc.source, produces, places: rc.places });
    for (const [item] of produces) add(`item:${item}`, id);
    if (rc.places) add(`placed:${rc.places}`, id);
  }
  return { recipes, producers };
}
