/**
 * `--agent llm`: a Crafter agent whose subgoals an LLM chooses. The high level is an {@link OptionPlanner} whose
 * `plan` answers later (a Promise), so in lockstep the run waits for it and in realtime the world goes on while the
 * agent thinks (the kernel gives it its default action meanwhile). Each plan reads the knowledge graph (team goal
 * and what is missing, known places, teammates' intents and messages), renders the prompt templates, asks the model
 * and validates its JSON reply against the world's vocabulary. An invalid reply gets a repair prompt, a bounded
 * number of times; a call that fails for good (timeouts, 429s, 5xx past the retries) or replies that stay invalid
 * hand the agent to the kg-planner for `failSafeSteps` steps, with an `llmFallback` event. The low level
 * ({@link SubgoalExecutor}) executes the subgoal.
 */
import type { Controller, DecisionContext, EpisodeContext, Transition } from '../../core/controller.js';
import type { Envelope, MessagePort } from '../../core/messages.js';
import { OptionController } from '../../core/option-controller.js';
import type { OptionOutcome, OptionPlanner } from '../../core/option-controller.js';
import type { AgentId } from '../../core/parallel-env.js';
import type { KnowledgeGraph } from '../../memory/knowledge-graph.js';
import { TeamMessageSchema } from '../../memory/messages.js';
import type { TeamMessage } from '../../memory/messages.js';
import type { CrafterInfo } from '../../worlds/crafter/crafter-env.js';
import type { SymbolicObservation } from '../../worlds/crafter/observation.js';
import type { CrafterRules } from '../../worlds/crafter/rules.js';
import { KgFailSafe } from './kg-fail-safe.js';
import { LlmCallError } from './llm-client.js';
import type { ChatMessage, LlmClient } from './llm-client.js';
import { extractJson, crafterSubgoals, parsePlanReply, planSchema, shareableItems } from './plan-schema.js';
import type { LlmPlan, PlanSchema } from './plan-schema.js';
import { PLAN_PLACEHOLDERS, buildPlanContext } from './plan-context.js';
import type { PlanValues } from './plan-context.js';
import { PromptTemplate } from './prompt-template.js';
import { CrafterPerception, SubgoalExecutor } from './subgoal-executor.js';
import type { LlmSubgoal } from './subgoal-executor.js';

/** What the LLM agent reports besides its actions (the CLI counts them and writes them to the transcripts). */
export type LlmAgentEvent =
  | { readonly type: 'llmFallback'; readonly agent: AgentId; readonly episode: number; readonly step: number; readonly reason: string }
  | { readonly type: 'llmRepair'; readonly agent: AgentId; readonly episode: number; readonly step: number; readonly error: string }
  | { readonly type: 'llmPlan'; readonly agent: AgentId; readonly episode: number; readonly step: number; readonly subgoal: string; readonly cached: boolean };

/** The four prompt templates, loaded and checked once per run. */
export interface LlmPrompts {
  readonly system: PromptTemplate;
  readonly planner: PromptTemplate;
  readonly repair: PromptTemplate;
  readonly communicator: PromptTemplate;
}

/** Loads the templates from `dir` (each file falling back to the shipped one); a bad placeholder fails here. */
export function loadLlmPrompts(dir?: string): LlmPrompts {
  return {
    system: PromptTemplate.load('planner-system', PLAN_PLACEHOLDERS, dir),
    planner: PromptTemplate.load('planner', PLAN_PLACEHOLDERS, dir),
    repair: PromptTemplate.load('repair', ['error', 'subgoals'], dir),
    communicator: PromptTemplate.load('communicator', [...PLAN_PLACEHOLDERS, 'goal', 'subgoal'], dir),
  };
}

