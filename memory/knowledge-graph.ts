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
import { GraphologyStore } from './graphology-store.js';
import { hashGraph, type EdgeRecord, type EdgeType, type GraphStore, type NodeLabel, type NodeRecord, type Primitive, type Props } from './graph-store.js';
import { parseSemanticRules, type SemanticRulesInput } from './semantic-rules.js';
import { loadRecipeBook, missingFor, type MissingReport, type RecipeBook } from './kg-recipes.js';
import type { Observable } from 'rxjs';
import { SpatialIndex, type PathResult } from './kg-paths.js';
import { WriteQueue, type KgStatus, type WriteQueueOptions } from './write-queue.js';
import { visibleTo, type Fact, type Viewer } from './facts.js';

export type { Scope, Fact, Viewer } from './facts.js';
export { visibleTo } from './facts.js';

export type PlaceKind = 'region' | 'room' | 'landmark' | 'cell';
export type ThingKind = 'material' | 'item' | 'creature';
export type EventKind = 'achievement' | 'collect' | 'craft' | 'place' | 'death' | 'message' | 'other';
export type GoalLevel = 'long-term' | 'goal' | 'step';
export type GoalStatus = 'open' | 'active' | 'done' | 'failed' | 'abandoned';

export interface KnowledgeGraphOptions extends WriteQueueOptions {
  /**
   * Answer queries from an in-process copy of the graph (loaded from the store at `open`, kept current by this
   * graph's own writes) instead of flushing to the store and reading it back: a plan then never waits for a Bolt
   * round trip or a commit, while the store still receives every write. Default: on for Neo4j, off (not needed) for
   * graphology. Facts other processes write to a shared server appear after `refresh()`; turn it off when several
   * processes must read each other's writes at once. `counts()` and `contentHash()` always read the store itself.
   */
  localReads?: boolean;
}
export type { KgStatus, KgStatusKind, WriteQueueOptions } from './write-queue.js';
export type { PathResult } from './kg-paths.js';

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
  private readonly queue: WriteQueue;
  private readonly eventSeq = new Map<string, number>();
  private readonly childCount = new Map<string, number>();
  private readonly lastChild = new Map<string, string>();
  private readonly goalOrder = new Map<string, number>();
  private readonly stations = new Set<string>();
  /** The semantic level read back from the store, dropped when rules are loaded. */
  private book: RecipeBook | undefined;
  /** Places, connections and who knows them, read from the store once and then kept current by this graph's writes. */
  private spatial: SpatialIndex | undefined;

  /** The local copy queries read with `localReads`, and the writes it has not applied yet (nodes before edges). */
  private readonly mirror: GraphologyStore | undefined;
  private mirrorNodes: NodeRecord[] = [];
  private mirrorEdges: EdgeRecord[] = [];
  /**
   * With the local copy: ids of every node the store holds or has been sent (loaded at open and on refresh). A node
   * not in it goes to the store marked fresh (WriteBatch.fresh), which Neo4j creates without a lookup.
   */
  private readonly known = new Set<string>();

  private constructor(readonly store: GraphStore, opts: KnowledgeGraphOptions) {
    this.queue = new WriteQueue(store, opts);
    if (opts.localReads ?? store.kind !== 'graphology') this.mirror = new GraphologyStore();
  }

  /** Where queries read: the local copy, or the store itself. */
  private get reader(): GraphStore {
    return this.mirror ?? this.store;
  }

  /** Makes every write so far visible to queries: applies them to the local copy, or flushes them to the store. */
  private async readable(): Promise<void> {
    if (!this.mirror) return this.flush();
    if (this.mirrorNodes.length === 0 && this.mirrorEdges.length === 0) return;
    const batch = { nodes: this.mirrorNodes, edges: this.mirrorEdges };
    this.mirrorNodes = [];
    this.mirrorEdges = [];
    await this.mirror.write(batch);
  }

  /** Reloads the local copy from the store (after writing everything queued): picks up other processes' facts. */
  async refresh(): Promise<void> {
    await this.flush();
    if (!this.mirror) return;
    this.mirrorNodes = [];
    this.mirrorEdges = [];
    await this.mirror.clear();
    const all = await this.store.dump();
    this.known.clear();
    for (const n of all.nodes) this.known.add(n.id);
    await this.mirror.write({ nodes: all.nodes, edges: [] });
    await this.mirror.write({ nodes: [], edges: all.edges });
    this.book = undefined;
    this.spatial = undefined;
    this.spatialLoad = undefined;
  }

  /** Store health and queue pressure: unavailable, reconnected, queue-high, queue-full, queue-drained. */
  get status$(): Observable<KgStatus> {
    return this.queue.status$;
  }

  /** Records queued or being written. */
  get queued(): number {
    return this.queue.size;
  }

  /**
   * Back-pressure for callers that want it: resolves at once while the queue is below `maxQueued`, else once it has
   * drained below `highWater`. Writes never wait on their own; nothing is ever dropped.
   */
  ready(): Promise<void> {
    return this.queue.ready();
  }

  /**
   * `undefined` while the write queue is below its bound, else a promise that resolves once it has drained below its
   * high-water mark: give it to a run as `sim.run({ pace: () => kg.backpressure() })` and the simulation waits for the
   * store instead of queueing without end (nothing is dropped either way).
   */
  backpressure(): Promise<void> | undefined {
    return this.queue.backpressure();
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
    if (kg.mirror) await kg.refresh();
    return kg;
  }

  // ---- write queue -------------------------------------------------------------------------------------------

  private node(id: string, label: NodeLabel, props: Props = {}): void {
    const n: NodeRecord = { id, label, props };
    let fresh = false;
    if (this.mirror) {
      this.mirrorNodes.push(n);
      fresh = !this.known.has(id);
      if (fresh) this.known.add(id);
    }
    this.queue.node(n, fresh);
  }

  private edge(type: EdgeType, from: string, to: string, props: Props = {}, key = ''): void {
    const e: EdgeRecord = { id: `${type}:${from}->${to}${key ? `#${key}` : ''}`, type, from, to, props };
    if (this.spatial && (type === 'CONNECTS' || type === 'KNOWS')) this.spatial.apply(e);
    if (this.mirror) this.mirrorEdges.push(e);
    this.queue.edge(e);
  }

  /**
   * Writes everything queued so far and waits for it. Transient store failures are retried (see WriteQueue), so
   * this waits through an outage; it rejects only on a failure a retry cannot cure (kept for every later flush).
   */
  flush(): Promise<void> {
    return this.queue.flush();
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

  /**
   * Marks one sighting (by id, as returned by `sight` or read back with `sightings`) as wrong from this step on,
   * without a query: for agents that track their sightings and must not wait on the store while deciding.
   */
  invalidateSighting(id: string, f: Fact): void {
    this.node(id, 'Sighting', { valid: false, invalidatedAt: f.step, invalidatedBy: f.observer });
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
    await this.readable();
    this.book ??= await loadRecipeBook(this.reader);
    return missingFor(this.book, target, inventory, opts.nearby ?? []);
  }

  private spatialLoad: Promise<SpatialIndex> | undefined;
  private async spatialIndex(): Promise<SpatialIndex> {
    await this.readable();
    if (!this.spatialLoad) {
      // Made before the store is read, so writes made meanwhile land in it (and win over the older stored edges).
      const index = SpatialIndex.create();
      this.spatial = index;
      this.spatialLoad = index.load(this.reader);
      this.spatialLoad.catch(() => { this.spatial = undefined; this.spatialLoad = undefined; });
    }
    return this.spatialLoad;
  }

  /** Places the viewer (or their team) knows. */
  async knownPlaces(v: Viewer): Promise<Set<string>> {
    return new Set((await this.spatialIndex()).known(v));
  }

  /** Cheapest path between two places over known places and connections (place keys, not ids). */
  async path(from: string, to: string, v: Viewer): Promise<PathResult | null> {
    const target = placeId(to);
    return (await this.spatialIndex()).shortestPath(placeId(from), (id) => id === target, v);
  }

  /** The nearest known place with a valid sighting of `what` visible to the viewer, and the path there. */
  async nearestWith(what: string, from: string, v: Viewer): Promise<(PathResult & { sighting: Sighting }) | null> {
    const targets = new Map<string, Sighting>();
    for (const s of await this.sightings({ what, viewer: v })) if (s.valid && !targets.has(placeId(s.place))) targets.set(placeId(s.place), s);
    if (targets.size === 0) return null;
    const p = (await this.spatialIndex()).shortestPath(placeId(from), (id) => targets.has(id), v);
    return p ? { ...p, sighting: targets.get(placeId(p.places[p.places.length - 1] as string)) as Sighting } : null;
  }

  /** Known places marked as frontier, sorted by key. */
  async frontiers(v: Viewer): Promise<string[]> {
    const known = (await this.spatialIndex()).known(v);
    const out: string[] = [];
    for (const n of await this.reader.findNodes('Place', { frontier: true })) if (known.has(n.id)) out.push(n.props.key as string);
    return out.sort();
  }

  async sightings(q: { what?: string; viewer?: Viewer } = {}): Promise<Sighting[]> {
    await this.readable();
    const nodes = await this.reader.findNodes('Sighting', q.what !== undefined ? { what: q.what } : {});
    return nodes.filter((n) => !q.viewer || visibleTo(n.props, q.viewer)).map(toSighting);
  }

  /** An agent's events in one episode, in order. */
  async events(agent: string, episode: number): Promise<KgEvent[]> {
    await this.readable();
    const nodes = await this.reader.findNodes('Event', { agent, episode });
    return nodes.map(toEvent).sort((a, b) => a.seq - b.seq);
  }

  /** An agent's goals (parents before children, siblings in order), filtered to what the viewer may see. */
  async goals(agent: string, v?: Viewer): Promise<Goal[]> {
    await this.readable();
    const all = (await this.reader.findNodes('Goal', { agent })).filter((n) => !v || visibleTo(n.props, v)).map(toGoal);
    const kids = new Map<string, Goal[]>();
    for (const g of all) kids.set(g.parent, [...(kids.get(g.parent) ?? []), g]);
    const out: Goal[] = [];
    const walk = (p: string) => { for (const g of (kids.get(p) ?? []).sort((a, b) => a.order - b.order)) { out.push(g); walk(g.id); } };
    walk('');
    return out;
  }

  /** What each teammate shared: open goals, valid sightings, number of places known. */
  async teammates(v: Viewer): Promise<TeammateSummary[]> {
    await this.readable();
    if (!v.team) return [];
    const mates = (await this.reader.findNodes('Agent', { team: v.team })).map((n) => n.props.name as string).filter((a) => a !== v.agent);
    const knows = await this.reader.edgesOfType('KNOWS');
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

  /**
   * Flushes, stops the queue and closes the store. With `{ flush: false }` it does not wait: records still queued
   * are discarded and pending flushes reject (for shutting down while the store is unreachable).
   */
  async close(opts: { flush?: boolean } = {}): Promise<void> {
    if (opts.flush !== false) await this.flush();
    this.queue.close();
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
