/**
 * One MAC episode of kg-planner agents through the kernel's Simulation (lockstep), for `npm run bench:coop` and the
 * kg-planner tests. Reports the step of the first diamond and the team's first-completion step of each DAMCS task.
 * The agents get a `worldState` they never call (the tests make it throw); the bench reads the env for metrics only.
 */
import { Simulation } from '../../core/simulation.js';
import type { Controller } from '../../core/controller.js';
import { KnowledgeGraph } from '../../memory/knowledge-graph.js';
import type { GraphStore } from '../../memory/graph-store.js';
import { GraphologyStore } from '../../memory/graphology-store.js';
import { parseTeamMessage } from '../../memory/messages.js';
import type { TeamMessage } from '../../memory/messages.js';
import { createCrafterEnv } from '../../worlds/crafter/create-crafter-env.js';
import { MAC_TASKS, type MacTask } from '../../worlds/crafter/mac-tasks.js';
import type { CrafterEnv, CrafterInfo } from '../../worlds/crafter/crafter-env.js';
import type { SymbolicObservation } from '../../worlds/crafter/observation.js';
import { crafterSemanticRules } from '../../worlds/crafter/semantic-rules.js';
import type { KgPlannerController, KgPlannerOptions } from '../../agents/crafter/kg-planner.js';
import { createKgPlannerController } from '../../agents/crafter/kg-planner.js';
import { MessageChannel } from '../../core/message-channel.js';

/** DAMCS's per-task table, in its order (the world's MAC tasks): label and task. */
export const DAMCS_TASKS: readonly [string, MacTask][] = MAC_TASKS.map(({ task }) => [task.replace('_', ' '), task]);

export interface CoopEpisodeOptions {
  readonly agents: number;
  /** Shared team graph and messages (true), or private graphs and no messages (false). */
  readonly shared: boolean;
  readonly seed: number;
  /** Graph store (default a fresh GraphologyStore). */
  readonly store?: GraphStore;
  /** Make `worldState` throw for the agents (tests). */
  readonly forbidWorldState?: boolean;
  readonly messageBudget?: number;
  /** Team messages (default: `shared`); false with `shared` isolates what the shared graph alone brings. */
  readonly messages?: boolean;
  /** Called after every step (after messages were delivered), e.g. to check invariants. */
  readonly onStep?: (step: number, controllers: readonly KgPlannerController[], env: CrafterEnv) => void;
  /** Scouts per team (see KgPlannerOptions.scouts; default: the planner's). */
  readonly scouts?: number;
  /** Extra planner options (tuning: spare stations and the like). */
  readonly planner?: Partial<Pick<KgPlannerOptions, 'spareTables' | 'spareFurnaces' | 'justInTime' | 'deepGain' | 'unstick' | 'teamFresh' | 'oneCrafter' | 'deepReveal' | 'waitAtDiamond' | 'sweep' | 'scoutSupply' | 'splitFrontier' | 'searchMass' | 'nearClaim' | 'tunnelGain' | 'thirst' | 'headingGain' | 'focusDiamond' | 'sectors' | 'diamondPull' | 'tunnel'>>;
  /** Record which cells were walkable (grass, sand, path) at any step: `everWalkable` (tests). */
  readonly trackWalkable?: boolean;
  /** Episode length override (MAC: 350). */
  readonly length?: number;
}

export interface CoopEpisodeResult {
  /** Step of the first diamond, -1 when missed. */
  readonly diamondStep: number;
  readonly length: number;
  /** Team's first step per DAMCS task label (-1 when not reached). */
  readonly tasks: Record<string, number>;
  readonly controllers: KgPlannerController[];
  readonly env: CrafterEnv;
  readonly kg: KnowledgeGraph;
  readonly messages: { accepted: number; rejected: number };
  /** World share events (one unit moved between players). */
  readonly shares: number;
  /** Materials of the world right after the reset (ids as `CrafterState.materials`), to check what agents mapped. */
  readonly initialMaterials: Uint8Array;
  /** With `trackWalkable`: 1 for every cell (x * height + y) that was walkable at the reset or after any step. */
  readonly everWalkable: Uint8Array;
}

export async function runCoopEpisode(o: CoopEpisodeOptions): Promise<CoopEpisodeResult> {
  const env = createCrafterEnv({ ruleset: 'mac', agents: o.agents, oneHot: false, ...(o.length ? { overrides: { 'world.length': o.length } } : {}) });
  const kg = await KnowledgeGraph.open(o.store ?? new GraphologyStore());
  kg.loadRules(crafterSemanticRules(env.rules.data));
  const port = (o.messages ?? o.shared) ? new MessageChannel<TeamMessage>({ parse: parseTeamMessage, budgetPerStep: o.messageBudget ?? 1 }) : undefined;
  const controllers: KgPlannerController[] = [];
  type C = Controller<SymbolicObservation, number, CrafterInfo, unknown>;
  const sim = new Simulation<SymbolicObservation, number, CrafterInfo, unknown>({
    env: env as never,
    seed: o.seed,
    ...(port ? { channels: [port] } : {}),
    controllers: () => {
      const c = createKgPlannerController({
        kg, shareMemory: o.shared, team: 'team', rules: env.rules, agents: env.possibleAgents,
        ...(port ? { messages: port } : {}), ...(o.messageBudget ? { messageBudget: o.messageBudget } : {}),
        ...(o.scouts !== undefined ? { scouts: o.scouts } : {}), ...o.planner,
      });
      controllers.push(c);
      if (!o.forbidWorldState) return c as C;
      // A controller that reads the world state would throw (the kernel would then report agentFailed).
      return {
        reset: (ctx) => c.reset(ctx),
        observe: (t) => c.observe(t),
        act: (ctx) => c.act({ ...ctx, worldState: () => { throw new Error('kg-planner must not read the world state'); } }),
      } satisfies C;
    },
  });
  const failures: string[] = [];
  let shares = 0;
  let initialMaterials: Uint8Array = new Uint8Array(0);
  const walkIds = new Set(['grass', 'sand', 'path'].map((n) => env.rules.materials.indexOf(n) + 1));
  const everWalkable = new Uint8Array(env.rules.data.world.area[0] * env.rules.data.world.area[1]);
  const track = () => {
    if (!o.trackWalkable) return;
    const mat = env.state().materials;
    for (let i = 0; i < mat.length; i++) if (walkIds.has(mat[i]!)) everWalkable[i] = 1;
  };
  sim.resets$.subscribe(() => {
    initialMaterials = env.state().materials;
    track();
  });
  const messages = { accepted: 0, rejected: 0 };
  sim.events$.subscribe((e) => {
    if (e.type === 'agentFailed' || e.type === 'error') failures.push(JSON.stringify(e.data));
    if (e.type === 'share') shares++;
    if (e.type === 'messageSent') messages.accepted++;
    if (e.type === 'messageRejected') messages.rejected++;
  });
  sim.transitions$.subscribe((t) => {
    track();
    o.onStep?.(t.step, controllers, env);
  });
  await sim.run({ episodes: 1 });
  if (failures.length > 0) throw new Error(`kg-planner failed: ${failures[0]}`);
  const m = env.episodeMetrics();
  const first = env.taskFirstSteps();
  const tasks: Record<string, number> = {};
  for (const [label, task] of DAMCS_TASKS) tasks[label] = first[task];
  sim.close();
  await kg.flush();
  return { diamondStep: m.goalStep ?? -1, length: m.length ?? 0, tasks, controllers, env, kg, messages, shares, initialMaterials, everWalkable };
}
