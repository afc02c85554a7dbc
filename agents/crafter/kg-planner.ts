/**
 * The kg-planner: a Crafter agent for the MAC team goal (a diamond) that plans over the knowledge graph. At subgoal
 * boundaries it regresses the goal over the recipes (`kg.missingFor`), reads what the team's graph holds (sightings,
 * known and frontier places) and picks the next subgoal; between boundaries it acts synchronously from its own local
 * map (dead reckoning in the team frame given by the public spawn layout). It never reads the world state.
 * With messages it claims subgoals (one crafter of the iron pickaxe; scarce ore cells), asks for items and answers
 * requests with the MAC share action, so one agent mines while another crafts.
 */
import type { Controller, DecisionContext, EpisodeContext, Transition } from '../../core/controller.js';
import type { MessagePort } from '../../core/messages.js';
import type { AgentId } from '../../core/parallel-env.js';
import type { KnowledgeGraph, Viewer } from '../../memory/knowledge-graph.js';
import type { TeamMessage } from '../../memory/messages.js';
import type { CrafterInfo } from '../../worlds/crafter/crafter-env.js';
import { spawnPositions } from '../../worlds/crafter/crafter-env.js';
import type { SymbolicObservation } from '../../worlds/crafter/observation.js';
import type { CrafterRules } from '../../worlds/crafter/rules.js';
import type { CrafterSubgoal } from '../../worlds/crafter/crafter-subgoals.js';
import { DIRS, Id, LocalMap, SIDE, isWalkable } from './local-map.js';
import { FrontierExplorer } from './kg-explore.js';
import type { SweepTuning } from './kg-explore.js';
import type { SearchMassTuning } from './search-mass.js';
import type { SectorTuning } from './sector-balance.js';
import type { DiamondPullTuning } from './diamond-pull.js';
import { TunnelDrive } from './tunnel-drive.js';
import type { TunnelTuning } from './tunnel-drive.js';
import { search } from './path-planner.js';
import { A, Navigator } from './navigator.js';
import { Inv } from './tech-tree.js';
import { FRAME, KgSync, parsePlace } from './kg-sync.js';
import { HOLD, TeamTalk, claimBinds } from './kg-team.js';
import type { TeamStats } from './kg-team.js';
import { StuckGuard } from './stuck-guard.js';
import { Thirst, needsWait } from './kg-thirst.js';
import type { ThirstTuning } from './kg-thirst.js';
import { SUPPLIED, planShortfall, supplyTarget } from './kg-supply.js';

