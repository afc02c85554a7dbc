/**
 * The knowledge graph agents, planners and the viewer share. Four levels over one GraphStore:
 * - semantic: the world's rules (items, materials, stations, recipes, achievements) loaded from SemanticRules data;
 * - spatial: places and traversable connections built online, frontiers, and sightings (invalidated, never deleted);
 * - episodic: per agent and episode, events in time order (NEXT chain);
 * - goals: long-term goal -> goal -> step (SUBGOAL_OF, NEXT between siblings), with status.
 * Every fact carries observer, step and scope (private to its observer, or shared with the observer's team).
 *
 * Writes are synchronous calls that only queue records: the simulation never waits for the store. The queue is
 * flushed in batches (one transaction each) on a timer or when it is full; `flush()` awaits everything queued.
 * Queries flush first, so they see every write made before them.
 */
import { hashGraph, type EdgeRecord, type EdgeType, type GraphStore, type NodeLabel, type NodeRecord, type Primitive, type Props } from './graph-store.js';
import { parseSemanticRules, type SemanticRulesInput } from './semantic-rules.js';
import { loadRecipeBook, missingFor, type MissingReport, type RecipeBook } from './kg-recipes.js';
import { shortestPath, type PathResult } from './kg-paths.js';
import { visibleTo, type Fact, type Viewer } from './facts.js';

export type { Scope, Fact, Viewer } from './facts.js';
export { visibleTo } from './facts.js';

export type PlaceKind = 'region' | 'room' | 'landmark' | 'cell';
export type ThingKind = 'material' | 'item' | 'creature';
export type EventKind = 'achievement' | 'collect' | 'craft' | 'place' | 'death' | 'message' | 'other';
export type GoalLevel = 'long-term' | 'goal' | 'step';
export type GoalStatus = 'open' | 'active' | 'done' | 'failed' | 'abandoned';

export interface KnowledgeGraphOptions { batchSize?: number; flushDelayMs?: number }

export const itemId = (n: string) => `item:${n}`;
export const materialId = (n: string) => `material:${n}`;
export const stationId = (n: string) => `station:${n}`;
export const recipeId = (n: string) => `recipe:${n}`;
export const placeId = (n: string) => `place:${n}`;
const thingId = (kind: ThingKind, n: string) => `${kind}:${n}`;
const thingLabel: Record<ThingKind, NodeLabel> = { material: 'Material', item: 'Item', creature: 'Creature' };

function clean(p: Record<string, Primitive | undefined>): Props {
  const out: Record<string, Primitive> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = v;
  return out;
}
// Hot-path records are written as object literals: spreading this into a larger literal measured 20-100x slower.
const factProps = (f: Fact): Props => ({ observer: f.observer, step: f.step, scope: f.scope, team: f.team ?? '' });

export interface Sighting {
  readonly id: string; readonly what: string; readonly kind: ThingKind; readonly place: string; readonly count: number;
  readonly observer: string; readonly step: number; readonly valid: boolean; readonly invalidatedAt?: number;
}
export interface KgEvent { readonly id: string; readonly agent: string; readonly episode: number; readonly seq: number; readonly step: number; readonly kind: EventKind; readonly name: string; readonly text: string }
export interface Goal { readonly id: string; readonly agent: string; readonly level: GoalLevel; readonly text: string; readonly target: string; readonly status: GoalStatus; readonly parent: string; readonly order: number; readonly step: number; readonly scope: string }
export interface TeammateSummary { readonly agent: string; readonly goals: Goal[]; readonly sightings: Sighting[]; readonly places: number }

export class KnowledgeGraph {
  private nodes: NodeRecord[] = [];
  private edges: EdgeRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private readonly eventSeq = new Map<string, number>();
  private readonly childCount = new Map<string, number>();
  private readonly lastChild = new Map<string, string>();
  private readonly goalOrder = new Map<string, number>();
  private readonly stations = new Set<string>();
  /** The semantic level read back from the store, dropped when rules are loaded. */
  private book: RecipeBook | undefined;
  private readonly batchSize: number;
  private readonly flushDelayMs: number;

