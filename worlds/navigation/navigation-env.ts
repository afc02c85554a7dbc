import './events.js';
import type { WorldEventInput } from '../../core/events.js';
import type { AgentId, AgentInfo, EnvMetadata, ParallelEnv, PerAgent, ResetArgs, ResetResult, StepResult } from '../../core/parallel-env.js';
import { Rng } from '../../core/rng.js';
import { box, dict, discrete, type DictSpace, type DiscreteSpace } from '../../core/spaces.js';
import type { Position } from './events.js';
import { generateLayout } from './layouts/index.js';
import { ACTION_COUNT, ACTION_DX, ACTION_DY, Material, VIEW_CATEGORY_MAX, isPassable } from './materials.js';
import { NavigationConfigError, parseNavigationConfig, type NavigationConfig, type NavigationConfigInput } from './navigation-config.js';
import { NO_GOAL, SHARED_GOAL, drawView } from './observe.js';
import { resolveMoves } from './resolve-moves.js';

/** What an agent observes. All arrays are fresh every step: the world never writes to one it has returned. */
export interface NavigationObservation {
  /** `viewSize x viewSize` {@link ViewCategory} ids, row-major, centred on the agent (row 0 = up). */
  readonly view: Uint8Array;
  /** The agent's absolute `[x, y]` (given, as if from a perfect odometer). */
  readonly position: Int32Array;
  /** `[1]` when the agent holds a key, else `[0]`. */
  readonly hasKey: Uint8Array;
}

export interface NavigationInfo extends AgentInfo {
  /** Legal actions now: noop always; a move unless it leads into a wall, off the map, or a locked door without a key. */
  readonly actionMask: Uint8Array;
}

/** The full world for privileged controllers (the oracle) and the viewer. A copy: changing it changes nothing. */
export interface NavigationState {
  readonly layout: NavigationConfig['layout'];
  readonly width: number;
  readonly height: number;
  /** One `Material` per cell, row-major; goals are `Material.goal`. */
  readonly grid: Uint8Array;
  /** Steps taken this episode. */
  readonly step: number;
  readonly maxSteps: number;
  readonly goalMode: 'shared' | 'each';
  /** Every possible agent, in order, including those that have left (`alive: false`). */
  readonly agents: readonly { id: AgentId; position: Position; hasKey: boolean; alive: boolean; reachedGoal: boolean }[];
  /** Goal cells; `owner` is `null` for the shared goal. */
  readonly goals: readonly { position: Position; owner: AgentId | null }[];
  /** Cells that still hold a key. */
  readonly keys: readonly Position[];
}

/**
 * Grid navigation for 1..N agents: reach the goal in a generated map (open room, four rooms, chained rooms,
 * perfect maze, key and locked door) from an egocentric partial view.
 *
 * - Reward: +1 on the step an agent reaches its goal, minus `stepPenalty` (default 0) for every live agent
 *   every step. Reaching the goal terminates the agent; at `maxSteps` every live agent is truncated.
 * - Agents block each other; moves are simultaneous (see {@link resolveMoves} for conflicts).
 * - A key is picked up by stepping on it; a locked door opens when an agent holding a key walks into it, and the
 *   agent keeps the key (one key opens any number of doors).
 * - Events: `keyPicked`, `doorOpened`, `goalReached` (in agent order within a step).
 */
export class NavigationEnv implements ParallelEnv<NavigationObservation, number, NavigationInfo, NavigationState> {
  readonly metadata: EnvMetadata;
  readonly possibleAgents: readonly AgentId[];
  readonly config: NavigationConfig;
  private live: AgentId[] = [];
  private readonly obsSpace: DictSpace;
  private readonly actSpace: DiscreteSpace;
  private rng: Rng;
  private width = 0;
  private height = 0;
  private cells: Uint8Array = new Uint8Array(0);
  private goalOwner: Int16Array = new Int16Array(0);
  private visited: Uint8Array = new Uint8Array(0);
  /** Cells that have been inside some agent's view this episode. */
  private seen: Uint8Array = new Uint8Array(0);
  private freeCells = 0;
  private readonly positions: Int32Array;
  private readonly alive: Uint8Array;
  private readonly hasKey: Uint8Array;
  /** Step at which each agent reached its goal, -1 while it has not. */
  private readonly arrivedAt: Int32Array;
  private stepCount = 0;
  private maxSteps = 0;
  private successStep = -1;
  private doorsOpened = 0;
  private keysPicked = 0;