export interface KgPlannerOptions {
  /** The graph every agent of the run writes to (one per run; place keys carry the episode). */
  readonly kg: KnowledgeGraph;
  /** Team messages; without it the agent never talks. */
  readonly messages?: MessagePort<TeamMessage>;
  /** Share facts with the team (scope `team`) and read the team's; otherwise everything is private. */
  readonly shareMemory: boolean;
  readonly team: string;
  /** The world's rules (public): recipes' sources, action indices, spawn layout. */
  readonly rules: CrafterRules;
  /** Every agent of the world in spawn order (`env.possibleAgents`). */
  readonly agents: readonly AgentId[];
  /** Steps between plan refreshes while a subgoal runs (default 12). */
  readonly refreshEvery?: number;
  /**
   * Division of labour by role: the first agent with a stone pickaxe claims the iron pickaxe and the others mine
   * for it and scout (default false: everyone races, helping with requests and shares).
   */
  readonly oneCrafter?: boolean;
  /**
   * Agents (the last ones in spawn order) that only scout for ore and diamonds and report them in the shared graph,
   * asking for the iron pickaxe when next to a diamond. Default: all but two crafters when the team has 4 or more
   * agents, shares memory and talks; otherwise 0 (bench:coop on tuning seeds 100-139 with just-in-time stations:
   * 6 agents with 3 / 4 / 5 scouts 144.8 / 138.2 / 141.8 steps; 2 agents with 0 / 1 scout 176.8 / 208.6).
   */
  readonly scouts?: number;
  /** Extra tables / furnaces whose price is gathered up front, to place them where the work is (default 0 each: with stations placed just in time, seeds 100-139 gave 199.8 / 138.2 steps for 1 / 6 agents with 0 spare tables, 206.9 / 140.8 with 1, 205.7 / 139.4 with 2). */
  readonly spareTables?: number;
  readonly spareFurnaces?: number;
  /** Place a station only when the craft that needs it is otherwise ready (default true). */
  readonly justInTime?: boolean;
  /** Weight of expected unseen mountain cells (diamond ground) in the frontier choice when seeking ore (default 0: off). */
  readonly deepGain?: number;
  /** With `deepGain`: gain per unseen cell of any ground a view from the frontier would show (default 0.15). */
  readonly deepReveal?: number;
  /**
   * A scout that knows a diamond goes next to it and asks for the iron pickaxe, even before anyone holds one
   * (the crafter shares it from any distance the step it is made). Default true (bench:coop 6 agents shared, seeds 0-19: 108.2 -> 92.0 steps; seeds 200-219: 123.8 -> 118.8).
   */
  readonly waitAtDiamond?: boolean;
  /** Sweep mountains instead of hopping between frontiers when seeking ore or diamonds (`mountain-sweep.ts`; default null: off). */
  readonly sweep?: SweepTuning | null;
  /** In a team with scouts, crafters ask for wood and scouts gather and share it (default false: 6 agents shared, seeds 0-19 92.0 -> 99.9 steps, iron pickaxe 75.5 -> 64.9; seeds 100-159 127.1 -> 124.2). */
  readonly scoutSupply?: boolean;
  /** Frontiers closer to a teammate in view than to us lose 10 (shared memory only; default true, see the README). */
  readonly splitFrontier?: boolean;
  /** Frontier bonus for regions no teammate explored, from the shared graph (default true). */
  readonly teamFresh?: boolean;
  /** Random free steps when pacing between two cells (teammates blocking each other in lockstep; default true). */
  readonly unstick?: boolean;
  /** Pull the frontier choice towards large unseen mountain-likely areas when seeking a diamond (`search-mass.ts`; default null: off). */
  readonly searchMass?: SearchMassTuning | null;
  /**
   * With the iron pickaxe in hand and a known diamond targeted, water and food wait (the episode ends with the
   * diamond; `needsWait` in kg-thirst.ts). Default true (bench:coop, see the README).
   */
  readonly focusDiamond?: boolean;
  /** Weight of a crafter's exploration heading per cell of progress along it (default 0.3; scouts use 1). */
  readonly headingGain?: number;
  /** When to go for water (`kg-thirst.ts`; default: at drink 3 within 25 steps, no sips on the way). */
  readonly thirst?: ThirstTuning;
  /** Frontier gain for natural tunnels and caves when seeking ore or diamonds (default 0: off). */
  readonly tunnelGain?: number;
  /** A teammate's claim on an iron cell within this many cells (Manhattan) of us is ignored (default 0: claims always hold). */
  readonly nearClaim?: number;
  /** Favour frontiers in the least-seen sectors around the world's centre when seeking a diamond (`sector-balance.ts`; default null: off). */
  readonly sectors?: SectorTuning | null;
  /** Before the iron pickaxe, frontiers near a known diamond gain (`diamond-pull.ts`; default null: off). */
  readonly diamondPull?: DiamondPullTuning | null;
  /** Tunnel straight through rock while searching for a diamond (`tunnel-drive.ts`; default null: off). */
  readonly tunnel?: TunnelTuning | null;
  /** Messages sent per step at most (the channel's budget; default 1). */
  readonly messageBudget?: number;
}

type Sub =
  | { readonly kind: 'collect'; readonly item: string; readonly mat: number; readonly want: number; readonly cell: number }
  | { readonly kind: 'place'; readonly what: string }
  | { readonly kind: 'make'; readonly item: string; readonly station: number }
  | { readonly kind: 'explore'; readonly mountain: boolean };

const CRAFT = 'make:iron_pickaxe';
const INV_NAMES = Object.keys(Inv) as (keyof typeof Inv)[];
const OPPORTUNE: readonly [number, keyof typeof Inv, keyof typeof Inv][] = [
  [Id.diamond, 'diamond', 'iron_pickaxe'], [Id.iron, 'iron', 'stone_pickaxe'], [Id.coal, 'coal', 'wood_pickaxe'],
];
const MAT_NAME = new Map(Object.entries(Id).map(([k, v]) => [v as number, k]));

/** Counters a bench or test reads after a run. */
export interface KgPlannerStats extends TeamStats { plans: number; writes: number; subgoals: Record<string, number> }

export class KgPlannerController implements Controller<SymbolicObservation, number, CrafterInfo> {
  private map = new LocalMap();
  private nav = new Navigator(this.map, null);
  private sync: KgSync | null = null;
  private talk: TeamTalk;
  private agent = '';
  private episode = 0;
  private sub: Sub | null = null;
  private lastPlan = -1000;
  private lastAction = 0;
  private prev: SymbolicObservation | null = null;
  private obs: SymbolicObservation | null = null;
  private step = 0;
  private madeOrPlaced = false;
  private explorer = new FrontierExplorer(this.map, this.nav, [1, 0], 0.3);
  private scout = false;
  private teamScouts = 0;
  private guard: StuckGuard | null = null;
  private thirst = new Thirst();
  private lastSteps: readonly { recipe: string; times: number }[] = [];
  /** Team knowledge read from the graph: regions other agents know, region centres with abundant things. */
  private teamKnown = new Set<string>();
  private teamRegions = new Map<string, [number, number][]>();
  private readonly itemSource = new Map<string, number>();
  private readonly actionOf = new Map<string, number>();
  private readonly shareBase: number;
  readonly stats: KgPlannerStats;

