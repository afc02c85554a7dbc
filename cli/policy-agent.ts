import { resolve } from 'node:path';
import { Ppo } from '../agents/learn/ppo.js';
import type { Controller } from '../core/controller.js';
import { Rng } from '../core/rng.js';
import { CliError } from './errors.js';
import { loadHierarchyAgents } from './hierarchy-agent.js';
import { envFactory, readTrainCheckpoint, startBackend } from './train-command.js';
import { ppoConfigOf } from './train-config.js';

/** `--agent policy:DIR`: a policy trained by `canopy train`, from a run folder or its checkpoint folder. */
export const POLICY_PREFIX = 'policy:';

export function isPolicyAgent(name: string): boolean {
  return name.startsWith(POLICY_PREFIX);
}

/** What the run that uses the policy looks like, to check it against the world the policy was trained in. */
export interface PolicyRunRequest {
  readonly world: string;
  readonly variant: string;
  readonly agents: number;
  readonly backend: string;
  readonly quiet: boolean;
  /** Take the most likely action instead of sampling (default: sample, with the kernel's per-episode streams). */
  readonly greedy?: boolean;
}

/**
 * Loads the trained networks of `policy:DIR` and returns one controller builder per agent id (one network per
 * agent with per-agent policies, one shared otherwise; for a hierarchy run, its manager over its low level). The world, its variant and the agent count must be those
 * the policy was trained with (the observation encoding and agent ids depend on them).
 */
export async function loadPolicyAgents(agentArg: string, req: PolicyRunRequest): Promise<{ controller: (agent: string) => Controller<never, number, never>; dispose: () => void; checkpoint: string; backend: { requested: string; used: string } }> {
  const dirArg = agentArg.slice(POLICY_PREFIX.length);
  if (dirArg.length === 0) throw new CliError('--agent policy:DIR needs the folder of a `canopy train` run (or of its checkpoint)');
  const ck = readTrainCheckpoint(resolve(dirArg));
  const c = ck.config;
  const variant = c.layout ?? c.rules;
  if (c.world !== req.world || variant !== req.variant) {
    throw new CliError(`--agent ${agentArg}: the policy was trained on ${c.world} (${variant}); this run is ${req.world} (${req.variant})`);
  }
  if (c.agents !== req.agents) throw new CliError(`--agent ${agentArg}: the policy was trained with ${c.agents} agent(s); use --agents ${c.agents}`);
  const backend = await startBackend(req.backend, req.quiet);
  if (c.hierarchy) {
    // A hierarchy run: its manager over its goal-conditioned low level, as it trained.
    const agents = loadHierarchyAgents(ck, backend, req.greedy ?? false);
    return { controller: agents.controller, dispose: () => agents.dispose(), checkpoint: ck.dir, backend: { requested: backend.requested, used: backend.backend } };
  }
  // A one-env trainer builds the encoder and networks exactly as training did; only its weights are used.
  const ppo = new Ppo({ makeEnv: envFactory(c), rng: Rng.fromSeed(0), backend, config: { ...ppoConfigOf(c), backend: backend.backend, numEnvs: 1, numSteps: 1 } });
  ck.state.policies.forEach((p, g) => ppo.network(g).setWeights(p.weights));
  return { controller: (agent) => ppo.controller(agent, { greedy: req.greedy ?? false }), dispose: () => ppo.dispose(), checkpoint: ck.dir, backend: { requested: backend.requested, used: backend.backend } };
}
