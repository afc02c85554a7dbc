import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { policyActor } from '../agents/hrl/policy-actor.js';
import { hierarchicalController, TaskPlanner } from '../agents/hrl/task-planners.js';
import { Ppo } from '../agents/learn/ppo.js';
import type { BackendInfo } from '../agents/learn/backend.js';
import type { PpoState } from '../agents/learn/ppo.js';
import type { Controller } from '../core/controller.js';
import { Rng } from '../core/rng.js';
import type { CrafterEnv } from '../worlds/crafter/crafter-env.js';
import type { AgentInfo } from '../core/parallel-env.js';
import type { ManagerTask } from '../agents/hrl/manager-env.js';
import type { CrafterGoalPolicy } from '../agents/hrl/crafter-manager-task.js';
import { CliError } from './errors.js';
import { CHECKPOINT_DIR, LOW_LEVEL_DIR, readTrainCheckpoint } from './train-command.js';
import { lowLevelActor, lowLevelPpoConfig, makeCrafterManagerTask, makeLowLevelEnv, makeManagerEnv, makeManagerTask } from './train-hierarchy.js';
import { makeTrainWorld } from './train-env.js';
import type { ResolvedTrainConfig } from './train-config.js';
import { ppoConfigOf } from './train-config.js';

/** A trained hierarchy as kernel agents: per agent a controller, and what to free when the run ends. */
export interface HierarchyAgents {
  readonly controller: (agent: string) => Controller<never, number, never>;
  dispose(): void;
}

/**
 * `--agent policy:DIR` for a `canopy train` run with a `hierarchy:` block: its trained manager (the run's checkpoint)
 * picks subgoal slots of the same manager task training used, and its trained low level (`low-level/`) acts toward
 * each subgoal (navigation: the subgoal's waypoint; Crafter: the collect / place / make subgoal, ended by the
 * world's events as in training), both greedy unless `greedy` is false (then the manager samples); the low level
 * samples when the run set `hierarchy.manager.sampleLowLevel`, as in training. Each agent gets its own task (its
 * own topological map and executor state).
 */
export function loadHierarchyAgents(ck: { state: PpoState; config: ResolvedTrainConfig; dir: string; stage: 'low' | 'main' }, backend: BackendInfo, greedy: boolean): HierarchyAgents {
  const c = ck.config;
  const h = c.hierarchy!;
  const runDir = basename(ck.dir) === CHECKPOINT_DIR ? dirname(ck.dir) : ck.dir;
  const lowDir = join(runDir, LOW_LEVEL_DIR);
  if (ck.stage === 'low' || !existsSync(join(lowDir, 'checkpoint.json'))) {
    throw new CliError(`${runDir}: the hierarchy run stopped while its low level was training; finish it first (canopy train --resume ${runDir})`);
  }
  const low = new Ppo({ makeEnv: (i) => makeLowLevelEnv(c, h, i), rng: Rng.fromSeed(0), backend, config: { ...lowLevelPpoConfig(h, backend.backend), numEnvs: 1, numSteps: 1 } });
  readTrainCheckpoint(lowDir).state.policies.forEach((p, g) => low.network(g).setWeights(p.weights));
  // The manager's network is built from its training env (observation and action spaces); only its weights are used.
  const probe = policyActor((a) => low.controller(a, { greedy: true }), Rng.fromSeed(0));
  const manager = new Ppo({ makeEnv: () => makeManagerEnv(c, h, probe), rng: Rng.fromSeed(0), backend, config: { ...ppoConfigOf(c), backend: backend.backend, numEnvs: 1, numSteps: 1 } });
  ck.state.policies.forEach((p, g) => manager.network(g).setWeights(p.weights));
  const rng = Rng.fromSeed(c.seed).fork('hierarchy-agent');
  const rules = h.world === 'crafter' ? (makeTrainWorld(c) as unknown as CrafterEnv).rules : undefined;
  return {
    controller: (agent) => {
      const lowLevel = lowLevelActor(h, low, rng.fork(`low-${agent}`));
      const choose = policyActor((a) => manager.controller(a, { greedy }), rng.fork(`manager-${agent}`));
      const task = h.world === 'crafter' ? makeCrafterManagerTask(h, lowLevel as CrafterGoalPolicy, rules!) : makeManagerTask(h, lowLevel);
      const planner = new TaskPlanner(task as ManagerTask<unknown, AgentInfo, unknown>, (a, features, info) => choose(a, features as never, info as never));
      return hierarchicalController(task as ManagerTask<unknown, AgentInfo, unknown>, planner, { maxOptionSteps: h.manager.maxOptionSteps }) as Controller<never, number, never>;
    },
    dispose() {
      low.dispose();
      manager.dispose();
    },
  };
}
