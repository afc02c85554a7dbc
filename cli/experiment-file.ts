import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { z } from 'zod';
import { describeFsError, parseConfigText, RunConfigFileSchema } from './config.js';
import { CliError } from './errors.js';
import { TrainConfigFileSchema } from './train-config.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
/** A value a grid axis or a condition gives one field: a config value, or a flag's argument. */
export type ConditionValue = z.infer<typeof scalar>;

const seedNumber = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * An experiment file (YAML or JSON): conditions times seeds, each run by `canopy <command>`.
 *
 * ```yaml
 * name: coop-diamond
 * command: run                 # the canopy command each run is (run, or train once it is there)
 * config:                      # the command's config file, common to every run
 *   world: crafter
 *   rules: mac
 *   agent: kg-planner
 *   episodes: 1
 * grid:                        # every combination of these values is a condition
 *   agents: [1, 2, 6]
 *   shareMemory: [on, off]     # on/off are true/false in the config
 *   params.maxSteps: [100]     # a dotted name sets a nested field
 *   --backend: [wasm]          # a name starting with -- is passed as a command-line flag instead
 * exclude:                     # combinations left out (each a partial match)
 *   - { agents: 1, shareMemory: off }
 * conditions:                  # more conditions, after the grid's
 *   - set: { agents: 6, agent: llm }
 *     when: { env: OPENAI_BASE_URL }   # only when this variable is set
 * seeds: 20                    # seeds 0..19; or a list [3, 7]; or { first: 100, count: 20 }
 * metrics: [meanStepsToDiamond, diamondSuccessRate]   # headline columns of summary.md
 * ```
 */
export const ExperimentFileSchema = z.strictObject({
  /** Name of the experiment (default: the file's name); the default out folder is `runs/experiments/<name>`. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only').optional(),
  /** One line on what the experiment asks, copied into summary.md. */
  description: z.string().optional(),
  /** The canopy command each run is: `run` (default) or `train`. */
  command: z.string().regex(/^[a-z][a-z-]*$/, 'a canopy command name such as "run" or "train"').default('run'),
  /** The command's config, common to every run; a condition's values are set over it. */
  config: z.record(z.string(), z.unknown()).default({}),
  /** Axes: field (or `--flag`) -> values; every combination is one condition. */
  grid: z.record(z.string(), z.array(scalar).min(1, 'an axis needs at least one value')).default({}),
  /** Grid combinations to leave out: a combination matching every field of an entry is dropped. */
  exclude: z.array(z.record(z.string(), scalar)).default([]),
  /** Conditions added after the grid's, each `set` over the config; `when.env` names a variable that must be set. */
  conditions: z
    .array(z.strictObject({
      name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._=,+-]*$/, 'letters, digits and . _ = , + - only').optional(),
      set: z.record(z.string(), scalar),
      when: z.strictObject({ env: z.string().min(1) }).optional(),
    }))
    .default([]),
  /** Seeds each condition runs with: a count (0..n-1), a list, or `{ first, count }`. */
  seeds: z.union([
    z.number().int().min(1),
    z.array(seedNumber).min(1, 'give at least one seed'),
    z.strictObject({ first: seedNumber, count: z.number().int().min(1) }),
  ]),
  /** Summary metrics (names as in results.csv) for summary.md's headline table; default: a few common ones. */
  metrics: z.array(z.string().min(1)).optional(),
});

export type ExperimentFile = z.infer<typeof ExperimentFileSchema>;

/** One condition: its values by axis (as written), the config and flags every one of its runs gets. */
export interface Condition {
  /** Folder name under `runs/`, e.g. `agents=6,shareMemory=on`. */
  readonly id: string;
  /** Axis -> value as written in the file (`on`, not `true`), for tables and plots. */
  readonly values: Readonly<Record<string, ConditionValue>>;
  /** The command's config for this condition (no seed or out folder: each run adds its own). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Extra command-line flags (`--name value`). */
  readonly flags: readonly string[];
}