  constructor(config: NavigationConfigInput | NavigationConfig) {
    this.config = parseNavigationConfig(config);
    const n = this.config.agents;
    this.possibleAgents = Object.freeze(Array.from({ length: n }, (_, i) => `agent_${i}`));
    this.metadata = Object.freeze({ name: 'navigation', layout: this.config.layout, allowsPartialActions: true });
    const v = this.config.viewSize;
    this.obsSpace = dict({
      view: box([v, v], 0, VIEW_CATEGORY_MAX, 'uint8'),
      position: box([2], 0, maxSide(this.config) - 1, 'int32'),
      hasKey: box([1], 0, 1, 'uint8'),
    });
    this.actSpace = discrete(ACTION_COUNT);
    this.positions = new Int32Array(2 * n);
    this.alive = new Uint8Array(n);
    this.hasKey = new Uint8Array(n);
    this.arrivedAt = new Int32Array(n).fill(-1);
    this.rng = Rng.fromSeed(this.config.seed);
  }

  get agents(): readonly AgentId[] {
    return this.live;
  }

  observationSpace(agent: AgentId): DictSpace {
    this.index(agent);
    return this.obsSpace;
  }

  actionSpace(agent: AgentId): DiscreteSpace {
    this.index(agent);
    return this.actSpace;
  }

  defaultAction(agent: AgentId): number {
    this.index(agent);
    return 0;
  }

  reset(args: ResetArgs = {}): ResetResult<NavigationObservation, NavigationInfo> {
    if (args.options && Object.keys(args.options).length > 0) {
      throw new NavigationConfigError(`navigation reset takes no options, got ${Object.keys(args.options).join(', ')}`);
    }
    if (args.seed !== undefined) this.rng = Rng.fromSeed(args.seed);
    const layout = generateLayout(this.config, this.rng);
    this.width = layout.width;
    this.height = layout.height;
    this.cells = layout.cells;
    this.goalOwner = new Int16Array(this.cells.length).fill(NO_GOAL);
    const n = this.possibleAgents.length;
    const each = this.config.goalMode === 'each';
    const goals = layout.fixedGoals
      ? layout.fixedGoals.slice(0, each ? n : undefined)
      : this.rng.shuffle([...layout.goalCells]).slice(0, each ? n : 1);
    const taken = new Set(goals);
    const spawns = layout.fixedSpawns ?? this.rng.shuffle(layout.spawnCells.filter((c) => !taken.has(c))).slice(0, n);
    if (goals.length < (each ? n : 1) || spawns.length < n) {
      throw new NavigationConfigError(
        `${this.config.layout} map has ${layout.spawnCells.length} start cells and ${layout.goalCells.length} goal cells: ` +
          `too few for ${n} agents with goalMode '${this.config.goalMode}' (use fewer agents or a larger map)`,
      );
    }
    goals.forEach((c, i) => {
      this.cells[c] = Material.goal;
      this.goalOwner[c] = each ? i : SHARED_GOAL;
    });
    this.visited = new Uint8Array(this.cells.length);
    this.seen = new Uint8Array(this.cells.length);
    this.freeCells = 0;
    for (const m of this.cells) if (m !== Material.wall) this.freeCells++;
    spawns.forEach((c, i) => {
      this.positions[2 * i] = c % this.width;
      this.positions[2 * i + 1] = Math.floor(c / this.width);
      this.visited[c] = 1;
    });
    this.alive.fill(1);
    this.hasKey.fill(0);
    this.arrivedAt.fill(-1);
    this.stepCount = 0;
    this.successStep = -1;
    this.doorsOpened = 0;
    this.keysPicked = 0;
    this.maxSteps = this.config.maxSteps ?? 4 * this.width * this.height;
    this.live = [...this.possibleAgents];
    const observations: PerAgent<NavigationObservation> = {};
    const infos: PerAgent<NavigationInfo> = {};
    for (const a of this.live) {
      const i = this.index(a);
      observations[a] = this.observe(i);
      infos[a] = { actionMask: this.mask(i) };
    }
    return { observations, infos };
  }

