/**
 * "What is missing for X": walks the semantic level of a store recursively (REQUIRES, USES_TOOL, NEEDS_NEARBY,
 * FROM, PRODUCES, PLACES) from an inventory, as the DAMCS recipe table does ("ready" / "missing N X"), and
 * returns the ordered recipe runs and the raw materials to find.
 */
import type { GraphStore, NodeRecord } from './graph-store.js';

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

export async function missingFor(store: GraphStore, target: string, inventory: Readonly<Record<string, number>>, nearby: readonly string[]): Promise<MissingReport> {
  const recipeCache = new Map<string, RecipeInfo>();
  const producerCache = new Map<string, string[]>();
  const name = (n: NodeRecord) => n.props.name as string;

  async function recipe(id: string): Promise<RecipeInfo> {
    const hit = recipeCache.get(id);
    if (hit) return hit;
    const pairs = async (t: 'REQUIRES' | 'USES_TOOL' | 'PRODUCES') =>
      (await store.neighbors(id, t, 'out')).map((x) => [name(x.node), x.edge.props.count as number] as [string, number]);
    const one = async (t: 'FROM' | 'PLACES') => (await store.neighbors(id, t, 'out')).map((x) => name(x.node))[0];
    const info: RecipeInfo = {
      name: (await store.getNode(id))?.props.name as string,
      consumes: await pairs('REQUIRES'), tools: await pairs('USES_TOOL'), produces: await pairs('PRODUCES'),
      nearby: (await store.neighbors(id, 'NEEDS_NEARBY', 'out')).map((x) => name(x.node)),
      source: await one('FROM'), places: await one('PLACES'),
    };
    recipeCache.set(id, info);
    return info;
  }

  /** Recipes making an item (PRODUCES) or putting a station/material on the map (PLACES), by name. */
  async function producers(thing: string, placed: boolean): Promise<string[]> {
    const key = `${placed}:${thing}`;
    const hit = producerCache.get(key);
    if (hit) return hit;
    let ids: string[];
    if (placed) {
      ids = [];
      for (const pre of ['station:', 'material:']) ids.push(...(await store.neighbors(pre + thing, 'PLACES', 'in')).map((x) => x.node.id));
    } else {
      ids = (await store.neighbors(`item:${thing}`, 'PRODUCES', 'in')).map((x) => x.node.id);
    }
    ids.sort();
    producerCache.set(key, ids);
    return ids;
  }

  const inv = new Map(Object.entries(inventory));
  const near = new Set(nearby);
  const steps: { recipe: string; times: number }[] = [];
  const find = new Map<string, number>();
  const unreachable = new Set<string>();
  const stack = new Set<string>();
  const have = (i: string) => inv.get(i) ?? 0;

  async function run(r: RecipeInfo, depth: number): Promise<boolean> {
    for (const [t, n] of r.tools) if (!(await ensureItem(t, n, depth + 1))) return false;
    for (const s of r.nearby) if (!(await ensurePlaced(s, depth + 1))) return false;
    for (const [i, n] of r.consumes) if (!(await ensureItem(i, n, depth + 1))) return false;
    for (const [i, n] of r.consumes) inv.set(i, have(i) - n);
    if (r.source) find.set(r.source, (find.get(r.source) ?? 0) + 1);
    for (const [i, n] of r.produces) inv.set(i, have(i) + n);
    if (r.places) near.add(r.places);
    const last = steps[steps.length - 1];
    if (last && last.recipe === r.name) last.times += 1;
    else steps.push({ recipe: r.name, times: 1 });
    return true;
  }

  async function viaRecipe(key: string, ids: string[], depth: number, done: () => boolean): Promise<boolean> {
    if (ids.length === 0 || depth > MAX_DEPTH || stack.has(key)) return false;
    stack.add(key);
    try {
      // The first recipe (by id) that works; later ones are alternatives (e.g. several ways to get an item).
      for (const id of ids) {
        const r = await recipe(id);
        let guard = 0;
        while (!done() && guard++ < 999) if (!(await run(r, depth))) break;
        if (done()) return true;
      }
      return false;
    } finally {
      stack.delete(key);
    }
  }

  async function ensureItem(item: string, n: number, depth: number): Promise<boolean> {
    if (have(item) >= n) return true;
    const ok = await viaRecipe(`item:${item}`, await producers(item, false), depth, () => have(item) >= n);
    if (!ok) unreachable.add(item);
    return ok;
  }

  async function ensurePlaced(thing: string, depth: number): Promise<boolean> {
    if (near.has(thing)) return true;
    const ok = await viaRecipe(`placed:${thing}`, await producers(thing, true), depth, () => near.has(thing));
    if (!ok) unreachable.add(thing);
    return ok;
  }

  // The direct check on the target's first recipe, before planning changes the inventory.
  const itemRecipes = await producers(target, false);
  const targetRecipes = itemRecipes.length > 0 ? itemRecipes : await producers(target, true);
  const missing: { name: string; count: number }[] = [];
  const first = targetRecipes[0];
  if (first) {
    const r = await recipe(first);
    for (const [i, n] of [...r.tools, ...r.consumes]) if (have(i) < n) missing.push({ name: i, count: n - have(i) });
    for (const s of r.nearby) if (!near.has(s)) missing.push({ name: s, count: 1 });
  }
  if (itemRecipes.length > 0) await ensureItem(target, have(target) + 1, 0);
  else await ensurePlaced(target, 0);
  return {
    target, ready: first !== undefined && missing.length === 0, missing, steps,
    find: [...find].map(([material, count]) => ({ material, count })).sort((a, b) => (a.material < b.material ? -1 : 1)),
    unreachable: [...unreachable].sort(),
  };
}
