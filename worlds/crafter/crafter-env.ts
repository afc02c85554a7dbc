import { Rng } from '../../core/rng.js';
import { discrete } from '../../core/spaces.js';
import type { DictSpace, DiscreteSpace } from '../../core/spaces.js';
import type { AgentId, AgentInfo, EnvMetadata, ParallelEnv, PerAgent, ResetArgs, ResetResult, StepResult } from '../../core/parallel-env.js';
import type { WorldEventInput } from '../../core/events.js';
import { CrafterEngine } from './engine.js';
import { generateWorld } from './worldgen.js';
import { ObservationBuilder } from './observation.js';
import type { SymbolicObservation } from './observation.js';
import { loadRules } from './rules.js';
import type { CrafterRules, RulesetName } from './rules.js';
import { actionMask, decodeAction } from './actions.js';
import type { CrafterAction } from './actions.js';
import { renderPixels } from './pixels.js';
import { KIND_NAMES } from './world-store.js';
import { firstStepKey, MAC_TASKS } from './mac-tasks.js';
import type { MacTask } from './mac-tasks.js';

export interface CrafterEnvConfig {
  /** Number of players, 1..100 (default 1). They spawn in rows of up to 16 at the centre, one cell apart. */
  readonly players?: number;
  /** Built-in ruleset (default `crafter`); ignored when `rules` is given. */
  readonly ruleset?: RulesetName;
  /** Compiled rules (e.g. from `loadRules({ overrides })`). */
  readonly rules?: CrafterRules;
  /** Include the Craftax-Classic 1345-value `flat` vector (default true). */
  readonly oneHot?: boolean;
  /** Include a 64x64x3 `pixels` image drawn from canopy's own tiles (default false). */
  readonly pixels?: boolean;
  /** Report world events from `step` (default true). */
  readonly events?: boolean;
}

export interface CrafterInfo extends AgentInfo {
  readonly actionMask: Uint8Array;
  /** The player's cell `[x, y]`, as the reference's `info['player_pos']` (for exploration bonuses and logs). */
  readonly position: Int32Array;
}

/** Global semantic view for centralised training and the viewer. Positions are `[x, y]`. */
export interface CrafterState {
  readonly step: number;
  readonly daylight: number;
  readonly area: readonly [number, number];
  readonly materialNames: readonly string[];
  /** Material id per cell at `x * height + y` (0 unused, 1.. = `materialNames[id - 1]`). A copy. */
  readonly materials: Uint8Array;
  readonly objects: readonly { kind: string; pos: [number, number]; health: number }[];
  readonly players: readonly {
    agent: AgentId; pos: [number, number]; facing: [number, number]; alive: boolean; sleeping: boolean;
    inventory: Record<string, number>; achievements: string[];
  }[];
}

/**
 * Crafter as a PettingZoo-style ParallelEnv for 1..100 players in one world. Actions are a flat Discrete space:
 * the rules' base actions, then (with the `mac` rules) one share action per (shareable item, teammate) pair at
 * `base + itemSlot * players + teammate` (see `actions.ts`; `shareAction()` builds the index). `step` also accepts
 * action names and `{ type: 'share', item, to }` records.
 *
 * Rewards follow the reference: health change / 10, plus 1 on a step that unlocks any new achievement. An agent
 * terminates when its health reaches 0 (or, with `mac` rules, when any player collects a diamond), and is truncated
 * at the episode length.
 */
export class CrafterEnv implements ParallelEnv<SymbolicObservation, CrafterAction, CrafterInfo, CrafterState> {
  readonly metadata: EnvMetadata;
  readonly possibleAgents: readonly AgentId[];
  agents: readonly AgentId[] = [];
  readonly rules: CrafterRules;
  readonly engine: CrafterEngine;
  readonly nActions: number;
  private readonly obsBuilder: ObservationBuilder;
  private readonly actSpace: DiscreteSpace;
  private readonly withPixels: boolean;
  private readonly agentIndex = new Map<AgentId, number>();
  private rng: Rng | null = null;
  private seed = 0;
  private envLastHealth: Int32Array;
  private unlocked: Uint8Array;
  private live: Uint8Array;
  private returns: Float64Array;
  private firstGoalStep = -1;
  /** Per achievement, the step at which any player first unlocked it this episode (-1: not yet). */
  private firstUnlock: Int32Array;

