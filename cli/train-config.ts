import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BACKENDS } from '../agents/learn/backend.js';
import { PpoConfigError, PpoConfigSchema, parsePpoConfig } from '../agents/learn/ppo.js';
import type { PpoConfig } from '../agents/learn/ppo.js';
import { describeFsError, parseConfigText, WORLD_FIELDS } from './config.js';
import { CliError, listAllowed } from './errors.js';
import { checkAgentCount, findWorld, resolveVariant } from './world-registry.js';
import { parseHierarchy } from './train-hierarchy.js';
import type { Hierarchy } from './train-hierarchy.js';

const count = z.number().int().min(1);

/**
 * What a `canopy train --config FILE` holds (YAML or JSON). Flags of the same name override it; unknown fields are
 * refused. Example (Crafter, flat PPO):
 *
 * ```yaml
 * world: crafter
 * rules: crafter          # navigation: layout: four-rooms
 * agents: 1
 * params: {}              # world options, checked by the world
 * seed: 1
 * totalSteps: 1000000
 * checkpointEvery: 100000
 * backend: auto
 * ppo: { numEnvs: 16, numSteps: 64, hidden: [128, 128], policy: shared, agentIdInput: false }
 * intrinsic: []           # [{ name: count-novelty, weight: 0.05 }]: agents/learn/intrinsic's registry
 * # hierarchy: { lowLevel: { steps: 30000 }, manager: { maxOptionSteps: 24 } }   # navigation and crafter
 * ```
 */
export const TrainConfigFileSchema = z.strictObject({
  ...WORLD_FIELDS,
  /** World options (the world's own config, e.g. `maxSteps`, `size`), validated by the world. */
  params: z.record(z.string(), z.unknown()).optional(),
  /** Seed of the run: weights, sampling, env seeds all derive from it. */
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /** Env steps of the whole run (world steps; all agents act once per step). */
  totalSteps: count.optional(),
  /** Save a checkpoint each time this many more env steps are done (also at the end and on Ctrl-C). */
  checkpointEvery: count.optional(),
  /** TensorFlow.js backend. */
  backend: z.enum(BACKENDS).optional(),
  /** Worker threads stepping the envs (0: all in the main thread). Results do not depend on it. */
  workers: z.number().int().min(0).max(16).optional(),
  /** Output folder. */
  out: z.string().min(1).optional(),
  /** PPO hyperparameters (agents/learn/README.md); `policy: shared | per-agent`, `agentIdInput`. */
  ppo: z.record(z.string(), z.unknown()).optional(),
  /**
   * Intrinsic-reward modules with weights and options (`[{ name: count-novelty, weight: 0.05, scope: run }]`), built
   * by agents/learn/intrinsic's registry: the reward is extrinsic + sum weight * bonus, logged as `intrinsic/<name>`.
   */
  intrinsic: z.array(z.looseObject({ name: z.string().min(1), weight: z.number().min(0) })).optional(),
  /** A manager over a goal-conditioned low level (navigation, crafter): see `HierarchySchema` / `CrafterHierarchySchema` in cli/train-hierarchy.ts. */
  hierarchy: z.looseObject({}).optional(),
});
export type TrainConfigFile = z.infer<typeof TrainConfigFileSchema>;

/** A train config with every default filled in, as written to the run's `config.json`. */
export interface ResolvedTrainConfig {
  readonly world: string;
  readonly layout?: string;
  readonly rules?: string;
  readonly agents: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly totalSteps: number;
  readonly checkpointEvery: number;
  readonly backend: (typeof BACKENDS)[number];
  readonly workers: number;
  readonly out: string;
  /** Without `backend` and `totalSteps`, which are the run's fields above. */
  readonly ppo: Omit<PpoConfig, 'backend' | 'totalSteps'>;
  readonly intrinsic: readonly Readonly<Record<string, unknown>>[];
  /** Validated, with defaults (cli/train-hierarchy.ts), or null for flat PPO. */
  readonly hierarchy: Hierarchy | null;
}

export const TRAIN_DEFAULTS = { world: 'navigation', agents: 1, seed: 1, totalSteps: 100_000, backend: 'auto', workers: 0 } as const;

