/**
 * The kg-planner's side of team talk: claims (who works on which subgoal; the earliest claim wins, ties to the lower
 * agent id), requests for items and the share actions that answer them. Only what arrives in the inbox is known:
 * there is no other channel between teammates.
 */
import type { AgentId } from '../../core/parallel-env.js';
import type { Envelope, MessagePort } from '../../core/messages.js';
import type { TeamMessage } from '../../memory/messages.js';

/** The goal-status an agent sends when it holds an iron pickaxe. */
export const HOLD = 'hold:iron_pickaxe';

/**
 * Whether a teammate's claim keeps us off a target `distance` cells away: always, unless `near` > 0 and the target
 * is within it (the team needs one iron pickaxe: the agent next to a cell should not search on while the claimer
 * walks 60 cells to it).
 */
export function claimBinds(takenByOther: boolean, distance: number, near: number): boolean {
  return takenByOther && !(near > 0 && distance <= near);
}

interface Claim { readonly agent: AgentId; step: number }

export interface TeamStats { claims: number; requests: number; shares: number; sent: number; rejected: number }

export class TeamTalk {
  /** Every live claim per subgoal (own and teammates'); the owner is the earliest. */
  private readonly claims = new Map<string, Claim[]>();
  /** Open requests by teammates: item -> (agent -> count). */
  readonly requests = new Map<string, Map<AgentId, number>>();
  /** Shares owed: answered requests not yet fully given. */
  readonly owed: { item: string; to: AgentId; left: number }[] = [];
  /** Teammates known to hold an iron pickaxe (they said so, or were given one). */
  readonly holders = new Set<AgentId>();
  readonly stats: TeamStats = { claims: 0, requests: 0, shares: 0, sent: 0, rejected: 0 };
  private readonly lastRequest = new Map<string, number>();

  constructor(
    private readonly port: MessagePort<TeamMessage> | undefined,
    private readonly me: AgentId,
    private readonly order: readonly AgentId[],
  ) {}

  get enabled(): boolean {
    return this.port !== undefined && this.order.length > 1;
  }

  private readonly outbox: { body: TeamMessage; to: AgentId | { team: true } }[] = [];
  /** Own claims: decided at `step`, sent at `sent` (-1 while queued). Tests check them against teammates'. */
  readonly claimLog: { subgoal: string; release: boolean; step: number; sent: number }[] = [];
  private now = 0;

  /** Queued: the channel takes a few messages per agent and step (`flush` sends up to that budget). */
  private send(body: TeamMessage, to: AgentId | { team: true } = { team: true }): void {
    if (this.port) this.outbox.push({ body, to });
  }

  /** Sends up to `budget` queued messages (call once per decision). */
  flush(budget: number): void {
    if (!this.port) return;
    for (let i = 0; i < budget && this.outbox.length > 0; i++) {
      const m = this.outbox.shift()!;
      if (this.port.send(this.me, m.to, m.body)) {
        this.stats.sent++;
        if (m.body.kind === 'claim') {
          const subgoal = m.body.subgoal;
          const entry = this.claimLog.find((c) => c.subgoal === subgoal && c.sent < 0);
          if (entry) entry.sent = this.now;
          // Teammates date the claim by when it was sent: so do we, so that all agree on who was first.
          for (const c of this.claims.get(subgoal) ?? []) if (c.agent === this.me) c.step = this.now;
        }
      } else this.stats.rejected++;
    }
  }

  private earlier(a: Claim, b: Claim): boolean {
    return a.step < b.step || (a.step === b.step && this.order.indexOf(a.agent) < this.order.indexOf(b.agent));
  }

  /** Reads this step's deliveries. */
  read(step: number): void {
    this.now = step;
    if (!this.port) return;
    for (const env of this.port.inbox(this.me)) this.receive(env);
  }

  private receive(env: Envelope<TeamMessage>): void {
    const b = env.body;
    if (b.kind === 'claim') {
      const list = (this.claims.get(b.subgoal) ?? []).filter((c) => c.agent !== env.from);
      if (!b.release) list.push({ agent: env.from, step: env.step });
      this.claims.set(b.subgoal, list);
    } else if (b.kind === 'request') {
      const m = this.requests.get(b.item) ?? new Map<AgentId, number>();
      m.set(env.from, b.count);
      this.requests.set(b.item, m);
    } else if (b.kind === 'share') {
      // Someone gave the requester what it asked for: that request is answered.
      for (const to of env.to) this.requests.get(b.item)?.delete(to);
      if (b.item === 'iron_pickaxe') {
        this.holders.delete(env.from);
        for (const to of env.to) this.holders.add(to);
      }
    } else if (b.kind === 'goal-status' && b.goal === HOLD && b.status === 'done') {
      this.holders.add(env.from);
    }
  }

  /** Who owns a subgoal (undefined when nobody claimed it): the earliest claim, ties to the lower agent. */
  owner(subgoal: string): AgentId | undefined {
    let best: Claim | undefined;
    for (const c of this.claims.get(subgoal) ?? []) if (!best || this.earlier(c, best)) best = c;
    return best?.agent;
  }

  /** True when a teammate holds the subgoal. */
  takenByOther(subgoal: string): boolean {
    const o = this.owner(subgoal);
    return o !== undefined && o !== this.me;
  }

  /** Subgoals this agent believes it owns. */
  owned(): string[] {
    return [...this.claims.keys()].filter((k) => this.owner(k) === this.me);
  }

  /** Claims a subgoal unless a teammate holds it; true when it is ours. */
  claim(subgoal: string, step: number): boolean {
    if (!this.enabled) return true;
    const o = this.owner(subgoal);
    if (o !== undefined) return o === this.me;
    // Not sent yet: it counts after every claim already sent (re-dated when it goes out).
    this.claims.set(subgoal, [...(this.claims.get(subgoal) ?? []), { agent: this.me, step: Number.MAX_SAFE_INTEGER }]);
    this.stats.claims++;
    this.claimLog.push({ subgoal, release: false, step, sent: -1 });
    this.send({ kind: 'claim', subgoal, release: false });
    return true;
  }

  release(subgoal: string): void {
    const list = this.claims.get(subgoal);
    if (!list?.some((c) => c.agent === this.me)) return;
    this.claims.set(subgoal, list.filter((c) => c.agent !== this.me));
    this.claimLog.push({ subgoal, release: true, step: this.now, sent: -1 });
    this.send({ kind: 'claim', subgoal, release: true });
  }

  /** Asks the team for an item, at most once every `every` steps per item. */
  request(item: string, count: number, forGoal: string, step: number, every = 15): void {
    if (!this.enabled) return;
    const last = this.lastRequest.get(item);
    if (last !== undefined && step - last < every) return;
    this.lastRequest.set(item, step);
    this.stats.requests++;
    this.send({ kind: 'request', item, count, for: forGoal });
  }

  /** Commits to give `count` of `item` to a teammate (one share action per step) and says so. */
  give(item: string, to: AgentId, count: number): void {
    this.owed.push({ item, to, left: count });
    this.requests.get(item)?.delete(to);
    this.send({ kind: 'share', item, count }, to);
  }

  /** Gives up a promise to share (the item ran out). */
  goalStatus(goal: string, status: 'done' | 'abandoned'): void {
    if (this.enabled) this.send({ kind: 'goal-status', goal, status });
  }
}