export interface LlmAgentOptions {
  readonly client: LlmClient;
  readonly prompts: LlmPrompts;
  readonly kg: KnowledgeGraph;
  readonly messages?: MessagePort<TeamMessage>;
  readonly shareMemory: boolean;
  readonly team: string;
  readonly rules: CrafterRules;
  /** Every agent of the world in spawn order. */
  readonly agents: readonly AgentId[];
  /** Called with every fallback, repair and plan. */
  readonly onEvent?: (event: LlmAgentEvent) => void;
}

const TEAM_GOAL_DEFAULT = 'diamond';
const INBOX_KEPT = 8;

/** Chooses subgoals with the LLM (see the file comment). */
class LlmOptionPlanner implements OptionPlanner<SymbolicObservation, LlmSubgoal, CrafterInfo> {
  agent = '';
  episode = 0;
  seed = 0;
  inbox: Envelope<TeamMessage>[] = [];
  private lastOutcome = 'none yet';
  private plans = 0;
  /** The knowledge-graph goal of the subgoal being executed. */
  private goalId: string | null = null;
  private readonly subgoals: readonly string[];
  private readonly shareable: readonly string[];
  private schema: PlanSchema;
  private teammates: readonly string[] = [];
  private readonly teamGoal: string;

  constructor(private readonly o: LlmAgentOptions, private readonly perception: CrafterPerception, private readonly executor: SubgoalExecutor) {
    this.subgoals = crafterSubgoals(o.rules);
    this.shareable = shareableItems(o.rules);
    this.schema = planSchema(this.subgoals, [], this.shareable);
    this.teamGoal = o.rules.data.episode.endWhenAnyCollects ?? TEAM_GOAL_DEFAULT;
  }

  reset(ctx: EpisodeContext): void {
    this.agent = ctx.agent;
    this.episode = ctx.episode;
    // The sampling seed comes from the agent's own stream: part of every cache key, so a rerun asks the same questions.
    this.seed = ctx.rng.int(0, 2 ** 31 - 1);
    this.teammates = this.o.agents.filter((a) => a !== ctx.agent);
    this.schema = planSchema(this.subgoals, this.o.messages ? this.teammates : [], this.shareable);
    this.inbox = [];
    this.lastOutcome = 'none yet';
    this.plans = 0;
    this.goalId = null;
  }

  isDone(sub: LlmSubgoal): boolean {
    return this.executor.isDone(sub);
  }

  optionEnded(o: OptionOutcome<LlmSubgoal>): void {
    const name = o.subgoal.kind === 'task' ? o.subgoal.name : 'kg-planner fail-safe';
    const how = o.reason === 'timeout' ? 'ran out of steps' : o.reason === 'episodeEnd' ? 'was cut by the episode end' : this.executor.gaveUp(o.subgoal) ? 'was given up (no way to do it from here: no station or place known)' : 'was reached';
    this.lastOutcome = `${name} ${how} after ${o.steps} steps`;
    // Teammates read active goals as intents: a finished one must not stay active.
    if (this.goalId !== null) {
      this.o.kg.setGoalStatus(this.agent, this.goalId, how === 'was reached' ? 'done' : 'abandoned', this.fact(this.perception.map.step));
      this.goalId = null;
    }
  }

  plan(ctx: DecisionContext<SymbolicObservation, CrafterInfo>): Promise<LlmSubgoal> {
    return this.planAsync(ctx.step);
  }

  private fact(step: number) {
    return { observer: this.agent, step, scope: this.o.shareMemory ? ('team' as const) : ('private' as const), team: this.o.team };
  }