/** An experiment ready to run: the file, checked, with its conditions and seeds expanded. */
export interface ExperimentPlan {
  readonly name: string;
  readonly file: string;
  readonly description?: string;
  readonly command: string;
  /** Axes in order: grid axes, then fields that only extra conditions set. */
  readonly axes: readonly string[];
  readonly conditions: readonly Condition[];
  /** Conditions left out because their `when.env` variable is not set, with the variable's name. */
  readonly skipped: readonly { readonly id: string; readonly env: string }[];
  readonly seeds: readonly number[];
  readonly metrics?: readonly string[];
}

/** Config schemas of the commands known here, so a misspelt field fails before any run starts. */
const COMMAND_SCHEMAS: Readonly<Record<string, z.ZodObject>> = { run: RunConfigFileSchema, train: TrainConfigFileSchema };

/** Fields each run sets itself: an experiment may not set them. */
const PER_RUN_FIELDS = ['seed', 'out'];

/** Reads, validates and expands an experiment file; every problem is one {@link CliError} naming the file and field. */
export function loadExperimentFile(path: string, env: NodeJS.ProcessEnv = process.env): ExperimentPlan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`experiment file "${path}": cannot read it: ${describeFsError(err)}`);
  }
  return parseExperiment(path, text, env);
}

/** {@link loadExperimentFile} on text already read (`path` names it in errors and gives the default name). */
export function parseExperiment(path: string, text: string, env: NodeJS.ProcessEnv = process.env): ExperimentPlan {
  const raw = parseConfigText(path, text);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CliError(`${path}: an experiment file is a mapping (command, config, grid, seeds, ...)`);
  }
  if (!('seeds' in raw)) throw new CliError(`${path}: field "seeds" is missing: give a count (20), a list ([3, 7]) or { first: 100, count: 20 }`);
  const parsed = ExperimentFileSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(`${path}: ${describeIssue(parsed.error.issues[0])}`);
  return expand(path, parsed.data, env);
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid experiment file';
  const where = issue.path.length > 0 ? `field "${issue.path.join('.')}"` : 'experiment file';
  if (issue.code === 'unrecognized_keys') {
    const allowed = issue.path.length === 0 ? Object.keys(ExperimentFileSchema.shape).join(', ') : 'name, set, when (when: env)';
    return `${issue.path.length > 0 ? `${where}: ` : ''}unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')} (allowed: ${allowed})`;
  }
  if (issue.code === 'invalid_union' && issue.path[0] === 'seeds') return 'field "seeds": give a count (20), a list ([3, 7]) or { first: 100, count: 20 }';
  return `${where}: ${issue.message}`;
}

