import type { SubgoalContext } from '../../core/subgoal-vocabulary.js';
import type { AgentId } from '../../core/parallel-env.js';
import type { Rng } from '../../core/rng.js';
import { box, type BoxSpace } from '../../core/spaces.js';
import type { NavigationInfo, NavigationObservation } from '../../worlds/navigation/navigation-env.js';
import type { GoalTask } from './goal-conditioned-env.js';
import { NavigationMemory } from './navigation-memory.js';

/** A waypoint for the low level: a cell, and how many steps away it was when set. */
export interface Waypoint {
  readonly x: number;
  readonly y: number;
  readonly dist: number;
}

export interface NavigationGoalTaskOptions {
  /** Offsets are clipped to `[-reach, reach]` on each axis. Default 4. */
  readonly reach?: number;
  /** Practice waypoints lie 1..maxDistance steps away over known cells. Default 4. */
  readonly maxDistance?: number;
  readonly placeSize?: number;
}

/**
 * The navigation low level's task: reach a waypoint cell a few steps away, given as the offset from the agent
 * (`goal = [dx, dy]`, clipped to `reach`). Practice waypoints are known cells 1..maxDistance steps away over cells
 * the agent has seen; each gets `2 * dist + 4` steps. The executor of the hierarchy feeds it waypoints along its
 * route to the manager's subgoal, so the skill practised is the skill used.
 */
export class NavigationGoalTask implements GoalTask<NavigationObservation, NavigationInfo, Waypoint> {
  readonly goalSpace: BoxSpace;
  readonly reach: number;
  private readonly maxDistance: number;
  private readonly placeSize: number;
  private readonly memories = new Map<AgentId, NavigationMemory>();

  constructor(opts: NavigationGoalTaskOptions = {}) {
    this.reach = opts.reach ?? 4;
    this.maxDistance = opts.maxDistance ?? 4;
    this.placeSize = opts.placeSize ?? 3;
    this.goalSpace = box([2], -this.reach, this.reach, 'int32');
  }

  memory(agent: AgentId): NavigationMemory {
    let m = this.memories.get(agent);
    if (!m) this.memories.set(agent, (m = new NavigationMemory(this.placeSize)));
    return m;
  }

  reset(): void {
    this.memories.clear();
  }

  observe(agent: AgentId, observation: NavigationObservation): void {
    this.memory(agent).observe(observation);
  }

  sample(agent: AgentId, _obs: NavigationObservation, _info: NavigationInfo, rng: Rng): Waypoint | null {
    const near = this.memory(agent).within(this.maxDistance);
    if (near.length === 0) return null;
    const { cell, dist } = rng.pick(near);
    return { x: cell[0], y: cell[1], dist };
  }

  encode(goal: Waypoint | null, _agent: AgentId, obs: NavigationObservation): Int32Array {
    return encodeOffset(goal, obs, this.reach);
  }

  isReached(goal: Waypoint, ctx: SubgoalContext<NavigationObservation, NavigationInfo>): boolean {
    return ctx.observation.position[0] === goal.x && ctx.observation.position[1] === goal.y;
  }

  timeout(goal: Waypoint): number {
    return 2 * goal.dist + 4;
  }
}

/** `[dx, dy]` from the agent to the waypoint, each clipped to `[-reach, reach]`; `[0, 0]` without one. */
export function encodeOffset(goal: { x: number; y: number } | null, obs: NavigationObservation, reach: number): Int32Array {
  if (!goal) return new Int32Array(2);
  const clip = (v: number) => Math.max(-reach, Math.min(reach, v));
  return Int32Array.of(clip(goal.x - (obs.position[0] as number)), clip(goal.y - (obs.position[1] as number)));
}
