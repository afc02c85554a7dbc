// An LLM team on MAC through the kernel's Simulation, against the scripted stub server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Simulation } from '../../../core/simulation.js';
import { MessageChannel } from '../../../core/message-channel.js';
import { TrajectoryHasher } from '../../../core/trajectory-hash.js';
import { KnowledgeGraph } from '../../../memory/knowledge-graph.js';
import { GraphologyStore } from '../../../memory/graphology-store.js';
import { parseTeamMessage } from '../../../memory/messages.js';
import type { TeamMessage } from '../../../memory/messages.js';
import { createCrafterEnv } from '../../../worlds/crafter/create-crafter-env.js';
import { crafterSemanticRules } from '../../../worlds/crafter/semantic-rules.js';
import { LlmClient } from '../../../agents/llm/llm-client.js';
import { parseLlmConfig } from '../../../agents/llm/llm-config.js';
import type { LlmConfigInput } from '../../../agents/llm/llm-config.js';
import { createLlmCrafterController, loadLlmPrompts } from '../../../agents/llm/llm-planner.js';
import type { LlmAgentEvent, LlmCrafterController } from '../../../agents/llm/llm-planner.js';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'canopy-llm-'));
}

export interface LlmTeamRun {
  readonly status: string;
  readonly steps: number;
  readonly hash: string;
  readonly events: LlmAgentEvent[];
  readonly client: LlmClient;
  readonly controllers: LlmCrafterController[];
  readonly agentFailed: number;
  readonly agentLate: number;
  /** player_0's goals in the knowledge graph by status. */
  readonly goalStatus: Record<string, number>;
}

export async function runLlmTeam(o: {
  url: string; dir: string; agents: number; steps: number; seed: number; llm?: Partial<LlmConfigInput>;
  /** A realtime run at this pace, async answers waited for `deadlineMs` per step; default lockstep. */
  realtime?: { stepsPerSecond: number; deadlineMs: number };
}): Promise<LlmTeamRun> {
  const env = createCrafterEnv({ ruleset: 'mac', agents: o.agents, oneHot: false });
  const kg = await KnowledgeGraph.open(new GraphologyStore());
  kg.loadRules(crafterSemanticRules(env.rules.data));
  const port = new MessageChannel<TeamMessage>({ parse: parseTeamMessage, budgetPerStep: 1 });
  const config = parseLlmConfig({ baseUrl: o.url, cacheDir: join(o.dir, 'cache'), backoffMs: 5, maxBackoffMs: 50, timeoutMs: 1000, retries: 1, ...o.llm });
  const client = new LlmClient(config, { apiKey: 'test', runDir: join(o.dir, 'run') });
  const prompts = loadLlmPrompts();
  const events: LlmAgentEvent[] = [];
  const controllers: LlmCrafterController[] = [];
  const sim = new Simulation({
    env: env as never, seed: o.seed, channels: [port], ...(o.realtime && { deadlineMs: o.realtime.deadlineMs }),
    controllers: () => {
      const c = createLlmCrafterController({ client, prompts, kg, messages: port, shareMemory: true, team: 'team', rules: env.rules, agents: env.possibleAgents, onEvent: (e) => events.push(e) });
      controllers.push(c);
      return c as never;
    },
  });
  let agentFailed = 0;
  let agentLate = 0;
  sim.events$.subscribe((e) => {
    if (e.type === 'agentFailed') agentFailed++;
    if (e.type === 'agentLate') agentLate++;
  });
  const hasher = new TrajectoryHasher();
  hasher.follow(sim as never);
  const r = o.realtime ? await sim.runRealtime({ stepsPerSecond: o.realtime.stepsPerSecond, steps: o.steps }) : await sim.run({ steps: o.steps });
  await client.idle();
  client.close();
  const goalStatus: Record<string, number> = {};
  for (const g of await kg.goals('player_0')) if (g.level === 'goal') goalStatus[g.status] = (goalStatus[g.status] ?? 0) + 1;
  await kg.close();
  sim.close();
  return { status: r.status, steps: r.steps, hash: hasher.digest(), events, client, controllers, agentFailed, agentLate, goalStatus };
}