  step(actions: Readonly<PerAgent<number>>): StepResult<NavigationObservation, NavigationInfo> {
    if (this.live.length === 0) throw new Error('navigation: the episode is over (no live agents); call reset() before step()');
    for (const [a, act] of Object.entries(actions)) {
      if (!this.live.includes(a)) throw new Error(`navigation: action for "${a}", which is not a live agent (live: ${this.live.join(', ')})`);
      if (!Number.isInteger(act) || act < 0 || act >= ACTION_COUNT) throw new RangeError(`navigation: action for "${a}" must be an integer 0..${ACTION_COUNT - 1}, got ${String(act)}`);
    }
    const before = this.live;
    const idx = before.map((a) => this.index(a));
    this.stepCount++;
    const targets = idx.map((i) => this.target(i, actions[this.possibleAgents[i] as AgentId] ?? 0));
    const current = idx.map((i) => (this.positions[2 * i + 1] as number) * this.width + (this.positions[2 * i] as number));
    const final = resolveMoves(current, targets);
    const events: WorldEventInput[] = [];
    const rewards: PerAgent<number> = {};
    const terminations: PerAgent<boolean> = {};
    const truncations: PerAgent<boolean> = {};
    let arrivals = 0;
    idx.forEach((i, k) => {
      const agent = this.possibleAgents[i] as AgentId;
      const c = final[k] as number;
      const position: Position = [c % this.width, Math.floor(c / this.width)];
      this.positions[2 * i] = position[0];
      this.positions[2 * i + 1] = position[1];
      this.visited[c] = 1;
      if (this.cells[c] === Material.key) {
        this.cells[c] = Material.empty;
        this.hasKey[i] = 1;
        this.keysPicked++;
        events.push({ type: 'keyPicked', data: { agent, position } });
      } else if (this.cells[c] === Material.doorLocked) {
        this.cells[c] = Material.doorOpen;
        this.doorsOpened++;
        events.push({ type: 'doorOpened', data: { agent, position } });
      }
      const owner = this.goalOwner[c] as number;
      const arrived = owner === SHARED_GOAL || owner === i;
      if (arrived) {
        this.arrivedAt[i] = this.stepCount;
        arrivals++;
        events.push({ type: 'goalReached', data: { agent, position, step: this.stepCount } });
      }
      rewards[agent] = (arrived ? 1 : 0) - this.config.stepPenalty;
      terminations[agent] = arrived;
    });
    const firstWins = this.config.goalMode === 'shared' && this.config.teamSuccess === 'one';
    if (firstWins && arrivals > 0) for (const a of before) terminations[a] = true;
    if (this.successStep < 0 && (firstWins ? arrivals > 0 : this.arrivedAt.every((s) => s >= 0))) this.successStep = this.stepCount;
    for (const a of before) truncations[a] = !terminations[a] && this.stepCount >= this.maxSteps;
    for (const i of idx) {
      const a = this.possibleAgents[i] as AgentId;
      if (terminations[a] || truncations[a]) this.alive[i] = 0;
    }
    this.live = before.filter((a) => !terminations[a] && !truncations[a]);
    const observations: PerAgent<NavigationObservation> = {};
    const infos: PerAgent<NavigationInfo> = {};
    for (const i of idx) {
      const a = this.possibleAgents[i] as AgentId;
      observations[a] = this.observe(i);
      infos[a] = { actionMask: this.mask(i) };
    }
    return { observations, rewards, terminations, truncations, infos, events };
  }

  state(): NavigationState {
    const pos = (i: number): Position => [this.positions[2 * i] as number, this.positions[2 * i + 1] as number];
    const goals: { position: Position; owner: AgentId | null }[] = [];
    const keys: Position[] = [];
    for (let c = 0; c < this.cells.length; c++) {
      const owner = this.goalOwner[c] as number;
      const position: Position = [c % this.width, Math.floor(c / this.width)];
      if (owner !== NO_GOAL) goals.push({ position, owner: owner === SHARED_GOAL ? null : (this.possibleAgents[owner] as AgentId) });
      if (this.cells[c] === Material.key) keys.push(position);
    }
    goals.sort((a, b) => (a.owner === null || b.owner === null ? 0 : this.index(a.owner) - this.index(b.owner)));
    return {
      layout: this.config.layout,
      width: this.width,
      height: this.height,
      grid: this.cells.slice(),
      step: this.stepCount,
      maxSteps: this.maxSteps,
      goalMode: this.config.goalMode,
      agents: this.possibleAgents.map((id, i) => ({ id, position: pos(i), hasKey: this.hasKey[i] === 1, alive: this.alive[i] === 1, reachedGoal: (this.arrivedAt[i] as number) >= 0 })),
      goals,
      keys,
    };
  }