function expand(path: string, file: ExperimentFile, env: NodeJS.ProcessEnv): ExperimentPlan {
  const axes = Object.keys(file.grid);
  if (axes.length === 0 && file.conditions.length === 0) {
    throw new CliError(`${path}: the grid is empty: give at least one axis (e.g. grid: { agents: [1, 2] }) or a list of conditions`);
  }
  const schema = COMMAND_SCHEMAS[file.command];
  const known = schema ? Object.keys(schema.shape) : undefined;
  const checkField = (name: string, where: string) => {
    if (name.startsWith('--')) {
      if (!/^--[a-z][a-z0-9-]*$/.test(name)) throw new CliError(`${path}: ${where}: "${name}" is not a flag name`);
      return;
    }
    const top = name.split('.')[0]!;
    if (PER_RUN_FIELDS.includes(top)) throw new CliError(`${path}: ${where}: "${top}" is set for each run by the experiment (use "seeds" for seeds, --out for the folder)`);
    if (known && !known.includes(top)) throw new CliError(`${path}: ${where}: unknown field "${name}" for canopy ${file.command} (allowed: ${known.join(', ')}, or a --flag)`);
  };
  for (const name of Object.keys(file.config)) checkField(name, 'config');
  for (const name of axes) checkField(name, 'grid');
  file.exclude.forEach((ex, i) => {
    for (const name of Object.keys(ex)) if (!axes.includes(name)) throw new CliError(`${path}: exclude.${i}: "${name}" is not a grid axis (axes: ${axes.join(', ')})`);
  });
  file.conditions.forEach((c, i) => Object.keys(c.set).forEach((name) => checkField(name, `conditions.${i}.set`)));

  const combos: Record<string, ConditionValue>[] = axes.length === 0 ? [] : product(axes.map((a) => file.grid[a]!.map((v) => [a, v] as const)));
  const kept = combos.filter((c) => !file.exclude.some((ex) => Object.entries(ex).every(([k, v]) => sameValue(c[k], v))));
  if (axes.length > 0 && kept.length === 0) throw new CliError(`${path}: "exclude" leaves no condition of the grid`);
  // Fields only a left-out condition varies are no axis: they would be a column of one repeated value.
  const allAxes = [...axes];
  for (const c of file.conditions) {
    if (c.when && !env[c.when.env]) continue;
    for (const k of Object.keys(c.set)) if (!allAxes.includes(k)) allAxes.push(k);
  }

  const conditions: Condition[] = [];
  const skipped: { id: string; env: string }[] = [];
  const add = (values: Record<string, ConditionValue>, name?: string) => {
    const id = name ?? conditionId(values);
    if (conditions.some((c) => c.id === id) || skipped.some((c) => c.id === id)) throw new CliError(`${path}: two conditions are both "${id}"`);
    const config = structuredClone(file.config);
    const flags: string[] = [];
    for (const [k, v] of Object.entries(values)) {
      if (k.startsWith('--')) {
        if (v === true) flags.push(k);
        else if (v !== false) flags.push(k, String(v));
      } else setPath(config, k, toConfigValue(v, schema?.shape[k]));
    }
    conditions.push({ id, values, config, flags });
  };
  for (const c of kept) add(c);
  for (const c of file.conditions) {
    if (c.when && !env[c.when.env]) {
      skipped.push({ id: c.name ?? conditionId(c.set), env: c.when.env });
      continue;
    }
    add(c.set, c.name);
  }
  const seeds = typeof file.seeds === 'number' ? range(0, file.seeds)
    : Array.isArray(file.seeds) ? file.seeds : range(file.seeds.first, file.seeds.count);
  if (new Set(seeds).size !== seeds.length) throw new CliError(`${path}: field "seeds": a seed is listed twice`);
  return Object.freeze({
    name: file.name ?? basename(path, extname(path)),
    file: path,
    ...(file.description !== undefined && { description: file.description }),
    command: file.command,
    axes: allAxes,
    conditions,
    skipped,
    seeds,
    ...(file.metrics !== undefined && { metrics: file.metrics }),
  });
}

/** `agents=6,shareMemory=on`: readable, and a valid folder name. */
export function conditionId(values: Readonly<Record<string, ConditionValue>>): string {
  const parts = Object.entries(values).map(([k, v]) => `${k.replace(/^--/, '')}=${String(v)}`);
  return (parts.join(',') || 'default').replace(/[^A-Za-z0-9._=,+-]/g, '-');
}

/**
 * YAML 1.2 reads on/off as strings; config switches are booleans. Where the command's schema is known, only a field
 * that takes a boolean and not the word is switched (`memory: off` stays the word); otherwise every on/off is.
 */
function toConfigValue(v: ConditionValue, field?: z.ZodType): unknown {
  const word = v === 'on' || v === 'yes' ? true : v === 'off' || v === 'no' ? false : undefined;
  if (word === undefined) return v;
  if (field && (field.safeParse(v).success || !field.safeParse(word).success)) return v;
  return word;
}

function sameValue(a: ConditionValue | undefined, b: ConditionValue): boolean {
  return a === b || (a !== undefined && toConfigValue(a) === toConfigValue(b));
}

/** Sets a dotted field; a numeric part indexes a list (`intrinsic.0.name: count-novelty`). */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  keys.slice(0, -1).forEach((key, i) => {
    const next = node[key];
    const wantList = /^\d+$/.test(keys[i + 1]!);
    if (typeof next !== 'object' || next === null || Array.isArray(next) !== wantList) node[key] = wantList ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
  node[keys[keys.length - 1]!] = value;
}

function product(axes: (readonly (readonly [string, ConditionValue])[])[]): Record<string, ConditionValue>[] {
  let out: Record<string, ConditionValue>[] = [{}];
  for (const axis of axes) out = out.flatMap((partial) => axis.map(([k, v]) => ({ ...partial, [k]: v })));
  return out;
}

function range(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => first + i);
}