  constructor(private readonly opts: KgPlannerOptions) {
    this.talk = new TeamTalk(undefined, '', opts.agents);
    const ids = Id as Record<string, number>;
    for (const [mat, c] of Object.entries(opts.rules.data.collect)) for (const item of Object.keys(c.receive)) if (ids[mat] !== undefined) this.itemSource.set(item, ids[mat]);
    opts.rules.actions.forEach((a, i) => this.actionOf.set(a, i));
    this.shareBase = opts.rules.actions.length;
    this.stats = { ...this.talk.stats, plans: 0, writes: 0, subgoals: {} };
  }

  /** Where the agent believes it is, in the team frame (world cells, from the public spawn layout). */
  get position(): [number, number] {
    return [this.map.x - FRAME, this.map.y - FRAME];
  }

  /**
   * The subgoal being pursued, in the world's vocabulary (`crafterSubgoals`), or `null` while exploring: what an
   * `OptionPlanner` adapter (agents/hrl/kg-option-planner.ts) hands to another executor.
   */
  get currentSubgoal(): CrafterSubgoal | null {
    const s = this.sub;
    if (!s) return null;
    switch (s.kind) {
      case 'collect':
        return { kind: 'collect', item: s.item };
      case 'place':
        return { kind: 'place', what: s.what };
      case 'make':
        return { kind: 'make', item: s.item };
      case 'explore':
        return null;
    }
  }

  /** This agent's claims (decided and sent steps), for tests and logs. */
  get claims(): TeamTalk['claimLog'] {
    return this.talk.claimLog;
  }

  /** Subgoals this agent believes it owns now. */
  ownedClaims(): string[] {
    return this.talk.owned();
  }

  private get viewer(): Viewer {
    return { agent: this.agent, team: this.opts.team };
  }

  reset(ctx: EpisodeContext): void {
    this.agent = ctx.agent;
    this.episode = ctx.episode;
    this.map = new LocalMap();
    const r = this.opts.rules.data.world;
    const i = this.opts.agents.indexOf(ctx.agent);
    const spawn = spawnPositions(this.opts.agents.length, r.area, r.spawnSpacing)[Math.max(0, i)]!;
    this.map.x = FRAME + spawn[0];
    this.map.y = FRAME + spawn[1];
    this.nav = new Navigator(this.map, ctx.rng);
    this.guard = this.opts.unstick === false ? null : new StuckGuard(this.map, ctx.rng.fork('unstick'));
    // Spread out: each agent starts with its own exploration heading.
    const n = this.opts.agents.length;
    const angle = n === 1 ? ctx.rng.float() * 2 * Math.PI : (2 * Math.PI * i) / n + Math.PI / 4;
    const scouts = this.opts.scouts ?? (n >= 4 && this.opts.shareMemory && this.opts.messages ? n - 2 : 0);
    this.scout = i >= n - scouts;
    this.teamScouts = scouts;
    this.explorer = new FrontierExplorer(this.map, this.nav, [Math.cos(angle), Math.sin(angle)], this.scout ? 1 : (this.opts.headingGain ?? 0.3), this.opts.deepGain ?? 0, this.opts.deepReveal ?? 0.15, 2, this.opts.sweep ?? null);
    this.explorer.searchMass = this.opts.searchMass ?? null;
    this.explorer.tunnelGain = this.opts.tunnelGain ?? 0;
    this.explorer.sectors = this.opts.sectors ?? null;
    this.explorer.member = [Math.max(0, i), n];
    this.explorer.pull = this.opts.diamondPull ?? null;
    this.explorer.tunnel = this.opts.tunnel ? { drive: new TunnelDrive(this.map, this.opts.tunnel), tuning: this.opts.tunnel } : null;
    this.sync = new KgSync(this.opts.kg, this.map, ctx.agent, this.opts.team, this.opts.shareMemory ? 'team' : 'private', ctx.episode);
    this.talk = new TeamTalk(this.opts.messages, ctx.agent, this.opts.agents);
    this.sub = null;
    this.thirst = new Thirst(this.opts.thirst ?? {});
    this.lastSteps = [];
    this.lastPlan = -1000;
    this.prev = null;
    this.obs = null;
    this.teamKnown = new Set();
    this.teamRegions = new Map();
    this.opts.kg.setGoal({ id: `e${ctx.episode}:diamond`, agent: ctx.agent, level: 'long-term', text: 'collect a diamond', target: 'diamond', status: 'active' }, this.sync.fact(0));
  }

