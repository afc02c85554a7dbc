import type { ControllerFactory } from '../core/agent-runner.js';
import type { Controller } from '../core/controller.js';
import type { AgentInfo, ParallelEnv } from '../core/parallel-env.js';
import { CONTROLLERS as NAVIGATION_AGENTS, createController } from '../agents/index.js';
import { RandomController } from '../agents/random-controller.js';
import { createScriptedCrafterController } from '../agents/crafter/index.js';
import { createKgPlannerController } from '../agents/crafter/kg-planner.js';
import { createLlmCrafterController } from '../agents/llm/llm-planner.js';
import type { LlmAgentEvent, LlmPrompts } from '../agents/llm/llm-planner.js';
import type { LlmClient } from '../agents/llm/llm-client.js';
import type { CrafterEnv } from '../worlds/crafter/index.js';
import { createNavigationEnv, LAYOUTS as NAVIGATION_LAYOUTS, NavigationConfigError } from '../worlds/navigation/index.js';
import { createCrafterEnv, CrafterConfigError, RULESETS as CRAFTER_RULESETS } from '../worlds/crafter/index.js';
import type { WorldViewAdapter } from '../core/world-view.js';
import { crafterViewAdapter } from '../worlds/crafter/crafter-view.js';
import { navigationViewAdapter } from '../worlds/navigation/navigation-view.js';
import type { NavigationEnv } from '../worlds/navigation/index.js';
import { CrafterStatsRecorder } from './crafter-stats-recorder.js';
import type { RecorderFactory } from './run-recorder.js';
import { CliError, listAllowed, oneLine } from './errors.js';
import type { KnowledgeGraph } from '../memory/knowledge-graph.js';
import type { MessagePort } from '../core/messages.js';
import type { TeamMessage } from '../memory/messages.js';
import type { WorldMemory } from './run-memory.js';
import { CRAFTER_MEMORY, NAVIGATION_MEMORY } from './world-memory.js';

/** The run fields that pick a variant of a world: each world takes exactly one of them. */
export const VARIANT_KEYS = ['layout', 'rules'] as const;
export type VariantKey = (typeof VARIANT_KEYS)[number];

/** What the CLI asks a world for. */
export interface WorldBuildRequest {
  /** The variant (`--layout` or `--rules` value, whichever the world takes). */
  readonly variant: string;
  readonly agents: number;
  /** World-specific parameters from the config file's `params`, unvalidated: the world checks them. */
  readonly params: Readonly<Record<string, unknown>>;
}

type AnyController = Controller<unknown, unknown, AgentInfo, unknown>;

/** What the run hands an agent builder: the run's knowledge graph and switches (agents that use none ignore it). */
export interface AgentBuildContext {
  /** The run's knowledge graph; undefined with `--memory off`. */
  readonly kg: KnowledgeGraph | undefined;
  /** Team-shared facts (`--share-memory on`) or private ones. */
  readonly shareMemory: boolean;
  /** The team's message channel (`--messages on`); undefined when messages are off. */
  readonly messages: MessagePort<TeamMessage> | undefined;
  /** The run's LLM client, prompts and event sink (`--agent llm` only). */
  readonly llm?: LlmRuntime;
}

/** What LLM agents of a run share: one client (cache, concurrency cap, accounting), the checked prompts. */
export interface LlmRuntime {
  readonly client: LlmClient;
  readonly prompts: LlmPrompts;
  readonly onEvent: (event: LlmAgentEvent) => void;
}

/** One agent's build request: the run's context, the agent's id and the world it acts in. */
export interface AgentBuild extends AgentBuildContext {
  readonly agent: string;
  readonly env: ParallelEnv;
}

/**
 * One world the CLI can run: its flags, the agents it allows and its metrics writers. Adding a world to
 * `canopy run` is adding one entry to {@link WORLDS}.
 */
