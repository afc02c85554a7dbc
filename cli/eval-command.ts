import { resolve } from 'node:path';
import type { CliIo } from './cli-io.js';
import { PROCESS_IO } from './cli-io.js';
import { CliError } from './errors.js';
import { POLICY_PREFIX } from './policy-agent.js';
import { runCommand } from './run-command.js';
import type { RunFlags } from './run-command.js';
import { readTrainCheckpoint } from './train-command.js';

/** `canopy eval` flags: the run flags that make sense for a trained policy, and the checkpoint. */
export interface EvalFlags extends Pick<RunFlags, 'episodes' | 'steps' | 'seed' | 'out' | 'events' | 'memory' | 'quiet' | 'backend'> {
  readonly checkpoint?: string;
  readonly greedy?: boolean;
}

/**
 * `canopy eval --checkpoint DIR --episodes N`: runs the trained policy in the world it was trained in (same world,
 * variant, agents and world options) through `canopy run`, so it writes the same files (config.json,
 * episodes.jsonl, summary.json, stats.jsonl for Crafter, ...).
 */
export async function evalCommand(flags: EvalFlags, io: CliIo = PROCESS_IO): Promise<number> {
  if (flags.checkpoint === undefined) throw new CliError('canopy eval needs --checkpoint DIR (a `canopy train` run folder or its checkpoint folder)');
  const { config: c } = readTrainCheckpoint(resolve(flags.checkpoint));
  const { checkpoint, greedy, ...run } = flags;
  const base = {
    world: c.world,
    ...(c.layout !== undefined && { layout: c.layout }),
    ...(c.rules !== undefined && { rules: c.rules }),
    agents: c.agents,
    params: { ...c.params },
    agent: `${POLICY_PREFIX}${checkpoint}`,
  };
  return runCommand(run, io, base, { greedy: greedy ?? false });
}