  /**
   * Follow an agent that someone else drives (the LLM agent's fail-safe shadows it all episode): `t.action` is the
   * action the world applied and `step` the step of the new observation, which `act` would otherwise have told.
   */
  shadow(t: Transition<SymbolicObservation, CrafterInfo>, step: number): void {
    if (typeof t.action === 'number') this.lastAction = t.action;
    this.step = step;
    this.observe(t);
  }

  observe(t: Transition<SymbolicObservation, CrafterInfo>): void {
    // Perception and graph writes happen here, after every agent decided: decisions of one step all read the
    // same graph, on any store and at any speed.
    this.perceive(t.observation);
  }

  act(ctx: DecisionContext<SymbolicObservation, CrafterInfo>): number | Promise<number> {
    this.step = ctx.step;
    if (this.obs === null) this.perceive(ctx.observation);
    this.talk.read(ctx.step);
    if (this.needPlan()) return this.plan().then(() => this.finish());
    return this.finish();
  }

  private finish(): number {
    const a = this.guard?.check(this.lastAction) ?? this.decide();
    this.lastAction = a;
    this.talk.flush(this.opts.messageBudget ?? 1);
    Object.assign(this.stats, this.talk.stats, { writes: this.sync?.writes ?? 0 });
    return a;
  }

  // ---- perception -------------------------------------------------------------------------------------------

  private perceive(obs: SymbolicObservation): void {
    const m = this.map;
    const prev = this.prev ?? this.obs;
    if (prev) m.followMove(obs.map, this.lastAction);
    if (this.obs) m.step++;
    for (let d = 0; d < 4; d++) if (obs.facing[d]) this.nav.facing = d;
    m.record(obs.map, null);
    this.nav.inv = obs.inventory;
    if (prev) this.events(prev, obs);
    // A make or place that worked changes the inventory: the subgoal is over, plan the next one.
    const a = this.lastAction;
    if (this.obs && a >= A.place_stone && a <= A.make_iron_sword && a !== A.place_plant) {
      for (let i = 0; i < obs.inventory.length; i++) if (obs.inventory[i] !== this.obs.inventory[i]) this.madeOrPlaced = true;
    }
    this.prev = this.obs;
    this.obs = obs;
    this.sync!.update(this.step, m.visible(Id.cow));
  }

  private events(prev: SymbolicObservation, obs: SymbolicObservation): void {
    for (let i = 0; i < INV_NAMES.length; i++) {
      if (obs.inventory[i]! > prev.inventory[i]!) {
        const name = INV_NAMES[i]!;
        const kind = name.endsWith('pickaxe') || name.endsWith('sword') ? 'craft' : 'collect';
        this.opts.kg.recordEvent({ agent: this.agent, episode: this.episode, kind, name }, this.sync!.fact(this.step));
        if (name === 'iron_pickaxe') this.talk.goalStatus(HOLD, 'done');
      }
    }
  }

  // ---- planning at subgoal boundaries -----------------------------------------------------------------------

  private inv(): Record<string, number> {
    const out: Record<string, number> = {};
    const inv = this.obs!.inventory;
    INV_NAMES.forEach((n, i) => (out[n] = inv[i]!));
    return out;
  }

  private has(item: keyof typeof Inv): number {
    return this.obs!.inventory[Inv[item]]!;
  }

  private needPlan(): boolean {
    const s = this.sub;
    // Replan for a teammate's request only when we could answer it (else the plan would flip back and forth).
    if (this.step - this.lastPlan >= 3 && this.canAnswer()) return true;
    if (!s) return true;
    if (this.step - this.lastPlan >= (this.opts.refreshEvery ?? 12)) return true;
    if (s.kind === 'explore' && this.step - this.lastPlan >= 2 && this.supply()) return true;
    // A craft of the plan became possible here (inputs in hand, station near): do it now rather than later.
    if (s.kind !== 'make' && s.kind !== 'place' && this.lastSteps.some((st) => st.recipe.startsWith('make_') && this.readyNow(st.recipe, this.nearbyNow()))) return true;
    if (s.kind === 'collect') return this.has(s.item as keyof typeof Inv) >= s.want || (s.cell >= 0 && this.map.mat[s.cell] !== s.mat);
    if (s.kind === 'make') return this.madeOrPlaced;
    if (s.kind === 'place') return this.madeOrPlaced;
    return false;
  }

  private nearbyNow(): string[] {
    const nearby: string[] = [];
    if (this.stationCell(Id.table, 8) >= 0) nearby.push('table');
    if (this.stationCell(Id.furnace, 8) >= 0) nearby.push('furnace');
    return nearby;
  }

