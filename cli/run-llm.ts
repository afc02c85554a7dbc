import { LlmClient } from '../agents/llm/llm-client.js';
import { LlmConfigError, parseLlmConfig, worstCasePlanMs } from '../agents/llm/llm-config.js';
import type { LlmConfig } from '../agents/llm/llm-config.js';
import { loadLlmPrompts } from '../agents/llm/llm-planner.js';
import type { LlmAgentEvent, LlmPrompts } from '../agents/llm/llm-planner.js';
import { CliError } from './errors.js';
import type { LlmRuntime } from './world-registry.js';

/**
 * The `llm` section from the config file with `--llm-base-url` and `--llm-model` over it, validated. Without a URL
 * in either, `OPENAI_BASE_URL` (the variable OpenAI's own clients read) names the server, as it does for them.
 */
export function resolveLlmConfig(
  section: Readonly<Record<string, unknown>> | undefined, flags: { baseUrl?: string; model?: string }, source: string,
  env: NodeJS.ProcessEnv = process.env,
): LlmConfig {
  const raw: Record<string, unknown> = { ...section };
  if (flags.baseUrl !== undefined) raw['baseUrl'] = flags.baseUrl;
  else if (raw['baseUrl'] === undefined && env['OPENAI_BASE_URL']) raw['baseUrl'] = env['OPENAI_BASE_URL'];
  if (flags.model !== undefined) raw['models'] = { ...(raw['models'] as object | undefined), planner: flags.model };
  try {
    return parseLlmConfig(raw, `${source}: llm`);
  } catch (err) {
    if (err instanceof LlmConfigError) throw new CliError(err.message);
    throw err;
  }
}

/** `summary.json`'s `llm` field. */
export type LlmSummary = ReturnType<LlmClient['summary']> & { readonly events: Readonly<Record<string, number>> };

export interface RunLlm {
  readonly runtime: LlmRuntime;
  /** How long lockstep waits for an LLM agent before calling it hung: longer than any plan can take. */
  readonly lockstepTimeoutMs: number;
  /** Waits for calls in flight (none in lockstep), then stops the client. */
  close(): Promise<LlmSummary>;
}

/**
 * Checks what an LLM run needs before anything is written (a bad template or a missing API key is a
 * {@link CliError}), and returns how to open its client in the run folder. The key comes from the environment
 * variable the config names; a local server (Ollama, vLLM, llama.cpp) takes any key, so it is only required for
 * OpenAI's own URL.
 */
export function prepareRunLlm(config: LlmConfig, env: NodeJS.ProcessEnv = process.env): { open(dir: string): RunLlm } {
  const key = env[config.apiKeyEnv];
  if (!key && new URL(config.baseUrl).hostname === 'api.openai.com') {
    throw new CliError(`--agent llm: set ${config.apiKeyEnv} to your API key for ${config.baseUrl} (or point --llm-base-url at a local server)`);
  }
  let prompts: LlmPrompts;
  try {
    prompts = loadLlmPrompts(config.promptsDir);
  } catch (err) {
    if (err instanceof LlmConfigError) throw new CliError(err.message);
    throw err;
  }
  return { open: (dir) => openRunLlm(config, prompts, key || 'unused', dir) };
}

/** The run's one client (cache, concurrency cap, accounting, transcripts in `dir`) and its event counts. */
function openRunLlm(config: LlmConfig, prompts: LlmPrompts, apiKey: string, dir: string): RunLlm {
  const client = new LlmClient(config, { apiKey, runDir: dir });
  const events: Record<string, number> = {};
  const onEvent = (e: LlmAgentEvent) => {
    events[e.type] = (events[e.type] ?? 0) + 1;
    if (e.type !== 'llmPlan') client.log(e.agent, e); // fallbacks and repairs, in the agent's transcript
  };
  return {
    runtime: { client, prompts, onEvent },
    lockstepTimeoutMs: worstCasePlanMs(config),
    async close() {
      await client.idle();
      client.close();
      return { ...client.summary(), events };
    },
  };
}
