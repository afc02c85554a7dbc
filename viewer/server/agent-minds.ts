import type { Observable, Subscription } from 'rxjs';
import type { WorldEvent } from '../../core/events.js';
import type { AgentId, PerAgent } from '../../core/parallel-env.js';
import { LIMITS } from '../protocol.js';
import type { AgentView } from '../protocol.js';
import type { MirrorNode } from './graph-mirror.js';

/** The part of an {@link AgentView} that is not the world's: goals, last actions, rewards, messages. */
export type AgentMind = Pick<AgentView, 'goal' | 'subgoal' | 'lastActions' | 'reward' | 'messages'>;

interface GoalEntry { level: string; text: string; status: string; seen: number }

class Mind {
  extrinsic = 0;
  intrinsic = 0;
  returnExtrinsic = 0;
  returnIntrinsic = 0;
  sent = 0;
  received = 0;
  readonly goals = new Map<string, GoalEntry>();

  resetEpisode(): void {
    this.extrinsic = this.intrinsic = this.returnExtrinsic = this.returnIntrinsic = 0;
    this.sent = this.received = 0;
  }
}

/** Short name of an action: the world's name for an index, the string itself, or compact JSON. */
export function actionName(action: unknown, names: readonly string[]): string {
  if (typeof action === 'number') return names[action] ?? String(action);
  if (typeof action === 'string') return action;
  const json = JSON.stringify(action) ?? String(action);
  return json.length > 64 ? `${json.slice(0, 61)}...` : json;
}

/**
 * What the viewer shows of each agent's mind, from the kernel's events (actions, rewards, messages) and the
 * knowledge graph's Goal nodes (long-term goal and current subgoal, the latest active ones).
 */
export class AgentMinds {
  private readonly minds = new Map<AgentId, Mind>();
  /** The last steps' action records, newest last: names are made only when a frame asks (per step costs nothing). */
  private readonly recent: (Readonly<PerAgent<unknown>> | undefined)[] = new Array(LIMITS.lastActions);
  private stepsSeen = 0;

  constructor(readonly agents: readonly AgentId[], private readonly actionNames: readonly string[]) {
    for (const a of agents) this.minds.set(a, new Mind());
  }

  /** Follows a run's events; unsubscribe to stop. */
  follow(events$: Observable<WorldEvent>): Subscription {
    return events$.subscribe((e) => this.onEvent(e));
  }

  onEvent(e: WorldEvent): void {
    switch (e.type) {
      case 'episodeStart':
        for (const m of this.minds.values()) m.resetEpisode();
        this.recent.fill(undefined);
        return;
      case 'step':
        this.onStep(e.data.actions, e.data.rewards);
        return;
      case 'messageSent': {
        const m = this.minds.get(e.data.from);
        if (m) m.sent++;
        return;
      }
      case 'messageDelivered':
        for (const to of e.data.to) {
          const m = this.minds.get(to);
          if (m) m.received++;
        }
        return;
      default:
    }
  }

  onStep(actions: Readonly<PerAgent<unknown>>, rewards: Readonly<PerAgent<number>>, intrinsic?: Readonly<PerAgent<number>>): void {
    this.recent[this.stepsSeen++ % LIMITS.lastActions] = actions;
    for (const agent in rewards) {
      const m = this.minds.get(agent);
      if (!m) continue;
      m.extrinsic = rewards[agent]!;
      m.returnExtrinsic += m.extrinsic;
      if (intrinsic) {
        m.intrinsic = intrinsic[agent] ?? 0;
        m.returnIntrinsic += m.intrinsic;
      }
    }
  }

  /** Picks up goals from the graph's Goal nodes (as the mirror holds them, properties merged). */
  onGraphNodes(nodes: readonly MirrorNode[]): void {
    for (const n of nodes) {
      if (n.attributes.label !== 'Goal') continue;
      const p = n.attributes.props;
      const m = typeof p.agent === 'string' ? this.minds.get(p.agent) : undefined;
      if (!m) continue;
      const prev = m.goals.get(n.key);
      m.goals.set(n.key, { level: String(p.level ?? ''), text: String(p.text ?? n.key), status: String(p.status ?? 'open'), seen: prev?.seen ?? m.goals.size });
    }
  }

  /** Forgets goals (a replay seeking backwards replays the graph from the start). */
  clearGoals(): void {
    for (const m of this.minds.values()) m.goals.clear();
  }

  private lastActions(agent: AgentId): string[] {
    const out: string[] = [];
    for (let k = 1; k <= LIMITS.lastActions; k++) {
      const acts = this.recent[(this.stepsSeen - k + LIMITS.lastActions * 2) % LIMITS.lastActions];
      if (acts && Object.hasOwn(acts, agent)) out.push(actionName(acts[agent], this.actionNames));
    }
    return out.reverse();
  }

  mind(agent: AgentId): AgentMind {
    const m = this.minds.get(agent);
    if (!m) throw new Error(`viewer: unknown agent "${agent}"`);
    let goal: GoalEntry | null = null;
    let sub: GoalEntry | null = null;
    for (const g of m.goals.values()) {
      if (g.status !== 'active') continue;
      if (g.level === 'long-term') {
        if (!goal || g.seen > goal.seen) goal = g;
      } else if (!sub || g.seen > sub.seen) sub = g;
    }
    return {
      goal: goal?.text ?? null,
      subgoal: sub?.text ?? null,
      lastActions: this.lastActions(agent),
      reward: { extrinsic: m.extrinsic, intrinsic: m.intrinsic, returnExtrinsic: m.returnExtrinsic, returnIntrinsic: m.returnIntrinsic },
      messages: { sent: m.sent, received: m.received },
    };
  }
}
