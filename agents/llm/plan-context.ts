/**
 * The planner's context, read from the knowledge graph at each plan: the team goal and what is still missing for
 * it (regressed over the recipes, as the DAMCS recipe table does), the known places of resources nearest to the
 * agent (its own and, with shared memory, its teammates' sightings), teammates' intents (their active goals in the
 * graph, their claims) and their recent messages. Every value is a short text for a prompt placeholder.
 */
import type { Envelope } from '../../core/messages.js';
import type { KnowledgeGraph, Viewer } from '../../memory/knowledge-graph.js';
import type { TeamMessage } from '../../memory/messages.js';
import { parsePlace } from '../crafter/kg-sync.js';
import { Inv } from '../crafter/tech-tree.js';
import type { CrafterPerception } from './subgoal-executor.js';

/** The placeholders the planner's templates may use. */
export const PLAN_PLACEHOLDERS = [
  'agent', 'teammates', 'team_goal', 'step', 'position', 'inventory', 'vitals', 'nearby', 'ready', 'missing',
  'next_steps', 'find', 'known_places', 'teammate_intents', 'messages', 'last_outcome', 'subgoals', 'shareable',
] as const;
export type PlanValues = Record<(typeof PLAN_PLACEHOLDERS)[number], string>;

export interface PlanContextInput {
  readonly kg: KnowledgeGraph;
  readonly viewer: Viewer;
  readonly episode: number;
  readonly step: number;
  readonly perception: CrafterPerception;
  readonly teamGoal: string;
  readonly teammates: readonly string[];
  /** Recent messages from teammates, oldest first. */
  readonly inbox: readonly Envelope<TeamMessage>[];
  readonly lastOutcome: string;
  readonly subgoals: readonly string[];
  readonly shareable: readonly string[];
}

export interface PlanContext {
  readonly values: PlanValues;
  /** The nearest known place of each thing (team-frame cell), for the executor to walk to. */
  readonly nearest: ReadonlyMap<string, readonly [number, number]>;
}

const VITALS = ['health', 'food', 'drink', 'energy'] as const;

export async function buildPlanContext(i: PlanContextInput): Promise<PlanContext> {
  const per = i.perception;
  const obs = per.obs!;
  const inv: Record<string, number> = {};
  for (const [name, slot] of Object.entries(Inv)) inv[name] = obs.inventory[slot]!;
  const nearby = per.nearby();
  const report = await i.kg.missingFor(i.teamGoal, inv, { nearby });
  const [px, py] = per.position;

  // Known places: valid sightings visible to this agent in this episode, nearest first per thing.
  const byWhat = new Map<string, { x: number; y: number; d: number; who: string }[]>();
  for (const s of await i.kg.sightings({ viewer: i.viewer })) {
    if (!s.valid || !s.place.startsWith(`e${i.episode}:`)) continue;
    const p = parsePlace(s.place);
    if (!p) continue;
    const d = Math.abs(p.x - px) + Math.abs(p.y - py);
    const list = byWhat.get(s.what) ?? [];
    list.push({ x: p.x, y: p.y, d, who: s.observer });
    byWhat.set(s.what, list);
  }
  const nearest = new Map<string, readonly [number, number]>();
  const places: string[] = [];
  for (const what of [...byWhat.keys()].sort()) {
    const list = byWhat.get(what)!.sort((a, b) => a.d - b.d || a.x - b.x || a.y - b.y);
    nearest.set(what, [list[0]!.x, list[0]!.y]);
    places.push(`${what}: ${list.slice(0, 3).map((p) => `(${p.x},${p.y}) ${p.d} away${p.who === i.viewer.agent ? '' : ` [seen by ${p.who}]`}`).join('; ')}`);
  }

  const intents: string[] = [];
  for (const t of await i.kg.teammates(i.viewer)) {
    const goals = t.goals.filter((g) => g.level !== 'long-term').slice(-2).map((g) => g.text);
    if (goals.length > 0) intents.push(`${t.agent}: ${goals.join(', ')}`);
  }
  for (const m of i.inbox) if (m.body.kind === 'claim') intents.push(`${m.from} ${m.body.release ? 'released' : 'claimed'} ${m.body.subgoal} (step ${m.step})`);

  const list = (xs: readonly string[]) => (xs.length > 0 ? xs.join(', ') : 'none');
  const values: PlanValues = {
    agent: i.viewer.agent,
    teammates: list(i.teammates),
    team_goal: i.teamGoal,
    step: String(i.step),
    position: `(${px},${py})`,
    inventory: list(Object.entries(inv).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`)),
    vitals: VITALS.map((v, k) => `${v} ${obs.vitals[k]}`).join(', '),
    nearby: list(nearby),
    ready: report.ready ? 'yes' : 'no',
    missing: list(report.missing.map((m) => `${m.count} ${m.name}`)),
    next_steps: list(report.steps.map((s) => `${s.recipe} x${s.times}`)),
    find: list(report.find.map((f) => `${f.material} (${f.count})`)),
    known_places: places.length > 0 ? places.join('\n') : 'none yet',
    teammate_intents: intents.length > 0 ? intents.join('\n') : 'none known',
    messages: i.inbox.length > 0 ? i.inbox.map((m) => `step ${m.step} ${m.from}: ${JSON.stringify(m.body)}`).join('\n') : 'none',
    last_outcome: i.lastOutcome,
    subgoals: i.subgoals.join(', '),
    shareable: list(i.shareable),
  };
  return { values, nearest };
}