export interface WorldEntry {
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /** The flag that picks a variant (`--layout` for navigation, `--rules` for crafter), its values and default. */
  readonly variant: { readonly key: VariantKey; readonly values: readonly string[]; readonly default: string; readonly help: string };
  /** Largest `--agents` the world accepts (checked before anything is built). */
  readonly maxAgents?: number;
  /** `--agent` names the world allows, each with a builder of one controller. */
  readonly agents: Readonly<Record<string, (build: AgentBuild) => AnyController>>;
  /** Agents that plan over the run's knowledge graph: `--memory off` is refused for them. */
  readonly needsMemory?: readonly string[];
  /** The world's rules as semantic data and its events as episodic entries, for the run's knowledge graph. */
  readonly memory: WorldMemory;
  /** Keys `params` may not hold because a run field sets them (their copy in params would silently lose). */
  readonly reservedParams: readonly string[];
  /** Builds the world; its config errors come out as {@link CliError}s (see {@link asUserError}). */
  create(request: WorldBuildRequest): ParallelEnv;
  /** Whether `err` is the world's own report of a bad config (a user's mistake, not a bug), also at reset time. */
  isConfigError(err: unknown): boolean;
  /** The world's own metrics writers, besides the CLI's episodes.jsonl and summary.json. */
  readonly recorders: readonly RecorderFactory[];
  /** Files the recorders write, so an out folder holding them counts as a used run folder. */
  readonly files: readonly string[];
  /** The world's picture for the viewer (`--viewer`, `canopy view`). */
  view(env: ParallelEnv): WorldViewAdapter;
}

const navigation: WorldEntry = {
  name: 'navigation',
  description: 'grid rooms, mazes and key-door puzzles where agents reach goals',
  variant: { key: 'layout', values: NAVIGATION_LAYOUTS, default: 'four-rooms', help: 'layouts' },
  agents: Object.fromEntries(NAVIGATION_AGENTS.map((name) => [name, () => createController(name) as unknown as AnyController])),
  reservedParams: ['layout', 'agents', 'seed'],
  create({ variant, agents, params }) {
    return asUserError(this, () => createNavigationEnv({ ...params, layout: variant, agents } as never) as ParallelEnv);
  },
  isConfigError: (err) => err instanceof NavigationConfigError,
  memory: NAVIGATION_MEMORY,
  recorders: [],
  files: [],
  view: (env) => navigationViewAdapter(env as unknown as NavigationEnv) as WorldViewAdapter,
};

const crafter: WorldEntry = {
  name: 'crafter',
  description: 'Crafter (PyPI crafter 1.8.3 rules) for 1..100 players; mac: the cooperative multi-agent variant',
  variant: { key: 'rules', values: CRAFTER_RULESETS, default: 'crafter', help: 'rules' },
  maxAgents: 100,
  agents: {
    random: () => new RandomController() as unknown as AnyController,
    scripted: () => createScriptedCrafterController() as unknown as AnyController,
    'kg-planner': (b) => {
      const env = b.env as unknown as CrafterEnv;
      if (!b.kg) throw new CliError('--agent kg-planner plans over the knowledge graph: use --memory graphology or neo4j');
      return createKgPlannerController({
        kg: b.kg, shareMemory: b.shareMemory, team: 'team', rules: env.rules, agents: env.possibleAgents,
        ...(b.messages && { messages: b.messages }),
      }) as unknown as AnyController;
    },
    llm: (b) => {
      const env = b.env as unknown as CrafterEnv;
      if (!b.kg) throw new CliError('--agent llm reads its context from the knowledge graph: use --memory graphology or neo4j');
      if (!b.llm) throw new Error('--agent llm needs the run\'s LLM runtime');
      return createLlmCrafterController({
        ...b.llm, kg: b.kg, shareMemory: b.shareMemory, team: 'team', rules: env.rules, agents: env.possibleAgents,
        ...(b.messages && { messages: b.messages }),
      }) as unknown as AnyController;
    },
  },
  needsMemory: ['kg-planner', 'llm'],
  reservedParams: ['agents', 'seed', 'rules', 'ruleset', 'layout'],
  create({ variant, agents, params }) {
    return asUserError(this, () => createCrafterEnv({ ...params, ruleset: variant, agents }) as unknown as ParallelEnv);
  },
  isConfigError: (err) => err instanceof CrafterConfigError,
  memory: CRAFTER_MEMORY,
  recorders: [(ctx) => new CrafterStatsRecorder(ctx)],
  files: ['stats.jsonl'],
  view: (env) => crafterViewAdapter(env as unknown as CrafterEnv) as WorldViewAdapter,
};