  private constructor(readonly store: GraphStore, opts: KnowledgeGraphOptions) {
    this.batchSize = opts.batchSize ?? 2000;
    this.flushDelayMs = opts.flushDelayMs ?? 20;
  }

  /** Opens a graph over a store: creates constraints/indexes and picks up counters of a graph already stored. */
  static async open(store: GraphStore, opts: KnowledgeGraphOptions = {}): Promise<KnowledgeGraph> {
    await store.init();
    const kg = new KnowledgeGraph(store, opts);
    for (const e of await store.findNodes('Event')) {
      const key = `${e.props.agent}:${e.props.episode}`;
      kg.eventSeq.set(key, Math.max(kg.eventSeq.get(key) ?? 0, (e.props.seq as number) + 1));
    }
    const goals = await store.findNodes('Goal');
    for (const g of goals.sort((a, b) => (a.props.order as number) - (b.props.order as number))) {
      const parent = g.props.parent as string;
      kg.childCount.set(parent, Math.max(kg.childCount.get(parent) ?? 0, (g.props.order as number) + 1));
      kg.lastChild.set(parent, g.id);
      kg.goalOrder.set(g.id, g.props.order as number);
    }
    for (const st of await store.findNodes('Station')) kg.stations.add(st.props.name as string);
    return kg;
  }

  // ---- write queue -------------------------------------------------------------------------------------------

  private node(id: string, label: NodeLabel, props: Props = {}): void {
    this.nodes.push({ id, label, props });
    this.schedule();
  }

