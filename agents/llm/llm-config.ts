/**
 * Settings of the LLM plumbing: where the OpenAI-compatible server is, which model plays which role, how long a
 * call may take, how often to retry, what a token costs, where the cache lives. Validated once with zod, then frozen.
 *
 * ```yaml
 * llm:
 *   baseUrl: http://localhost:11434/v1     # Ollama; vLLM: http://localhost:8000/v1; OpenAI: the default
 *   models: { planner: llama3.1:8b, communicator: llama3.1:8b }
 *   timeoutMs: 20000
 *   pricePer1kTokens: { input: 0.0025, output: 0.01 }
 * ```
 */
import { z } from 'zod';

/** The roles an LLM plays; each may use its own model. */
export const LLM_ROLES = ['planner', 'communicator', 'labeller'] as const;
export type LlmRole = (typeof LLM_ROLES)[number];

const ms = z.number().int().min(1).max(3_600_000);

export const LlmConfigSchema = z.strictObject({
  /** Base URL of an OpenAI-compatible chat-completions API (ends in `/v1`). Default: OpenAI's. */
  baseUrl: z.url().default('https://api.openai.com/v1'),
  /** Environment variable holding the API key (never the key itself, so configs can be committed). */
  apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').default('OPENAI_API_KEY'),
  /** Model per role; `communicator` and `labeller` default to the planner's model. */
  models: z.strictObject({
    planner: z.string().min(1).default('gpt-4o-mini'),
    communicator: z.string().min(1).optional(),
    labeller: z.string().min(1).optional(),
  }).default({ planner: 'gpt-4o-mini' }),
  /** Sampling temperature (0: as repeatable as the server allows). */
  temperature: z.number().min(0).max(2).default(0),
  /** Largest reply, in tokens. */
  maxTokens: z.number().int().min(16).max(32_768).default(400),
  /** The request field for it: `max_tokens` (Ollama, vLLM, llama.cpp, older OpenAI models) or `max_completion_tokens` (OpenAI's reasoning models). */
  maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).default('max_tokens'),
  /** Ask for a JSON object (`response_format: json_object`); OpenAI, Ollama, vLLM and llama.cpp all take it. */
  jsonMode: z.boolean().default(true),
  /** One HTTP call's time limit. */
  timeoutMs: ms.default(30_000),
  /** Extra attempts after a 429, a 5xx, a timeout or a lost connection (each after a backoff). */
  retries: z.number().int().min(0).max(20).default(3),
  /** First backoff; doubles per retry up to `maxBackoffMs`. A `Retry-After` header wins when the server sends one. */
  backoffMs: ms.default(500),
  maxBackoffMs: ms.default(20_000),
  /** Repair prompts after a reply that is not valid (bad JSON, wrong schema), before the fail-safe takes over. */
  repairs: z.number().int().min(0).max(10).default(2),
  /** HTTP calls in flight at most, over every agent of the run. */
  concurrency: z.number().int().min(1).max(256).default(4),
  /** Price per 1000 tokens, to report a cost; none: tokens only. */
  pricePer1kTokens: z.strictObject({ input: z.number().min(0), output: z.number().min(0) }).optional(),
  /** On-disk reply cache (model + messages + parameters -> reply); null turns it off. */
  cacheDir: z.string().min(1).nullable().default('.cache/llm'),
  /** Folder of prompt templates replacing the shipped ones (same file names). */
  promptsDir: z.string().min(1).optional(),
  /** Steps the kg-planner drives an agent after the LLM failed, before the LLM is asked again (at most `maxOptionSteps`). */
  failSafeSteps: z.number().int().min(1).max(10_000).default(30),
  /** A subgoal ends after this many steps even if not reached. */
  maxOptionSteps: z.number().int().min(1).max(10_000).default(60),
  /** Steps an `explore` subgoal lasts. */
  exploreSteps: z.number().int().min(1).max(10_000).default(15),
});

export type LlmConfigInput = z.input<typeof LlmConfigSchema>;
export type LlmConfig = Readonly<z.infer<typeof LlmConfigSchema>>;

/** Validates an `llm` config section; the error names `source`, the field and what was expected. */
export function parseLlmConfig(raw: unknown, source = 'llm'): LlmConfig {
  const r = LlmConfigSchema.safeParse(raw ?? {});
  if (!r.success) {
    const i = r.error.issues[0]!;
    const where = i.path.length > 0 ? `${source}.${i.path.join('.')}` : source;
    throw new LlmConfigError(`${where}: ${i.message}`);
  }
  return Object.freeze({ ...r.data, models: Object.freeze({ ...r.data.models }) });
}

/** The model a role uses. */
export function modelFor(config: LlmConfig, role: LlmRole): string {
  return role === 'planner' ? config.models.planner : (config.models[role] ?? config.models.planner);
}

/** A bad `llm` config or prompt template: a user's mistake, reported in one line. */
export class LlmConfigError extends Error {
  override readonly name = 'LlmConfigError';
}

/**
 * Longest a whole plan may take: every repair round, each with every retry at the full timeout and backoff. A lockstep
 * run waits this long for an LLM agent before calling it hung.
 */
export function worstCasePlanMs(c: LlmConfig): number {
  const perCall = (c.retries + 1) * (c.timeoutMs + c.maxBackoffMs);
  return (c.repairs + 1) * perCall * 2 + 5_000; // x2: the communicator may add a call per plan
}