  constructor(config: CrafterEnvConfig = {}) {
    const n = config.players ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > 100) throw new RangeError(`players must be an integer in 1..100, got ${n}`);
    this.rules = config.rules ?? loadRules({ ruleset: config.ruleset ?? 'crafter' });
    this.possibleAgents = Object.freeze(Array.from({ length: n }, (_, i) => `player_${i}`));
    this.possibleAgents.forEach((a, i) => this.agentIndex.set(a, i));
    this.engine = new CrafterEngine(this.rules, n, this.possibleAgents, Rng.fromSeed(0));
    this.engine.recordEvents = config.events ?? true;
    this.withPixels = config.pixels ?? false;
    this.obsBuilder = new ObservationBuilder(this.rules, config.oneHot ?? true, this.withPixels);
    this.nActions = this.rules.actions.length + this.rules.shareItems.length * n;
    this.actSpace = discrete(this.nActions);
    this.envLastHealth = new Int32Array(n);
    this.unlocked = new Uint8Array(n * this.rules.achievements.length);
    this.firstUnlock = new Int32Array(this.rules.achievements.length).fill(-1);
    this.live = new Uint8Array(n);
    this.returns = new Float64Array(n);
    this.metadata = Object.freeze({ name: 'crafter', allowsPartialActions: true, players: n, actions: this.actionNames() });
  }

  /** Names of the flat discrete actions, e.g. `share:wood->player_1`. */
  actionNames(): string[] {
    const names = [...this.rules.actions];
    for (const item of this.rules.shareItems) for (const to of this.possibleAgents) names.push(`share:${this.rules.items[item]}->${to}`);
    return names;
  }

  observationSpace(_agent: AgentId): DictSpace {
    return this.obsBuilder.space;
  }

  actionSpace(_agent: AgentId): DiscreteSpace {
    return this.actSpace;
  }

  defaultAction(_agent: AgentId): CrafterAction {
    return 0;
  }

  reset(args: ResetArgs = {}): ResetResult<SymbolicObservation, CrafterInfo> {
    if (args.seed !== undefined || this.rng === null) {
      this.seed = args.seed ?? 0;
      this.rng = Rng.fromSeed(this.seed);
    }
    const episodeRng = Rng.fromSeed(this.rng.seed());
    const e = this.engine;
    e.resetPlayers(spawnPositions(e.nPlayers, this.rules.data.world.area, this.rules.data.world.spawnSpacing), episodeRng.fork('world'));
    generateWorld(e, episodeRng.fork('worldgen'));
    return this.afterReset();
  }

  /** Reset bookkeeping after the world was (re)built; used by `reset` and by scenario loading. */
  afterReset(): ResetResult<SymbolicObservation, CrafterInfo> {
    const e = this.engine;
    this.unlocked.fill(0);
    this.returns.fill(0);
    this.firstGoalStep = -1;
    this.firstUnlock.fill(-1);
    for (let p = 0; p < e.nPlayers; p++) {
      this.envLastHealth[p] = e.health(p);
      this.live[p] = 1;
    }
    this.agents = this.possibleAgents;
    const observations: PerAgent<SymbolicObservation> = {};
    const infos: PerAgent<CrafterInfo> = {};
    this.observeAll(this.possibleAgents, observations, infos);
    e.events = [];
    return { observations, infos };
  }

  step(actions: Readonly<PerAgent<CrafterAction>>): StepResult<SymbolicObservation, CrafterInfo> {
    if (this.agents.length === 0) throw new Error('crafter: the episode is over; call reset() before step()');
    const e = this.engine;
    for (const a of Object.keys(actions)) {
      const p = this.agentIndex.get(a);
      if (p === undefined) throw new Error(`crafter: action for unknown agent "${a}"`);
      if (!this.live[p]) throw new Error(`crafter: action for agent "${a}", which is no longer live`);
    }
    const before = this.agents;
    e.events = [];
    for (const a of before) {
      const p = this.agentIndex.get(a)!;
      decodeAction(this, p, actions[a] ?? 0);
    }
    e.step();
    const dead = new Set(e.reapDead());
    const rc = this.rules.data;
    const nAch = this.rules.achievements.length;
    let goal = false;
    const goalItem = rc.episode.endWhenAnyCollects;
    const goalAch = goalItem === null ? -1 : (this.rules.achievementIndex[`collect_${goalItem}`] ?? -1);
    const rewards: PerAgent<number> = {};
    const terminations: PerAgent<boolean> = {};
    const truncations: PerAgent<boolean> = {};
    const observations: PerAgent<SymbolicObservation> = {};
    const infos: PerAgent<CrafterInfo> = {};
    for (const a of before) {
      const p = this.agentIndex.get(a)!;
      const health = e.health(p);
      let reward = (health - this.envLastHealth[p]!) / rc.reward.healthDivisor;
      this.envLastHealth[p] = health;
      let any = false;
      for (let i = 0; i < nAch; i++) {
        if (e.ach[p * nAch + i]! > 0 && !this.unlocked[p * nAch + i]) {
          this.unlocked[p * nAch + i] = 1;
          if (this.firstUnlock[i]! < 0) this.firstUnlock[i] = e.stepCount;
          any = true;
        }
      }
      if (any) reward += rc.reward.achievement;
      if (goalAch >= 0 && e.ach[p * nAch + goalAch]! > 0) goal = true;
      rewards[a] = reward;
      this.returns[p] = this.returns[p]! + reward;
    }
    if (goal && this.firstGoalStep < 0) this.firstGoalStep = e.stepCount;
    const allDead = rc.episode.endWhenAllDead && before.every((a) => !e.alive[this.agentIndex.get(a)!]);
    const over = rc.world.length !== null && e.stepCount >= rc.world.length;
    for (const a of before) {
      const p = this.agentIndex.get(a)!;
      const term = dead.has(p) || goal || allDead;
      terminations[a] = term;
      truncations[a] = !term && over;
      if (term || over) this.live[p] = 0;
    }
    this.observeAll(before, observations, infos);
    if (goal || allDead) for (let p = 0; p < e.nPlayers; p++) this.live[p] = 0;
    e.clearDead();
    this.agents = this.possibleAgents.filter((_, p) => this.live[p]);
    const events: WorldEventInput[] = e.events;
    return { observations, rewards, terminations, truncations, infos, events };
  }

  /** Observations and infos of `players`, with the large arrays as views of one buffer each (see `build`). */
  private observeAll(agents: readonly AgentId[], observations: PerAgent<SymbolicObservation>, infos: PerAgent<CrafterInfo>): void {
    const n = agents.length;
    const fs = this.obsBuilder.flatSize;
    const flats = this.obsBuilder.withFlat ? new Float32Array(n * fs) : null;
    const masks = new Uint8Array(n * this.nActions);
    const positions = new Int32Array(n * 2);
    const e = this.engine;
    const st = e.store;
    for (let i = 0; i < n; i++) {
      const a = agents[i]!;
      const p = this.agentIndex.get(a)!;
      observations[a] = this.observe(p, flats ? new Float32Array(flats.buffer, i * fs * 4, fs) : undefined);
      const s = e.slot[p]!;
      positions[2 * i] = st.x[s]!;
      positions[2 * i + 1] = st.y[s]!;
      infos[a] = { actionMask: actionMask(this, p, new Uint8Array(masks.buffer, i * this.nActions, this.nActions)), position: positions.subarray(2 * i, 2 * i + 2) };
    }
  }

  private observe(p: number, flat?: Float32Array): SymbolicObservation {
    const o = this.obsBuilder.build(this.engine, p, flat);
    return this.withPixels ? { ...o, pixels: renderPixels(this.engine, p) } : o;
  }

  /** Index of an agent in `possibleAgents`, or -1. */
  indexOf(agent: AgentId): number {
    return this.agentIndex.get(agent) ?? -1;
  }

  state(): CrafterState {
    const e = this.engine;
    const st = e.store;
    const objects: { kind: string; pos: [number, number]; health: number }[] = [];
    for (let i = 0; i < st.orderLen; i++) {
      const s = st.order[i]!;
      if (st.removed[s] || st.kind[s] === 1) continue;
      objects.push({ kind: KIND_NAMES[st.kind[s]!]!, pos: [st.x[s]!, st.y[s]!], health: st.health[s]! });
    }
    const players = this.possibleAgents.map((agent, p) => {
      const inventory: Record<string, number> = {};
      this.rules.items.forEach((it, i) => (inventory[it] = e.inv[p * e.nItems + i]!));
      const s = e.slot[p]!;
      return {
        agent, pos: [st.x[s]!, st.y[s]!] as [number, number], facing: [e.facingX[p]!, e.facingY[p]!] as [number, number],
        alive: e.alive[p] === 1, sleeping: e.sleeping[p] === 1, inventory,
        achievements: this.rules.achievements.filter((_, i) => e.ach[p * e.nAch + i]! > 0),
      };
    });
    return {
      step: e.stepCount, daylight: e.daylight, area: [st.width, st.height], materialNames: this.rules.materials,
      materials: st.mat.slice(), objects, players,
    };
  }

  /**
   * How often `agent` unlocked each achievement this episode (the reference's `info['achievements']` counts, by
   * name in the rules' order), for stats writers such as the CLI's `stats.jsonl`.
   */
  achievementCounts(agent: AgentId): Record<string, number> {
    const p = this.agentIndex.get(agent);
    if (p === undefined) throw new Error(`crafter: unknown agent "${agent}"`);
    const e = this.engine;
    const counts: Record<string, number> = {};
    this.rules.achievements.forEach((name, i) => (counts[name] = e.ach[p * e.nAch + i]!));
    return counts;
  }

  /**
   * Team metrics of the episode so far: `achievements` (distinct achievements unlocked by anyone), `achievement_<name>`
   * (1 when anyone unlocked it), `meanAchievements` (per player), `return` (mean over players), `alive`, `length`,
   * `goalStep` (step of the first team-goal item, -1 if not reached), and `firstStep_<task>` for each MAC task the
   * team completed (the step of the first completion by anyone; absent when nobody did, so that its mean over a run
   * is the mean over the episodes that reached it; {@link taskFirstSteps} gives -1 instead).
   */
  episodeMetrics(): Readonly<Record<string, number>> {
    const e = this.engine;
    const m: Record<string, number> = {};
    let team = 0;
    this.rules.achievements.forEach((name, i) => {
      let got = 0;
      for (let p = 0; p < e.nPlayers; p++) if (e.ach[p * e.nAch + i]! > 0) got = 1;
      m[`achievement_${name}`] = got;
      team += got;
    });
    m.achievements = team;
    let sum = 0;
    let alive = 0;
    let own = 0;
    for (let p = 0; p < e.nPlayers; p++) {
      sum += this.returns[p]!;
      alive += e.alive[p]!;
      for (let i = 0; i < e.nAch; i++) if (e.ach[p * e.nAch + i]! > 0) own++;
    }
    m.meanAchievements = own / e.nPlayers;
    m.return = sum / e.nPlayers;
    m.alive = alive;
    m.length = e.stepCount;
    m.goalStep = this.firstGoalStep;
    for (const [task, step] of Object.entries(this.taskFirstSteps())) if (step >= 0) m[firstStepKey(task as MacTask)] = step;
    return m;
  }

  /**
   * The step at which the team (any player) first completed each MAC task this episode, -1 when nobody has
   * (see {@link MAC_TASKS}); a task whose achievement the rules lack is -1.
   */
  taskFirstSteps(): Record<MacTask, number> {
    const out = {} as Record<MacTask, number>;
    for (const { task, achievement } of MAC_TASKS) {
      const i = this.rules.achievements.indexOf(achievement);
      out[task] = i < 0 ? -1 : this.firstUnlock[i]!;
    }
    return out;
  }
}

/** Players in rows of up to 16, one `spacing` apart, centred on the map (a single player at the reference's start). */
export function spawnPositions(n: number, area: readonly [number, number], spacing: number): [number, number][] {
  const perRow = Math.min(n, 16);
  const rows = Math.ceil(n / perRow);
  const cx = Math.floor(area[0] / 2);
  const cy = Math.floor(area[1] / 2);
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / perRow);
    const c = i % perRow;
    out.push([cx + (c - Math.floor(perRow / 2)) * spacing, cy + (r - Math.floor(rows / 2)) * spacing]);
  }
  return out;
}