/** Reads a YAML or JSON train config; every problem is one {@link CliError} naming the file and the field. */
export function loadTrainConfigFile(path: string): TrainConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`--config: cannot read "${path}": ${describeFsError(err)}`);
  }
  const raw = parseConfigText(path, text);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new CliError(`${path}: a train config must be a mapping of fields (world, agents, ppo, ...)`);
  const parsed = TrainConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys' && issue.path.length === 0) {
      throw new CliError(`${path}: unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')} (allowed: ${Object.keys(TrainConfigFileSchema.shape).join(', ')})`);
    }
    if (issue?.path[0] === 'backend') throw new CliError(`${path}: field "backend": unknown backend ${JSON.stringify((raw as Record<string, unknown>).backend)}; expected ${listAllowed(BACKENDS)}`);
    throw new CliError(`${path}: field "${issue?.path.join('.') ?? '?'}": ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/**
 * File under flags, defaults filled in, everything checked except the world's own options (the world checks
 * `params` when it is built). `source` names the file in messages.
 */
export function resolveTrainConfig(file: TrainConfigFile, flags: TrainConfigFile, source: string, defaultOut: (name: string) => string): ResolvedTrainConfig {
  const merged: TrainConfigFile = { ...file };
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  if (merged.backend !== undefined && !(BACKENDS as readonly string[]).includes(merged.backend)) {
    throw new CliError(`--backend: unknown backend "${merged.backend}"; expected ${listAllowed(BACKENDS)}`);
  }
  const world = findWorld(merged.world ?? TRAIN_DEFAULTS.world);
  const variant = resolveVariant(world, merged);
  const agents = merged.agents ?? TRAIN_DEFAULTS.agents;
  checkAgentCount(world, agents);
  for (const key of world.reservedParams) {
    if (merged.params && Object.hasOwn(merged.params, key)) throw new CliError(`${source}: params.${key}: set it as a top-level field, not inside params`);
  }
  const ppoIn = merged.ppo ?? {};
  for (const key of ['backend', 'totalSteps'] as const) {
    if (Object.hasOwn(ppoIn, key)) throw new CliError(`${source}: ppo.${key}: set "${key}" as a top-level field (or --${key === 'backend' ? 'backend' : 'steps'}), not inside ppo`);
  }
  let ppo: PpoConfig;
  try {
    ppo = parsePpoConfig(ppoIn, `${source}: ppo`);
  } catch (err) {
    if (err instanceof PpoConfigError) throw new CliError(err.message.replace(/^invalid /, ''));
    throw err;
  }
  const { backend: _b, totalSteps: _t, ...ppoRest } = ppo;
  const totalSteps = merged.totalSteps ?? TRAIN_DEFAULTS.totalSteps;
  const workers = merged.workers ?? TRAIN_DEFAULTS.workers;
  const hierarchy = merged.hierarchy === undefined ? null : parseHierarchy(merged.hierarchy, { world: world.name, ...(world.variant.key === 'layout' && { layout: variant }), params: merged.params ?? {}, workers }, source);
  if (ppo.rolloutThread && workers > 0) throw new CliError(`${source}: ppo.rolloutThread: the rollout thread steps the envs itself; set workers: 0 (got ${workers})`);
  if (ppo.rolloutThread && hierarchy) throw new CliError(`${source}: ppo.rolloutThread: not supported with a hierarchy yet (the manager's world drives the low level in this thread)`);
  return Object.freeze({
    world: world.name,
    [world.variant.key]: variant,
    agents,
    params: Object.freeze({ ...(merged.params ?? {}) }),
    seed: merged.seed ?? TRAIN_DEFAULTS.seed,
    totalSteps,
    checkpointEvery: merged.checkpointEvery ?? Math.max(1, Math.ceil(totalSteps / 10)),
    backend: merged.backend ?? TRAIN_DEFAULTS.backend,
    workers,
    out: merged.out ?? defaultOut(`train-${world.name}-${variant}`),
    ppo: Object.freeze(ppoRest),
    intrinsic: Object.freeze([...(merged.intrinsic ?? [])]),
    hierarchy,
  });
}

/** The PPO config of a resolved train config (the run's backend and steps put back). */
export function ppoConfigOf(c: ResolvedTrainConfig): PpoConfig {
  return parsePpoConfig({ ...c.ppo, backend: c.backend, totalSteps: c.totalSteps });
}

/** Keys PPO accepts, for help text. */
export const PPO_KEYS = Object.keys(PpoConfigSchema.shape);