  private async planAsync(step: number): Promise<LlmSubgoal> {
    const client = this.o.client;
    const ctx = await buildPlanContext({
      kg: this.o.kg, viewer: { agent: this.agent, team: this.o.team }, episode: this.episode, step, perception: this.perception,
      teamGoal: this.teamGoal, teammates: this.teammates, inbox: this.inbox, lastOutcome: this.lastOutcome,
      subgoals: this.subgoals, shareable: this.o.messages ? this.shareable : [],
    });
    const messages: ChatMessage[] = [
      { role: 'system', content: this.o.prompts.system.render(ctx.values) },
      { role: 'user', content: this.o.prompts.planner.render(ctx.values) },
    ];
    let failure = '';
    try {
      for (let attempt = 0; ; attempt++) {
        const reply = await client.complete({ agent: this.agent, role: 'planner', purpose: attempt === 0 ? 'plan' : 'repair', messages, seed: this.seed });
        const parsed = parsePlanReply(reply.text, this.schema);
        const error = parsed.ok ? this.infeasible(parsed.plan) : parsed.error;
        if (parsed.ok && error === null) {
          this.o.onEvent?.({ type: 'llmPlan', agent: this.agent, episode: this.episode, step, subgoal: parsed.plan.subgoal, cached: reply.cached });
          return await this.adopt(parsed.plan, ctx.values, ctx.nearest, step);
        }
        client.note(this.agent, 'invalid');
        failure = `invalid reply: ${error}`;
        if (attempt >= client.config.repairs) break;
        client.note(this.agent, 'repairs');
        this.o.onEvent?.({ type: 'llmRepair', agent: this.agent, episode: this.episode, step, error: error ?? '' });
        messages.push({ role: 'assistant', content: reply.text }, { role: 'user', content: this.o.prompts.repair.render({ error: error ?? '', subgoals: this.subgoals.join(', ') }) });
      }
    } catch (err) {
      if (!(err instanceof LlmCallError)) throw err;
      failure = `LLM call failed (${err.kind}): ${err.message}`;
    }
    client.note(this.agent, 'fallbacks');
    this.o.onEvent?.({ type: 'llmFallback', agent: this.agent, episode: this.episode, step, reason: failure });
    return { kind: 'fail-safe', steps: client.config.failSafeSteps, reason: failure };
  }

  /** Why a well-formed plan cannot run now (its inputs or tool are missing), or null. */
  private infeasible(plan: LlmPlan): string | null {
    const d = this.o.rules.data;
    const [verb, ...rest] = plan.subgoal.split('_');
    const what = rest.join('_');
    const lacking = (need: Readonly<Record<string, number>>) =>
      Object.entries(need).filter(([item, n]) => this.perception.has(item) < n).map(([item, n]) => `${n} ${item} (have ${this.perception.has(item)})`);
    let missing: string[] = [];
    if (verb === 'make') missing = lacking(d.make[what]?.uses ?? {});
    else if (verb === 'place') missing = lacking(d.place[what]?.uses ?? {});
    else if (verb === 'collect') {
      const source = Object.values(d.collect).find((c) => what in c.receive);
      missing = lacking(source?.require ?? {});
    }
    if (plan.share && this.perception.has(plan.share.item) < 1) return `share: you hold no ${plan.share.item}`;
    return missing.length > 0 ? `subgoal ${plan.subgoal} needs ${missing.join(', ')}` : null;
  }

  /** Sends the plan's message (or the communicator's), queues its share, records the goal, and returns the subgoal. */
  private async adopt(plan: LlmPlan, values: PlanValues, nearest: ReadonlyMap<string, readonly [number, number]>, step: number): Promise<LlmSubgoal> {
    this.plans++;
    const [verb, ...rest] = plan.subgoal.split('_');
    const what = rest.join('_');
    let message = plan.message ?? undefined;
    if (this.o.messages && this.teammates.length > 0 && this.o.client.config.models.communicator !== undefined) message = await this.communicate(plan, values);
    if (message && this.o.messages) this.o.messages.send(this.agent, { team: true }, message);
    if (plan.share) this.executor.owed.push({ item: plan.share.item, to: plan.share.to, left: plan.share.count });
    const id = `e${this.episode}:llm${this.plans}`;
    this.goalId = id;
    this.o.kg.setGoal({ id, agent: this.agent, level: 'goal', text: `${plan.subgoal}: ${plan.goal}`, target: plan.subgoal, parent: `e${this.episode}:diamond`, status: 'active' }, this.fact(step));
    // The material's name in the graph (wood comes from trees): walk to where the team saw it if the map does not know it.
    const source = verb === 'collect' ? (Object.entries(this.o.rules.data.collect).find(([, c]) => what in c.receive)?.[0] ?? what) : what;
    const hint = verb === 'collect' ? nearest.get(source) : undefined;
    return { kind: 'task', name: plan.subgoal, goal: plan.goal, count: plan.count ?? 1, ...(hint && { hint }) };
  }

