import type { SubgoalContext } from '../../core/subgoal-vocabulary.js';
import type { AgentId } from '../../core/parallel-env.js';
import { box, type BoxSpace } from '../../core/spaces.js';
import type { NavigationInfo, NavigationObservation } from '../../worlds/navigation/navigation-env.js';
import type { NavigationSubgoal } from '../../worlds/navigation/navigation-subgoals.js';
import type { GoalObservation } from './goal-conditioned-env.js';
import type { ManagerTask } from './manager-env.js';
import { NavigationMemory } from './navigation-memory.js';
import { encodeOffset } from './navigation-goal-task.js';

/** The low level as the executor calls it: pi(a | o, g) on a goal-conditioned observation. */
export type GoalPolicy = (agent: AgentId, observation: GoalObservation<NavigationObservation>, info: NavigationInfo) => number;

export interface NavigationManagerTaskOptions {
  /** The trained goal-conditioned low level (e.g. `policyActor(ppo)`). */
  readonly lowLevel: GoalPolicy;
  /** Frontier slots after the goal slot. Default 7. */
  readonly frontierSlots?: number;
  readonly placeSize?: number;
  /** The low level's offset clip (as trained). Default 4. */
  readonly reach?: number;
  /** The waypoint handed to the low level lies this many steps along the route. Default 3. */
  readonly lookahead?: number;
  /** Subgoal kinds the manager may propose (others' slots stay empty). Default both: `goal`, `frontier`. */
  readonly kinds?: readonly ('goal' | 'frontier')[];
}

const DIST_BUCKETS = 8;

/**
 * The navigation hierarchy's manager task over the world's subgoal vocabulary. Slot 0 is `goal` (once the agent
 * has seen it); slots 1.. are `frontier` places of the agent's topological map, nearest first by route length over
 * known cells. Features per slot: 0 when empty, else 1 + a route-length bucket (3 cells each, capped). The executor
 * routes over known cells to the subgoal and gives the learned low level the cell `lookahead` steps along as its
 * goal (held until reached or `2k + 4` steps pass, as in its practice); a frontier option is over when the agent stands in that place, or when the place can no longer be reached.
 */
export class NavigationManagerTask implements ManagerTask<NavigationObservation, NavigationInfo, NavigationSubgoal> {
  readonly slots: number;
  readonly featureSpace: BoxSpace;
  readonly placeSize: number;
  private readonly memories = new Map<AgentId, NavigationMemory>();
  private readonly cache = new Map<AgentId, { candidates: (NavigationSubgoal | null)[]; dists: number[] }>();
  private readonly waypoints = new Map<AgentId, { subgoal: NavigationSubgoal; x: number; y: number; left: number; over: boolean }>();
  /** Waypoints the low level reached, and those whose time ran out, over the task's life: its hit rate in use. */
  readonly waypointStats = { reached: 0, missed: 0 };

  constructor(private readonly opts: NavigationManagerTaskOptions) {
    this.slots = 1 + (opts.frontierSlots ?? 7);
    this.placeSize = opts.placeSize ?? 3;
    this.featureSpace = box([this.slots], 0, DIST_BUCKETS, 'int32');
  }

  memory(agent: AgentId): NavigationMemory {
    let m = this.memories.get(agent);
    if (!m) this.memories.set(agent, (m = new NavigationMemory(this.placeSize)));
    return m;
  }

  reset(): void {
    this.memories.clear();
    this.cache.clear();
    this.waypoints.clear();
  }

  observe(agent: AgentId, observation: NavigationObservation): void {
    this.memory(agent).observe(observation);
    this.cache.delete(agent);
    const w = this.waypoints.get(agent);
    if (w && !w.over) {
      const reached = observation.position[0] === w.x && observation.position[1] === w.y;
      if (reached) this.waypointStats.reached++;
      else if (w.left <= 0) this.waypointStats.missed++;
      w.over = reached || w.left <= 0;
    }
  }

  candidates(agent: AgentId): readonly (NavigationSubgoal | null)[] {
    return this.slotsOf(agent).candidates;
  }

  features(agent: AgentId): Int32Array {
    const { candidates, dists } = this.slotsOf(agent);
    return Int32Array.from(candidates, (c, i) => (c === null ? 0 : 1 + Math.min(DIST_BUCKETS - 1, Math.floor((dists[i] as number) / 3))));
  }

  isDone(agent: AgentId, subgoal: NavigationSubgoal, ctx: SubgoalContext<NavigationObservation, NavigationInfo>): boolean {
    const m = this.memory(agent);
    if (subgoal.kind === 'goal') return ctx.events.some((e) => e.type === 'goalReached' && (e.data as { agent: string }).agent === agent) || m.routeToGoal() === null;
    if (subgoal.kind === 'place' || subgoal.kind === 'frontier') {
      const key = `${subgoal.x},${subgoal.y}`;
      return m.at === key || m.routeToPlace(key) === null;
    }
    return true;
  }

  act(agent: AgentId, subgoal: NavigationSubgoal, observation: NavigationObservation, info: NavigationInfo): number {
    const m = this.memory(agent);
    // Hold a waypoint until it is reached or its time is up, as in the low level's practice (a carrot moving every
    // step is a task it never trained on); then take the next one along a fresh route.
    let w = this.waypoints.get(agent);
    if (!w || w.subgoal !== subgoal || w.over) {
      const route = subgoal.kind === 'goal' ? m.routeToGoal() : subgoal.kind === 'place' || subgoal.kind === 'frontier' ? m.routeToPlace(`${subgoal.x},${subgoal.y}`) : null;
      if (!route || route.length < 2) return 0;
      const k = Math.min(this.opts.lookahead ?? 3, route.length - 1);
      const [wx, wy] = route[k] as readonly [number, number];
      w = { subgoal, x: wx, y: wy, left: 2 * k + 4, over: false };
      this.waypoints.set(agent, w);
    }
    w.left--;
    const goal = encodeOffset(w, observation, this.opts.reach ?? 4);
    return this.opts.lowLevel(agent, { ...observation, goal }, info);
  }

  private slotsOf(agent: AgentId): { candidates: (NavigationSubgoal | null)[]; dists: number[] } {
    const hit = this.cache.get(agent);
    if (hit) return hit;
    const m = this.memory(agent);
    const candidates: (NavigationSubgoal | null)[] = new Array<NavigationSubgoal | null>(this.slots).fill(null);
    const dists: number[] = new Array<number>(this.slots).fill(0);
    // One search gives the route length to every known reachable cell; a place's distance is its nearest cell's.
    const placeDist = new Map<string, number>();
    let goalDist = -1;
    for (const { cell, dist } of m.within(Infinity)) {
      const key = m.placeKey(cell[0], cell[1]);
      if (m.map.isFrontier(key) && !(placeDist.get(key) !== undefined && (placeDist.get(key) as number) <= dist)) placeDist.set(key, dist);
      if (m.goal && cell[0] === m.goal[0] && cell[1] === m.goal[1]) goalDist = dist;
    }
    const kinds = this.opts.kinds ?? ['goal', 'frontier'];
    if (goalDist >= 0 && kinds.includes('goal')) {
      candidates[0] = { kind: 'goal' };
      dists[0] = goalDist;
    }
    const frontiers = kinds.includes('frontier') ? [...placeDist].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).slice(0, this.slots - 1) : [];
    frontiers.forEach(([key, d], i) => {
      const [x, y] = key.split(',').map(Number) as [number, number];
      candidates[i + 1] = { kind: 'frontier', x, y };
      dists[i + 1] = d;
    });
    const out = { candidates, dists };
    this.cache.set(agent, out);
    return out;
  }
}
