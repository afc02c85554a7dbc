import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { CliError } from './errors.js';
import type { LlmConfig } from '../agents/llm/llm-config.js';

const MAX_SEED = Number.MAX_SAFE_INTEGER;

const count = z.number().int().min(1);

/**
 * What a run config file may hold (YAML or JSON). Every field is optional and a flag of the same name overrides
 * it. Unknown fields are rejected so a typo never silently falls back to a default.
 *
 * ```yaml
 * world: navigation
 * layout: four-rooms   # or, for crafter, rules: mac
 * agents: 4
 * agent: explorer
 * episodes: 20
 * seed: 1
 * params:          # world-specific; checked by the world itself
 *   maxSteps: 200
 * ```
 */
/** The fields that pick a world, shared by run and train config files (a flag of the same name overrides each). */
export const WORLD_FIELDS = {
  /** World name, e.g. `navigation`, `crafter`. */
  world: z.string().min(1).optional(),
  /** Layout within the world, e.g. `four-rooms` (navigation). */
  layout: z.string().min(1).optional(),
  /** Ruleset of the world, e.g. `mac` (crafter). */
  rules: z.string().min(1).optional(),
  /** Number of agents. */
  agents: count.optional(),
};

export const RunConfigFileSchema = z.strictObject({
  ...WORLD_FIELDS,
  /** Controller every agent uses, e.g. `explorer`. */
  agent: z.string().min(1).optional(),
  /** Stop after this many env steps in total (a partly played episode is not recorded). */
  steps: count.optional(),
  /** Stop after this many finished episodes. */
  episodes: count.optional(),
  /** Seed of the run's generator; everything random derives from it. */
  seed: z.number().int().min(0).max(MAX_SEED).optional(),
  /** Output folder. */
  out: z.string().min(1).optional(),
  /** Write every kernel event to `events.jsonl`. */
  events: z.boolean().optional(),
  /** Knowledge-graph store: `graphology` (in process, saved to memory.json; the default), `neo4j`, or `off`. */
  memory: z.enum(['graphology', 'neo4j', 'off']).optional(),
  /** Whether agents' facts are shared with their team (`true`, the default) or private to each agent. */
  shareMemory: z.boolean().optional(),
  /** Whether agents may send each other structured messages (default `true`). */
  messages: z.boolean().optional(),
  /** World-specific parameters, passed through to the world's own validation. */
  params: z.record(z.string(), z.unknown()).optional(),
  /** LLM agents (`--agent llm`): server, models per role, timeouts, cache (see agents/llm/llm-config.ts). */
  llm: z.record(z.string(), z.unknown()).optional(),
});

export type RunConfigFile = z.infer<typeof RunConfigFileSchema>;

/** The fields a user may set from the command line (already parsed into numbers where they are counts). */
export type RunOverrides = RunConfigFile & { readonly quiet?: boolean };

/** A run config with every default filled in, as written to `config.json`. */
export interface ResolvedRunConfig {
  readonly world: string;
  /** The world's variant: `layout` (navigation) or `rules` (crafter); exactly one is set. */
  readonly layout?: string;
  readonly rules?: string;
  readonly agents: number;
  readonly agent: string;
  /** Exactly one of `steps` and `episodes` is set; the other is null. */
  readonly steps: number | null;
  readonly episodes: number | null;
  readonly seed: number;
  readonly out: string;
  readonly events: boolean;
  readonly memory: 'graphology' | 'neo4j' | 'off';
  readonly shareMemory: boolean;
  readonly messages: boolean;
  readonly params: Readonly<Record<string, unknown>>;
  /** The validated `llm` section, for `--agent llm` only. */
  readonly llm?: LlmConfig;
}

/**
 * Reads a YAML or JSON run config. Every problem becomes one {@link CliError} line naming the file and, for a bad
 * field, the field and what it accepts.
 */
export function loadConfigFile(path: string): RunConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`--config: cannot read "${path}": ${describeFsError(err)}`);
  }
  const raw = parseConfigText(path, text);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CliError(`${path}: a run config must be a mapping of fields (world, layout, agents, ...), got ${raw === null ? 'nothing' : Array.isArray(raw) ? 'a list' : typeof raw}`);
  }
  const parsed = RunConfigFileSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(`${path}: ${describeZodIssue(parsed.error.issues[0])}`);
  return parsed.data;
}

/** A config file's text as data: JSON for `.json`, YAML (duplicate keys refused) otherwise; errors name the file. */
export function parseConfigText(path: string, text: string): unknown {
  if (extname(path).toLowerCase() === '.json') {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new CliError(`${path}: invalid JSON: ${firstLine((err as Error).message)}`);
    }
  }
  // YAML is a superset of JSON, so any other extension is read as YAML.
  const doc = parseDocument(text, { uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) throw new CliError(`${path}: invalid YAML: ${firstLine(problem.message)}`);
  return doc.toJS();
}

/** One zod issue as `field "x": what was wrong`. */
export function describeZodIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid config';
  const where = issue.path.length > 0 ? `field "${issue.path.join('.')}"` : 'config';
  if (issue.code === 'unrecognized_keys') {
    const allowed = Object.keys(RunConfigFileSchema.shape).join(', ');
    const prefix = issue.path.length > 0 ? `${where}: ` : '';
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `${prefix}unknown field ${keys} (allowed: ${allowed})`;
  }
  return `${where}: ${issue.message}`;
}

/**
 * Parses a count flag (`--agents 3`): a positive integer written in decimal digits. `--agents 2.5`, `--agents -1`
 * and `--agents lots` all fail with a message that names the flag.
 */
export function parseCountFlag(flag: string, value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new CliError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

/** Parses an on/off flag (`--messages off`); `true`/`false` and `yes`/`no` are accepted too. */
export function parseSwitchFlag(flag: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'on' || v === 'true' || v === 'yes') return true;
  if (v === 'off' || v === 'false' || v === 'no') return false;
  throw new CliError(`${flag} must be on or off, got "${value}"`);
}

/** Parses `--seed`: a non-negative integer. */
export function parseSeedFlag(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > MAX_SEED) throw new CliError(`--seed must be a non-negative integer, got "${value}"`);
  return n;
}

/**
 * Flags over the config file. `--steps` and `--episodes` are one stop condition: a flag for either replaces
 * whatever the file said; giving both in one place is an error because it is ambiguous which one should win.
 */
export function mergeConfig(file: RunConfigFile, flags: RunConfigFile, source: string): RunConfigFile {
  if (flags.steps !== undefined && flags.episodes !== undefined) {
    throw new CliError('give either --steps or --episodes, not both');
  }
  if (file.steps !== undefined && file.episodes !== undefined) {
    throw new CliError(`${source}: give either "steps" or "episodes", not both`);
  }
  const merged: RunConfigFile = { ...file };
  for (const [key, value] of Object.entries(flags)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  if (flags.steps !== undefined) delete merged.episodes;
  if (flags.episodes !== undefined) delete merged.steps;
  return merged;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

/** A file-system error as a few words (`no such file`, `permission denied`). */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return firstLine((err as Error).message);
  }
}