  /** The communicator role: one message for the team about the plan (none when its reply is not valid). */
  private async communicate(plan: LlmPlan, values: PlanValues): Promise<TeamMessage | undefined> {
    const content = this.o.prompts.communicator.render({ ...values, goal: plan.goal, subgoal: plan.subgoal });
    try {
      const reply = await this.o.client.complete({ agent: this.agent, role: 'communicator', purpose: 'message', messages: [{ role: 'user', content }], seed: this.seed });
      const raw = extractJson(reply.text) as { message?: unknown };
      if (raw?.message === null || raw?.message === undefined) return undefined;
      const r = TeamMessageSchema.safeParse(raw.message);
      if (r.success) return r.data;
    } catch (err) {
      if (!(err instanceof LlmCallError) && !(err instanceof SyntaxError)) throw err;
    }
    this.o.client.note(this.agent, 'invalid');
    return undefined;
  }
}

/**
 * One LLM agent: perception (dead reckoning over the actions the world applied), the kg-planner shadowing as
 * fail-safe, and an {@link OptionController} over the LLM planner and the subgoal executor.
 */
export class LlmCrafterController implements Controller<SymbolicObservation, number, CrafterInfo> {
  private readonly perception = new CrafterPerception();
  private readonly failSafe: KgFailSafe;
  private readonly executor: SubgoalExecutor;
  private readonly planner: LlmOptionPlanner;
  private readonly option: OptionController<SymbolicObservation, number, LlmSubgoal, CrafterInfo>;
  private step = 0;

  constructor(private readonly o: LlmAgentOptions) {
    this.failSafe = new KgFailSafe({ kg: o.kg, shareMemory: o.shareMemory, team: o.team, rules: o.rules, agents: o.agents, ...(o.messages && { messages: o.messages }) });
    this.executor = new SubgoalExecutor({ rules: o.rules, agents: o.agents, perception: this.perception, failSafe: this.failSafe, exploreSteps: o.client.config.exploreSteps });
    this.planner = new LlmOptionPlanner(o, this.perception, this.executor);
    this.option = new OptionController({ planner: this.planner, executor: this.executor, maxOptionSteps: o.client.config.maxOptionSteps });
  }

  /** The subgoal being executed (for tests and logs). */
  get subgoal(): LlmSubgoal | undefined {
    return this.option.subgoal;
  }

  reset(ctx: EpisodeContext): void {
    this.perception.reset(this.executor.spawnOf(ctx.agent), ctx);
    this.failSafe.reset(ctx);
    this.executor.reset();
    this.option.reset(ctx);
    this.step = 0;
  }

  act(ctx: DecisionContext<SymbolicObservation, CrafterInfo>) {
    this.step = ctx.step;
    if (!this.perception.obs) this.perception.update(ctx.observation, null);
    if (this.o.messages) {
      const fresh = this.o.messages.inbox(ctx.agent).filter((m) => m.from !== ctx.agent);
      if (fresh.length > 0) this.planner.inbox = [...this.planner.inbox, ...fresh].slice(-INBOX_KEPT);
    }
    return this.option.act(ctx);
  }

  observe(t: Transition<SymbolicObservation, CrafterInfo>): void {
    this.perception.update(t.observation, typeof t.action === 'number' ? t.action : null);
    this.failSafe.observe(t, this.step + 1);
    this.option.observe(t);
  }
}

export function createLlmCrafterController(opts: LlmAgentOptions): LlmCrafterController {
  return new LlmCrafterController(opts);
}