/** The worlds `canopy run --world` accepts, by name. */
export const WORLDS: Readonly<Record<string, WorldEntry>> = Object.freeze({ navigation, crafter });

export function worldNames(): string[] {
  return Object.keys(WORLDS);
}

/** The world called `name`, or a {@link CliError} listing the worlds there are. */
export function findWorld(name: string): WorldEntry {
  const world = Object.hasOwn(WORLDS, name) ? WORLDS[name] : undefined;
  if (!world) throw new CliError(`--world: unknown world "${name}"; expected ${listAllowed(worldNames())}`);
  return world;
}

/**
 * The world's variant from `--layout`/`--rules` (or the config file), checked: a value it does not have, or the
 * flag of another world (`--rules` for navigation), is a {@link CliError}.
 */
export function resolveVariant(world: WorldEntry, given: Partial<Record<VariantKey, string>>): string {
  const { key } = world.variant;
  for (const other of VARIANT_KEYS) {
    if (other !== key && given[other] !== undefined) {
      throw new CliError(`--${other}: world "${world.name}" has no ${other}; it takes --${key} (${listAllowed(world.variant.values)})`);
    }
  }
  const value = given[key] ?? world.variant.default;
  if (!world.variant.values.includes(value)) {
    const noun = key === 'layout' ? 'layout' : 'rules';
    throw new CliError(`--${key}: world "${world.name}" has no ${noun} "${value}"; expected ${listAllowed(world.variant.values)}`);
  }
  return value;
}

/** Checks `--agents` against the world's limit. */
export function checkAgentCount(world: WorldEntry, agents: number): void {
  if (world.maxAgents !== undefined && agents > world.maxAgents) {
    throw new CliError(`--agents: world "${world.name}" takes 1..${world.maxAgents} agents, got ${agents}`);
  }
}

/** Refuses `--memory off` for an agent that plans over the knowledge graph. */
export function checkAgentMemory(world: WorldEntry, name: string, memory: string): void {
  if (memory === 'off' && world.needsMemory?.includes(name)) {
    throw new CliError(`--memory off: agent "${name}" plans over the knowledge graph; use --memory graphology (default) or neo4j`);
  }
}

/** Checks `--agent` against the agents the world allows. */
export function checkAgentName(world: WorldEntry, name: string): void {
  if (!Object.hasOwn(world.agents, name)) {
    throw new CliError(`--agent: world "${world.name}" has no agent "${name}"; expected ${listAllowed(Object.keys(world.agents))}`);
  }
}

/**
 * One controller of kind `name` per agent. Controllers draw randomness only from the streams the kernel gives them
 * in each episode's context, so the run's seed decides everything.
 */
export function controllerFactory(world: WorldEntry, name: string, ctx: AgentBuildContext): ControllerFactory<unknown, unknown, AgentInfo, unknown> {
  checkAgentName(world, name);
  const build = world.agents[name]!;
  return (agent, made) => build({ ...ctx, agent, env: made.env });
}

/** Runs `fn`, turning the world's own config error (bad `params`, a map too small for the agents) into a one-line {@link CliError}. */
export function asUserError<T>(world: WorldEntry, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (world.isConfigError(err)) throw new CliError(`${world.name}: ${oneLine((err as Error).message)}`);
    throw err;
  }
}