  /** Stations within a short walk count as near (cheaper to walk to than to build again). */
  private stationCell(mat: number, maxCost: number): number {
    const m = this.map;
    const r = search(m, (x, y) => isWalkable(m.matAt(x, y)) && this.near(x, y, mat), { maxCost });
    if (!r) return -1;
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) if (m.matAt(r.x + dx, r.y + dy) === mat) return m.idx(r.x + dx, r.y + dy);
    return -1;
  }

  private near(x: number, y: number, mat: number): boolean {
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) if (this.map.matAt(x + dx, y + dy) === mat) return true;
    return false;
  }

  private async plan(): Promise<void> {
    const kg = this.opts.kg;
    this.stats.plans++;
    this.lastPlan = this.step;
    this.madeOrPlaced = false;
    if (this.opts.shareMemory && this.step > 0) await this.readTeam();
    const nearby = this.nearbyNow();
    const inv = this.inv();
    let target = this.scout ? 'scout' : 'diamond';
    if (this.talk.enabled) {
      this.answerRequests();
      if (this.opts.oneCrafter) {
        const crafter = this.has('iron_pickaxe') > 0 || this.crafterRole();
        if (!crafter) target = this.supplierTarget();
      }
    }
    const steps = target === 'scout' ? [] : (await kg.missingFor(target, inv, { nearby })).steps;
    this.lastSteps = steps;
    const supplied = this.talk.enabled && this.teamScouts > 0 && !this.scout && (this.opts.scoutSupply ?? false) ? SUPPLIED : [];
    for (const item of supplied) if (planShortfall(steps, item) > 0) this.talk.request(item, planShortfall(steps, item), 'make:table', this.step, 10);
    if (this.talk.enabled && this.has('iron_pickaxe') === 0 && this.has('stone_pickaxe') > 0) {
      // One mines, another crafts: ask for the ore that stands between us and the iron pickaxe.
      const next = steps[0]?.recipe ?? '';
      if (next === 'collect_iron' || next === 'collect_coal') this.talk.request(next.slice('collect_'.length), 1, CRAFT, this.step);
    }
    // A teammate holds an iron pickaxe: a second one is not worth the trip, finding the diamond is.
    if (this.talk.enabled && !this.has('iron_pickaxe') && this.talk.holders.size > 0) target = 'scout';
    const old = this.sub;
    this.sub = this.choose(target, steps, nearby);
    if (old?.kind === 'collect' && old.cell >= 0 && old.mat === Id.iron && !(this.sub.kind === 'collect' && this.sub.cell === old.cell)) {
      this.talk.release(this.cellClaim((old.cell / SIDE) | 0, old.cell % SIDE));
    }
    const key = this.sub.kind === 'explore' ? 'explore' : `${this.sub.kind}:${'item' in this.sub ? this.sub.item : this.sub.what}`;
    this.stats.subgoals[key] = (this.stats.subgoals[key] ?? 0) + 1;
    kg.setGoal({ id: `e${this.episode}:${key}`, agent: this.agent, level: 'goal', text: key, target: key, parent: `e${this.episode}:diamond`, status: 'active' }, this.sync!.fact(this.step));
  }

  /** The iron pickaxe has one crafter: claim it once the stone pickaxe is in hand, unless a teammate was first. */
  private crafterRole(): boolean {
    if (this.talk.owner(CRAFT) === this.agent) return true;
    if (this.talk.takenByOther(CRAFT)) return false;
    if (this.has('stone_pickaxe') === 0) return true;
    return this.talk.claim(CRAFT, this.step);
  }

  /** A supplier works towards what the crafter asked for, else scouts for diamonds. */
  private supplierTarget(): string {
    for (const item of ['iron', 'coal']) {
      const asked = this.talk.requests.get(item);
      if (asked && asked.size > 0 && !this.has(item as keyof typeof Inv)) return item;
    }
    return this.has('stone_pickaxe') ? 'scout' : 'stone_pickaxe';
  }

  /** A scout's errand for teammates' requests (wood for the crafters), see kg-supply.ts. */
  private supply(): { item: string; want: number } | null {
    if (!this.scout || !(this.opts.scoutSupply ?? false)) return null;
    return supplyTarget(this.talk.requests, this.agent, (i) => this.has(i as keyof typeof Inv), 2);
  }

  /** What we may give of an item: all once we hold an iron pickaxe, else what our own plan does not need. */
  private surplus(item: string): number {
    const held = this.has(item as keyof typeof Inv) ?? 0;
    const keep = item === 'iron_pickaxe' || this.has('iron_pickaxe') || (this.scout && (this.opts.scoutSupply ?? false)) ? 0 : item === 'iron' || item === 'coal' ? 1 : 2;
    return held - keep;
  }

  private canAnswer(): boolean {
    for (const [item, who] of this.talk.requests) if (this.surplus(item) > 0 && [...who.keys()].some((a) => a !== this.agent)) return true;
    return false;
  }

  /** Give what teammates asked for when we hold it (the iron pickaxe only when no diamond is close to us). */
  private answerRequests(): void {
    for (const [item, who] of this.talk.requests) {
      for (const [to, count] of who) {
        // Supplied items (wood) come from scouts: crafters racing for the same table would trade wood back and forth.
        if (to === this.agent || (!this.scout && this.teamScouts > 0 && (this.opts.scoutSupply ?? false) && (SUPPLIED as readonly string[]).includes(item))) continue;
        // Only surplus: what our own plan still needs stays (none once we hold an iron pickaxe).
        const spare = this.surplus(item);
        if (spare <= 0) continue;
        if (item === 'iron_pickaxe' && search(this.map, (x, y) => this.map.matAt(x, y) === Id.diamond, { maxCost: 12, mineable: this.nav.mineable(this.obs!.inventory) })) continue;
        if (item !== 'iron_pickaxe' && this.opts.oneCrafter && this.talk.owner(CRAFT) === this.agent) continue;
        this.talk.give(item, to, Math.min(spare, count));
        if (item === 'iron_pickaxe') this.talk.holders.delete(this.agent);
      }
    }
  }

  private choose(target: string, steps: readonly { recipe: string; times: number }[], nearby: string[]): Sub {
    if (target === 'scout') {
      const knows = this.map.mat.includes(Id.diamond);
      // Waiting at a known diamond: the share action has no range, so the pickaxe comes to us the step it exists.
      const wait = knows && (this.talk.holders.size > 0 || (this.talk.enabled && (this.opts.waitAtDiamond ?? true)));
      const supply = wait ? null : this.supply();
      if (supply) return this.collect(supply.item, supply.want);
      return this.has('iron_pickaxe') || wait ? this.collect('diamond', 1) : { kind: 'explore', mountain: true };
    }
    // A make or place whose inputs are in hand (and station near) goes first: no walking back later.
    const ready = steps.find((st) => this.readyNow(st.recipe, nearby, steps));
    // Just in time: a station not ready to place waits; gather what the plan needs first.
    // A collect under way that the plan still needs goes on (a refresh must not leave the trees with 3 wood of 7).
    const cur = this.sub;
    const going = cur?.kind === 'collect' && this.has(cur.item as keyof typeof Inv) < cur.want ? steps.find((st) => st.recipe === `collect_${cur.item}`) : undefined;
    const jit = this.opts.justInTime ?? true;
    const first = ready ?? (jit ? going ?? steps.find((st) => st.recipe.startsWith('collect_')) : undefined) ?? steps[0];
    if (!first) return { kind: 'explore', mountain: true };
    const [verb, ...rest] = first.recipe.split('_');
    const name = rest.join('_');
    if (verb === 'collect') {
      let total = 0;
      for (const s of steps) if (s.recipe === first.recipe) total += s.times;
      return this.collect(name, this.has(name as keyof typeof Inv) + total + this.spare(name, steps));
    }
    if (verb === 'place') return { kind: 'place', what: name };
    const station = nearby.includes('furnace') && name === 'iron_pickaxe' ? this.stationCell(Id.furnace, 8) : this.stationCell(Id.table, 8);
    return { kind: 'make', item: name, station };
  }

  /**
   * Portable stations: while the plan still needs a station-bound craft, carry the price of one more table (wood)
   * or furnace (stone) so it can be placed where the work is (next to stone, next to iron) instead of walking back.
   */
  private spare(item: string, steps: readonly { recipe: string; times: number }[]): number {
    const spareTables = this.opts.spareTables ?? 0;
    const spareFurnaces = this.opts.spareFurnaces ?? 0;
    const place = this.opts.rules.data.place;
    const later = (station: string) => steps.some((st) => st.recipe.startsWith('make_') && (this.opts.rules.data.make[st.recipe.slice(5)]?.nearby ?? []).includes(station));
    let n = 0;
    if (later('table')) n += spareTables * (place['table']?.uses[item] ?? 0);
    if (later('furnace')) n += spareFurnaces * (place['furnace']?.uses[item] ?? 0);
    return n;
  }

  private readyNow(recipe: string, nearby: readonly string[], steps?: readonly { recipe: string; times: number }[]): boolean {
    const d = this.opts.rules.data;
    const [verb, ...rest] = recipe.split('_');
    const name = rest.join('_');
    const r = verb === 'make' ? d.make[name] : verb === 'place' ? d.place[name] : undefined;
    if (!r) return false;
    for (const [item, n] of Object.entries(r.uses)) if ((this.has(item as keyof typeof Inv) ?? 0) < n) return false;
    if (!(r.nearby ?? []).every((st) => nearby.includes(st))) return false;
    if (verb !== 'place' || !steps || !(this.opts.justInTime ?? true)) return true;
    // Stations are placed just in time, where the craft that needs them happens: only once the first make that
    // needs this station has its other inputs in hand (after paying for the station), and not in the middle of
    // gathering the station's own input (a table placed with 3 wood of 7 sends the agent back to the trees later).
    const s = this.sub;
    if (s?.kind === 'collect' && r.uses[s.item] !== undefined && this.has(s.item as keyof typeof Inv) < s.want && steps.some((st) => st.recipe === `collect_${s.item}`)) return false;
    const next = steps.find((st) => st.recipe.startsWith('make_') && (d.make[st.recipe.slice(5)]?.nearby ?? []).includes(name));
    const make = next ? d.make[next.recipe.slice(5)] : undefined;
    if (!make) return true;
    for (const [item, n] of Object.entries(make.uses)) if ((this.has(item as keyof typeof Inv) ?? 0) - (r.uses[item] ?? 0) < n) return false;
    return true;
  }

  /** A collect subgoal; scarce ores get a target cell claimed for the team. */
  private collect(item: string, want: number): Sub {
    const mat = this.itemSource.get(item) ?? Id.tree;
    let cell = -1;
    if (mat === Id.iron || mat === Id.diamond || mat === Id.coal) {
      const m = this.map;
      const free = (tx: number, ty: number) => m.matAt(tx, ty) === mat && (mat !== Id.iron || this.ironFree(tx, ty));
      const r = search(m, (x, y) => this.adjacentTo(x, y, free),
        { mineable: this.nav.mineable(this.obs!.inventory), unknownCost: 2, maxCost: 500 });
      if (r) {
        for (const [dx, dy] of DIRS) if (free(r.x + dx, r.y + dy)) { cell = m.idx(r.x + dx, r.y + dy); break; }
        // Iron is scarce and one cell feeds one pickaxe: claim it. Diamonds are raced for (the first one ends the episode).
        if (cell >= 0 && mat === Id.iron) this.talk.claim(this.cellClaim((cell / SIDE) | 0, cell % SIDE), this.step);
      }
    }
    return { kind: 'collect', item, mat, want, cell };
  }

  /**
   * An iron cell we may go for: unclaimed, ours, or claimed by a teammate but within `nearClaim` cells of us (the
   * team needs one iron pickaxe; a claimer 60 cells away made the agent next to the cell search 58 more steps).
   */
  private ironFree(x: number, y: number): boolean {
    return !claimBinds(this.talk.takenByOther(this.cellClaim(x, y)), Math.abs(x - this.map.x) + Math.abs(y - this.map.y), this.opts.nearClaim ?? 0);
  }

  private cellClaim(x: number, y: number): string {
    return `collect@e${this.episode}:c${x - FRAME},${y - FRAME}`;
  }

  private adjacentTo(x: number, y: number, p: (x: number, y: number) => boolean): boolean {
    for (const [dx, dy] of DIRS) if (p(x + dx, y + dy)) return true;
    return false;
  }

  /** Reads the team's graph: teammates' sightings (scarce cells go into the local map), known regions. */
  private async readTeam(): Promise<void> {
    const kg = this.opts.kg;
    const v = this.viewer;
    const sightings = (await kg.sightings({ viewer: v })).filter((s) => s.place.startsWith(`e${this.episode}:`));
    this.sync!.noteTeamSightings(sightings);
    const m = this.map;
    this.teamRegions = new Map();
    for (const s of sightings) {
      if (!s.valid || s.observer === this.agent) continue;
      const p = parsePlace(s.place);
      if (!p) continue;
      const x = FRAME + p.x;
      const y = FRAME + p.y;
      if (p.cell) {
        const id = (Id as Record<string, number>)[s.what];
        if (id !== undefined && m.matAt(x, y) === 255) m.mat[m.idx(x, y)] = id;
      } else {
        const list = this.teamRegions.get(s.what) ?? [];
        list.push([x, y]);
        this.teamRegions.set(s.what, list);
      }
    }
    const known = await kg.knownPlaces(v);
    const frontier = new Set((await kg.frontiers(v)).map((k) => `place:${k}`));
    this.teamKnown = new Set([...known].filter((id) => !frontier.has(id)).map((id) => id.slice('place:'.length)));
  }

  // ---- acting between boundaries ----------------------------------------------------------------------------

  private decide(): number {
    const obs = this.obs!;
    const m = this.map;
    const inv = obs.inventory;
    // Owed shares first: one unit per step, no distance limit.
    const owe = this.talk.owed[0];
    if (owe) {
      const slot = this.opts.rules.data.share.items.indexOf(owe.item);
      const t = this.opts.agents.indexOf(owe.to);
      if (slot >= 0 && t >= 0 && this.has(owe.item as keyof typeof Inv) > 0) {
        if (--owe.left <= 0) this.talk.owed.shift();
        this.talk.stats.shares++;
        return this.shareBase + slot * this.opts.agents.length + t;
      }
      this.talk.owed.shift();
    }
    // Survival within a 350-step episode: drink when thirsty and water is close (kg-thirst.ts), eat a cow next to us
    // when hungry.
    const s0 = this.sub;
    const targeted = s0?.kind === 'collect' && s0.mat === Id.diamond && ((s0.cell >= 0 && m.mat[s0.cell] === Id.diamond) || m.mat.includes(Id.diamond));
    const focus = (this.opts.focusDiamond ?? true) && needsWait(this.has('iron_pickaxe') > 0, targeted, obs.vitals[0]!);
    const sip = focus ? null : this.thirst.act(obs.vitals[2]!, (cost) => this.nav.collectAdjacent((x, y) => m.matAt(x, y) === Id.water, cost));
    if (sip !== null) return sip;
    if (!focus && obs.vitals[1]! <= 3) {
      const a = this.nav.collectAdjacent((x, y) => m.objAt(x, y) === Id.cow, 10);
      if (a !== null) return a;
    }
    // Ore next to us that the plan will need and our tools can take: one `do` now saves a trip later.
    for (const [mat, item, tool] of OPPORTUNE) {
      if (this.has(item) > 0 || !this.has(tool)) continue;
      for (let d = 0; d < 4; d++) if (m.matAt(m.x + DIRS[d]![0], m.y + DIRS[d]![1]) === mat) return this.nav.faceAndDo(d);
    }
    const s = this.sub;
    if (!s) return this.explore(false);
    switch (s.kind) {
      case 'collect': {
        if (this.talk.enabled && s.mat === Id.diamond && !this.has('iron_pickaxe') && this.adjacentTo(m.x, m.y, (x, y) => m.matAt(x, y) === Id.diamond)) {
          this.talk.request('iron_pickaxe', 1, 'collect:diamond', this.step, 8);
        }
        const target = s.cell >= 0 && m.mat[s.cell] === s.mat
          ? (x: number, y: number) => m.idx(x, y) === s.cell
          : (x: number, y: number) => m.matAt(x, y) === s.mat && (s.mat !== Id.iron || this.ironFree(x, y));
        const a = this.nav.collectAdjacent(target, 120);
        if (a !== null) return a;
        const r = search(m, (x, y) => this.adjacentTo(x, y, target), { mineable: this.nav.mineable(inv), unknownCost: 2, maxCost: 500 });
        if (r && r.cells.length > 0) return this.nav.follow(r);
        const centres = this.teamRegions.get(MAT_NAME.get(s.mat) ?? '') ?? [];
        if (centres.length > 0) {
          const set = new Set(centres.map(([x, y]) => m.idx(x, y)));
          const rr = search(m, (x, y) => set.has(m.idx(x, y)), { mineable: this.nav.mineable(inv), unknownCost: 2, maxCost: 400 });
          if (rr && rr.cells.length > 0) return this.nav.follow(rr);
        }
        return this.explore(s.mat !== Id.tree && s.mat !== Id.water);
      }
      case 'place': {
        const action = this.actionOf.get(`place_${s.what}`) ?? A.noop;
        const ok = this.opts.rules.data.place[s.what]?.where ?? ['grass', 'sand', 'path'];
        const ids = ok.map((w) => (Id as Record<string, number>)[w]);
        const r = this.nav.placeFacing(action, (x, y) => ids.includes(m.matAt(x, y)) && m.objAt(x, y) === 0);
        return r ?? this.explore(false);
      }
      case 'make': {
        const action = this.actionOf.get(`make_${s.item}`) ?? A.noop;
        const mats = (this.opts.rules.data.make[s.item]?.nearby ?? []).map((w) => (Id as Record<string, number>)[w]!);
        if (mats.every((mat) => this.near(m.x, m.y, mat))) return action;
        const r = search(m, (x, y) => isWalkable(m.matAt(x, y)) && mats.every((mat) => this.near(x, y, mat)), { maxCost: 60 });
        if (r && r.cells.length > 0) return this.nav.follow(r);
        this.sub = null;
        return A.noop;
      }
      case 'explore':
        return this.explore(s.mountain);
    }
  }

  /** Best frontier (see kg-explore.ts): away from regions teammates explored, into mountains when seeking ore. */
  private explore(mountain: boolean): number {
    // Teammates in view split the frontier with us (shared graphs made pairs follow the same frontier for 50+ steps).
    const rivals = (this.opts.splitFrontier ?? true) && this.opts.shareMemory ? this.map.visible(Id.player).filter(([x, y]) => x !== this.map.x || y !== this.map.y) : undefined;
    return this.explorer.step(this.obs!.inventory, mountain, this.opts.teamFresh === false ? new Set() : this.teamKnown, this.episode, rivals);
  }
}

/** One kg-planner per agent; every agent of a run gets the same `kg` (and `messages`). */
export function createKgPlannerController(opts: KgPlannerOptions): KgPlannerController {
  return new KgPlannerController(opts);
}