  /**
   * - `success`: 1 when the team succeeded (see `teamSuccess`/`goalMode`), else 0.
   * - `stepsToGoal`: the step of team success (first arrival for `teamSuccess: 'one'`, last needed arrival
   *   otherwise), or -1 without success.
   * - `arrived`: agents that reached their goal. `coverage`: share of non-wall cells any agent has stood on.
   *   `seen`: share of non-wall cells that have been inside any agent's view (the explored area, as embodied
   *   exploration benchmarks count it; views are not occluded by walls here).
   * - `doorsOpened`, `keysPicked`: counts this episode.
   */
  episodeMetrics(): Readonly<Record<string, number>> {
    let visited = 0;
    for (const v of this.visited) visited += v;
    let seen = 0;
    for (let c = 0; c < this.cells.length; c++) if (this.seen[c] === 1 && this.cells[c] !== Material.wall) seen++;
    let arrived = 0;
    for (const s of this.arrivedAt) if (s >= 0) arrived++;
    return {
      success: this.successStep >= 0 ? 1 : 0,
      stepsToGoal: this.successStep,
      arrived,
      coverage: this.freeCells === 0 ? 0 : visited / this.freeCells,
      seen: this.freeCells === 0 ? 0 : seen / this.freeCells,
      doorsOpened: this.doorsOpened,
      keysPicked: this.keysPicked,
    };
  }

  private index(agent: AgentId): number {
    const i = this.possibleAgents.indexOf(agent);
    if (i < 0) throw new Error(`navigation: unknown agent "${agent}" (agents: ${this.possibleAgents.join(', ')})`);
    return i;
  }

  /** The cell agent `i` tries to enter with `action`, or its own cell when the move is impossible. */
  private target(i: number, action: number): number {
    const x = this.positions[2 * i] as number;
    const y = this.positions[2 * i + 1] as number;
    const here = y * this.width + x;
    const nx = x + (ACTION_DX[action] as number);
    const ny = y + (ACTION_DY[action] as number);
    if (nx < 0 || ny < 0 || nx >= this.width || ny >= this.height) return here;
    const c = ny * this.width + nx;
    const m = this.cells[c] as number;
    return isPassable(m) || (m === Material.doorLocked && this.hasKey[i] === 1) ? c : here;
  }

  private markSeen(i: number, size: number): void {
    const r = size >> 1;
    const ax = this.positions[2 * i] as number;
    const ay = this.positions[2 * i + 1] as number;
    for (let y = Math.max(0, ay - r); y <= Math.min(this.height - 1, ay + r); y++) {
      for (let x = Math.max(0, ax - r); x <= Math.min(this.width - 1, ax + r); x++) this.seen[y * this.width + x] = 1;
    }
  }

  private mask(i: number): Uint8Array {
    const m = new Uint8Array(ACTION_COUNT);
    const here = (this.positions[2 * i + 1] as number) * this.width + (this.positions[2 * i] as number);
    m[0] = 1;
    for (let a = 1; a < ACTION_COUNT; a++) m[a] = this.target(i, a) !== here ? 1 : 0;
    return m;
  }

  private observe(i: number): NavigationObservation {
    const src = { width: this.width, height: this.height, cells: this.cells, goalOwner: this.goalOwner, positions: this.positions, alive: this.alive };
    const size = this.config.viewSize;
    const view = drawView(src, i, size, new Uint8Array(size ** 2));
    this.markSeen(i, size);
    return { view, position: this.positions.slice(2 * i, 2 * i + 2), hasKey: Uint8Array.of(this.hasKey[i] as number) };
  }
}

/** Largest side a map of this config can have (multi-room maps vary with the seed). */
function maxSide(config: NavigationConfig): number {
  if (config.layout === 'multi-room') return config.rooms * (config.roomSize + 1) + 1;
  if (config.layout === 'ascii') return Math.max(config.map.length, ...config.map.map((r) => r.length));
  return Math.max(config.width, config.height);
}