  private edge(type: EdgeType, from: string, to: string, props: Props = {}, key = ''): void {
    this.edges.push({ id: `${type}:${from}->${to}${key ? `#${key}` : ''}`, type, from, to, props });
    this.schedule();
  }

  private schedule(): void {
    if (this.nodes.length + this.edges.length >= this.batchSize) {
      void this.flush().catch(() => {}); // the error is kept and rethrown by the next flush()
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => { this.timer = undefined; void this.flush().catch(() => {}); }, this.flushDelayMs);
    this.timer.unref();
  }

  /** Writes everything queued so far (in batches of `batchSize`, one transaction each) and waits for it. */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    const nodes = this.nodes;
    const edges = this.edges;
    this.nodes = [];
    this.edges = [];
    this.chain = this.chain.then(async () => {
      if (this.failure) throw this.failure;
      // Nodes go before edges so every endpoint exists; both keep their queue order.
      for (let i = 0; i < nodes.length; i += this.batchSize) await this.write(nodes.slice(i, i + this.batchSize), []);
      for (let i = 0; i < edges.length; i += this.batchSize) await this.write([], edges.slice(i, i + this.batchSize));
    });
    return this.chain;
  }

  private async write(nodes: NodeRecord[], edges: EdgeRecord[]): Promise<void> {
    try {
      await this.store.write({ nodes, edges });
    } catch (err) {
      this.failure = err as Error;
      throw err;
    }
  }

  // ---- semantic ----------------------------------------------------------------------------------------------

  /** Loads a world's rules (validated) as Item, Material, Station, Recipe and Achievement nodes with their edges. */
  loadRules(raw: SemanticRulesInput, source?: string): void {
    const r = parseSemanticRules(raw, source);
    this.book = undefined;
    const pub: Props = { observer: 'rules', step: 0, scope: 'public', team: '' };
    for (const st of r.stations) this.stations.add(st);
    const stations = this.stations;
    const matOrStation = (m: string) => (stations.has(m) ? stationId(m) : materialId(m));
    for (const i of r.items) this.node(itemId(i), 'Item', { ...pub, name: i });
    for (const m of r.materials) this.node(matOrStation(m), stations.has(m) ? 'Station' : 'Material', { ...pub, name: m });
    for (const c of r.creatures) this.node(thingId('creature', c), 'Creature', { ...pub, name: c });
    for (const a of r.achievements) this.node(`achievement:${a}`, 'Achievement', { ...pub, name: a });
    for (const rc of r.recipes) {
      const id = recipeId(rc.name);
      this.node(id, 'Recipe', { ...pub, name: rc.name, kind: rc.kind });
      for (const [i, n] of Object.entries(rc.consumes)) this.edge('REQUIRES', id, itemId(i), { ...pub, count: n });
      for (const [i, n] of Object.entries(rc.tools)) this.edge('USES_TOOL', id, itemId(i), { ...pub, count: n });
      for (const [i, n] of Object.entries(rc.produces)) this.edge('PRODUCES', id, itemId(i), { ...pub, count: n });
      for (const m of rc.nearby) this.edge('NEEDS_NEARBY', id, matOrStation(m), pub);
      if (rc.source) this.edge('FROM', id, matOrStation(rc.source), pub);
      if (rc.places) this.edge('PLACES', id, matOrStation(rc.places), pub);
      if (rc.achievement) this.edge('UNLOCKS', id, `achievement:${rc.achievement}`, pub);
    }
  }

  // ---- spatial -----------------------------------------------------------------------------------------------

  private agent(f: Fact): string {
    const id = `agent:${f.observer}`;
    this.node(id, 'Agent', { name: f.observer, team: f.team ?? '' });
    return id;
  }

  /** A place the observer knows (a KNOWS edge records who, when and with which scope). */
  addPlace(p: { id: string; kind: PlaceKind; x?: number; y?: number; name?: string; frontier?: boolean }, f: Fact): string {
    const id = placeId(p.id);
    this.node(id, 'Place', clean({ key: p.id, kind: p.kind, x: p.x, y: p.y, name: p.name ?? p.id, frontier: p.frontier ?? false }));
    this.edge('KNOWS', this.agent(f), id, factProps(f));
    return id;
  }

  /** A traversable connection with a cost (both ways unless `oneWay`). */
  connect(a: string, b: string, cost: number, f: Fact, oneWay = false): void {
    const p = { observer: f.observer, step: f.step, scope: f.scope, team: f.team ?? '', cost };
    this.edge('CONNECTS', placeId(a), placeId(b), p);
    if (!oneWay) this.edge('CONNECTS', placeId(b), placeId(a), p);
  }

  /** Marks whether a place still has unexplored surroundings. */
  setFrontier(place: string, frontier: boolean, f: Fact): void {
    this.node(placeId(place), 'Place', { key: place, frontier });
    this.edge('KNOWS', this.agent(f), placeId(place), factProps(f));
  }

  /** Records that the observer saw `what` at a place; seeing it again refreshes the same sighting. */
  sight(s: { what: string; kind: ThingKind; place: string; count?: number }, f: Fact): string {
    const id = `sighting:${f.observer}:${s.kind}:${s.what}@${s.place}`;
    const station = s.kind === 'material' && this.stations.has(s.what);
    const thing = station ? stationId(s.what) : thingId(s.kind, s.what);
    this.node(thing, station ? 'Station' : thingLabel[s.kind], { name: s.what });
    this.node(id, 'Sighting', {
      observer: f.observer, step: f.step, scope: f.scope, team: f.team ?? '',
      what: s.what, kind: s.kind, place: s.place, count: s.count ?? 1, valid: true,
    });
    this.node(placeId(s.place), 'Place', { key: s.place });
    this.edge('SEEN_AT', id, placeId(s.place));
    this.edge('OF', id, thing);
    return id;
  }

  /** Marks every sighting of `what` at a place as wrong from this step on (kept, with the time and who found out). */
  async invalidate(what: string, place: string, f: Fact): Promise<number> {
    const found = (await this.sightings({ what })).filter((s) => s.place === place && s.valid);
    for (const s of found) this.node(s.id, 'Sighting', { valid: false, invalidatedAt: f.step, invalidatedBy: f.observer });
    await this.flush();
    return found.length;
  }

  // ---- episodic and goals ------------------------------------------------------------------------------------

  /** Appends an event to the agent's episode (ids `event:<agent>:<episode>:<seq>`, NEXT from the previous one). */
  recordEvent(e: { agent: string; episode: number; kind: EventKind; name?: string; text?: string }, f: Fact): string {
    const key = `${e.agent}:${e.episode}`;
    const seq = this.eventSeq.get(key) ?? 0;
    this.eventSeq.set(key, seq + 1);
    const id = `event:${key}:${seq}`;
    this.node(id, 'Event', {
      observer: f.observer, step: f.step, scope: f.scope, team: f.team ?? '',
      agent: e.agent, episode: e.episode, seq, kind: e.kind, name: e.name ?? '', text: e.text ?? '',
    });
    if (seq > 0) this.edge('NEXT', `event:${key}:${seq - 1}`, id);
    return id;
  }

  /** Creates or updates a goal of an agent; children hang under `parent` in creation order. */
  setGoal(g: { id: string; agent: string; level: GoalLevel; text: string; target?: string; parent?: string; status?: GoalStatus }, f: Fact): string {
    const id = `goal:${g.agent}:${g.id}`;
    const parent = g.parent ? `goal:${g.agent}:${g.parent}` : '';
    let order = this.goalOrder.get(id);
    if (order === undefined) {
      order = this.childCount.get(parent) ?? 0;
      this.childCount.set(parent, order + 1);
      this.goalOrder.set(id, order);
      const prev = this.lastChild.get(parent);
      this.lastChild.set(parent, id);
      if (prev) this.edge('NEXT', prev, id);
    }
    this.node(id, 'Goal', clean({ ...factProps(f), agent: g.agent, key: g.id, level: g.level, text: g.text, target: g.target ?? '',
      status: g.status ?? 'open', parent, order }));
    if (parent) this.edge('SUBGOAL_OF', id, parent);
    return id;
  }

  setGoalStatus(agent: string, goal: string, status: GoalStatus, f: Fact): void {
    this.node(`goal:${agent}:${goal}`, 'Goal', { status, statusStep: f.step });
  }

  // ---- queries -----------------------------------------------------------------------------------------------

  /** What is missing to get `target` (an item, or a station to place) from `inventory`, recursively over recipes. */
  async missingFor(target: string, inventory: Readonly<Record<string, number>>, opts: { nearby?: readonly string[] } = {}): Promise<MissingReport> {
    await this.flush();
    this.book ??= await loadRecipeBook(this.store);
    return missingFor(this.book, target, inventory, opts.nearby ?? []);
  }

  /** Places the viewer (or their team) knows. */
  async knownPlaces(v: Viewer): Promise<Set<string>> {
    await this.flush();
    return new Set((await this.store.edgesOfType('KNOWS')).filter((e) => visibleTo(e.props, v)).map((e) => e.to));
  }

  /** Cheapest path between two places over known places and connections (place keys, not ids). */
  async path(from: string, to: string, v: Viewer): Promise<PathResult | null> {
    const known = await this.knownPlaces(v);
    return shortestPath(this.store, placeId(from), (id) => id === placeId(to), known, v);
  }

  /** The nearest known place with a valid sighting of `what` visible to the viewer, and the path there. */
  async nearestWith(what: string, from: string, v: Viewer): Promise<(PathResult & { sighting: Sighting }) | null> {
    const targets = new Map<string, Sighting>();
    for (const s of await this.sightings({ what, viewer: v })) if (s.valid && !targets.has(placeId(s.place))) targets.set(placeId(s.place), s);
    if (targets.size === 0) return null;
    const known = await this.knownPlaces(v);
    const p = await shortestPath(this.store, placeId(from), (id) => targets.has(id), known, v);
    return p ? { ...p, sighting: targets.get(placeId(p.places[p.places.length - 1] as string)) as Sighting } : null;
  }

  /** Known places marked as frontier, sorted by key. */
  async frontiers(v: Viewer): Promise<string[]> {
    const known = await this.knownPlaces(v);
    const out: string[] = [];
    for (const n of await this.store.findNodes('Place', { frontier: true })) if (known.has(n.id)) out.push(n.props.key as string);
    return out.sort();
  }

  async sightings(q: { what?: string; viewer?: Viewer } = {}): Promise<Sighting[]> {
    await this.flush();
    const nodes = await this.store.findNodes('Sighting', q.what !== undefined ? { what: q.what } : {});
    return nodes.filter((n) => !q.viewer || visibleTo(n.props, q.viewer)).map(toSighting);
  }

  /** An agent's events in one episode, in order. */
  async events(agent: string, episode: number): Promise<KgEvent[]> {
    await this.flush();
    const nodes = await this.store.findNodes('Event', { agent, episode });
    return nodes.map(toEvent).sort((a, b) => a.seq - b.seq);
  }

  /** An agent's goals (parents before children, siblings in order), filtered to what the viewer may see. */
  async goals(agent: string, v?: Viewer): Promise<Goal[]> {
    await this.flush();
    const all = (await this.store.findNodes('Goal', { agent })).filter((n) => !v || visibleTo(n.props, v)).map(toGoal);
    const kids = new Map<string, Goal[]>();
    for (const g of all) kids.set(g.parent, [...(kids.get(g.parent) ?? []), g]);
    const out: Goal[] = [];
    const walk = (p: string) => { for (const g of (kids.get(p) ?? []).sort((a, b) => a.order - b.order)) { out.push(g); walk(g.id); } };
    walk('');
    return out;
  }

  /** What each teammate shared: open goals, valid sightings, number of places known. */
  async teammates(v: Viewer): Promise<TeammateSummary[]> {
    await this.flush();
    if (!v.team) return [];
    const mates = (await this.store.findNodes('Agent', { team: v.team })).map((n) => n.props.name as string).filter((a) => a !== v.agent);
    const knows = await this.store.edgesOfType('KNOWS');
    const sightings = await this.sightings({ viewer: v });
    const out: TeammateSummary[] = [];
    for (const a of mates.sort()) {
      out.push({
        agent: a,
        goals: (await this.goals(a, v)).filter((g) => g.status === 'open' || g.status === 'active'),
        sightings: sightings.filter((s) => s.observer === a && s.valid),
        places: knows.filter((e) => e.props.observer === a && visibleTo(e.props, v)).length,
      });
    }
    return out;
  }

  async counts(): Promise<{ nodes: number; edges: number }> {
    await this.flush();
    return this.store.counts();
  }

  /** sha256 over the canonical content: equal inputs give equal hashes on every store. */
  async contentHash(): Promise<string> {
    await this.flush();
    return hashGraph(await this.store.dump());
  }

  /** Flushes and closes the store. */
  async close(): Promise<void> {
    await this.flush();
    await this.store.close();
  }
}

const num = (p: Props, k: string) => p[k] as number;
const str = (p: Props, k: string) => (p[k] ?? '') as string;
function toSighting(n: NodeRecord): Sighting {
  const p = n.props;
  return { id: n.id, what: str(p, 'what'), kind: str(p, 'kind') as ThingKind, place: str(p, 'place'), count: num(p, 'count'),
    observer: str(p, 'observer'), step: num(p, 'step'), valid: p.valid === true, ...(p.invalidatedAt !== undefined ? { invalidatedAt: num(p, 'invalidatedAt') } : {}) };
}
function toEvent(n: NodeRecord): KgEvent {
  const p = n.props;
  return { id: n.id, agent: str(p, 'agent'), episode: num(p, 'episode'), seq: num(p, 'seq'), step: num(p, 'step'), kind: str(p, 'kind') as EventKind, name: str(p, 'name'), text: str(p, 'text') };
}
function toGoal(n: NodeRecord): Goal {
  const p = n.props;
  return { id: n.id, agent: str(p, 'agent'), level: str(p, 'level') as GoalLevel, text: str(p, 'text'), target: str(p, 'target'),
    status: str(p, 'status') as GoalStatus, parent: str(p, 'parent'), order: num(p, 'order'), step: num(p, 'step'), scope: str(p, 'scope') };
}
