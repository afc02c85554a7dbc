/** LLM agents over an OpenAI-compatible chat-completions API (`--agent llm`); see agents/llm/README.md. */
export { LlmClient, LlmCallError, retryAfterMs } from './llm-client.js';
export type { ChatMessage, LlmClientOptions, LlmReply, LlmRequest, LlmUsage } from './llm-client.js';
export { LLM_ROLES, LlmConfigError, LlmConfigSchema, modelFor, parseLlmConfig, worstCasePlanMs } from './llm-config.js';
export type { LlmConfig, LlmConfigInput, LlmRole } from './llm-config.js';
export { LlmCache, cacheKey } from './llm-cache.js';
export { PromptTemplate, SHIPPED_PROMPTS } from './prompt-template.js';
export { LlmCrafterController, createLlmCrafterController, loadLlmPrompts } from './llm-planner.js';
export type { LlmAgentEvent, LlmAgentOptions, LlmPrompts } from './llm-planner.js';
export { crafterSubgoals, extractJson, parsePlanReply, planSchema, shareableItems } from './plan-schema.js';
export type { LlmPlan, PlanParse } from './plan-schema.js';
export { PLAN_PLACEHOLDERS, buildPlanContext } from './plan-context.js';
export { CrafterPerception, SubgoalExecutor } from './subgoal-executor.js';
export type { LlmSubgoal } from './subgoal-executor.js';
export { KgFailSafe } from './kg-fail-safe.js';
