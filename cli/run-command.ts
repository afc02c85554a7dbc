import { randomInt } from 'node:crypto';
import { isAbsolute, join, relative } from 'node:path';
import { Simulation } from '../core/simulation.js';
import { MessageChannel } from '../core/message-channel.js';
import { parseTeamMessage } from '../memory/messages.js';
import type { TeamMessage } from '../memory/messages.js';
import { TrajectoryHasher } from '../core/trajectory-hash.js';
import { EpisodeMetricsCollector } from '../core/metrics.js';
import type { CliIo } from './cli-io.js';
import { PROCESS_IO } from './cli-io.js';
import { CliError } from './errors.js';
import { loadConfigFile, mergeConfig, parseCountFlag, parseSeedFlag, parseSwitchFlag } from './config.js';
import type { ResolvedRunConfig, RunConfigFile } from './config.js';
import { canopyVersion } from './version.js';
import { JsonlWriter, defaultOutFolder, prepareOutFolder, writeJsonFile } from './output.js';
import { createProgressReporter } from './progress.js';
import type { RunProgress } from './progress.js';
import { formatSummary, summarizeRun } from './summary.js';
import { asUserError, checkAgentCount, checkAgentMemory, checkAgentName, controllerFactory, findWorld, resolveVariant } from './world-registry.js';
import type { RunRecorder } from './run-recorder.js';
import type { WorldEntry } from './world-registry.js';
import { MEMORY_STORES, openRunMemory } from './run-memory.js';
import type { MemoryStoreName, MemorySummary } from './run-memory.js';
import { listAllowed, oneLine } from './errors.js';
import type { ParallelEnv } from '../core/parallel-env.js';
import { MAX_STEPS_PER_SECOND } from '../core/simulation-command.js';
import { GraphTap } from '../viewer/server/tap-store.js';
import { HumanOverride } from '../viewer/server/human-override.js';
import { serveSimulation } from '../viewer/server/serve-simulation.js';
import type { ServedSimulation } from '../viewer/server/serve-simulation.js';
import { ReplayRecorder } from '../viewer/replay/replay-recorder.js';
import { REPLAY_FILE } from '../viewer/replay/replay-file.js';
import { viewerPageDir } from './viewer-page.js';
import { prepareRunLlm, resolveLlmConfig } from './run-llm.js';
import type { LlmSummary } from './run-llm.js';
import { isPolicyAgent, loadPolicyAgents } from './policy-agent.js';

/** `canopy run` flags as commander hands them over: strings, checked here. */
export interface RunFlags {
  readonly world?: string;
  readonly layout?: string;
  readonly rules?: string;
  readonly agents?: string;
  readonly agent?: string;
  readonly steps?: string;
  readonly episodes?: string;
  readonly seed?: string;
  readonly config?: string;
  readonly out?: string;
  readonly events?: boolean;
  readonly memory?: string;
  readonly shareMemory?: string;
  readonly messages?: string;
  readonly quiet?: boolean;
  readonly llmBaseUrl?: string;
  readonly llmModel?: string;
  /** TensorFlow.js backend for `--agent policy:DIR` (default auto). */
  readonly backend?: string;
  /** `--viewer [port]`: run in realtime and serve the viewer (true: the default port). */
  readonly viewer?: string | boolean;
  /** `--host <addr>`: the viewer's interface (default 127.0.0.1). */
  readonly host?: string;
  /** `--viewer-speed <steps/s>`: realtime pace with the viewer (default 10). */
  readonly viewerSpeed?: string;
  /** `--viewer-private`: no read-only viewing without the token. */
  readonly viewerPrivate?: boolean;
}

/** The viewer's port when `--viewer` names none; a busy port falls back to a free one. */
export const DEFAULT_VIEWER_PORT = 8765;

/** Messages each agent may send per step (as in `npm run bench:coop`). */
export const MESSAGE_BUDGET_PER_STEP = 1;

const DEFAULTS = { world: 'navigation', agents: 1, agent: 'random', episodes: 10 } as const;

/**
 * Flags over config file over `base` (fields a caller such as `canopy eval` sets) over defaults; every value
 * checked. Throws a {@link CliError} for any bad input.
 */
export function resolveRunConfig(flags: RunFlags, base: RunConfigFile = {}): ResolvedRunConfig {
  const fromFlags: RunConfigFile = {
    ...(flags.world !== undefined && { world: flags.world }),
    ...(flags.layout !== undefined && { layout: flags.layout }),
    ...(flags.rules !== undefined && { rules: flags.rules }),
    ...(flags.agents !== undefined && { agents: parseCountFlag('--agents', flags.agents) }),
    ...(flags.agent !== undefined && { agent: flags.agent }),
    ...(flags.steps !== undefined && { steps: parseCountFlag('--steps', flags.steps) }),
    ...(flags.episodes !== undefined && { episodes: parseCountFlag('--episodes', flags.episodes) }),
    ...(flags.seed !== undefined && { seed: parseSeedFlag(flags.seed) }),
    ...(flags.out !== undefined && { out: flags.out }),
    ...(flags.events !== undefined && { events: flags.events }),
    ...(flags.memory !== undefined && { memory: parseMemoryFlag(flags.memory) }),
    ...(flags.shareMemory !== undefined && { shareMemory: parseSwitchFlag('--share-memory', flags.shareMemory) }),
    ...(flags.messages !== undefined && { messages: parseSwitchFlag('--messages', flags.messages) }),
  };
  const file = { ...base, ...(flags.config !== undefined ? loadConfigFile(flags.config) : {}) };
  const merged = mergeConfig(file, fromFlags, flags.config ?? 'config');

  const world = findWorld(merged.world ?? DEFAULTS.world);
  const variant = resolveVariant(world, merged);
  const agents = merged.agents ?? DEFAULTS.agents;
  checkAgentCount(world, agents);
  const agent = merged.agent ?? DEFAULTS.agent;
  if (!isPolicyAgent(agent)) checkAgentName(world, agent);
  // Run fields a world also takes: the run's value is the one that counts, so a copy in `params` is refused.
  for (const key of world.reservedParams) {
    if (merged.params && Object.hasOwn(merged.params, key)) {
      const field = key === 'agents' || key === 'seed' ? key : world.variant.key;
      throw new CliError(`params.${key}: set "${field}" as a top-level field or with --${field}, not inside params`);
    }
  }
  checkAgentMemory(world, agent, merged.memory ?? 'graphology');
  // The llm section is checked whenever it is given (a typo should not wait for the day it is used).
  const llmFlags = { ...(flags.llmBaseUrl !== undefined && { baseUrl: flags.llmBaseUrl }), ...(flags.llmModel !== undefined && { model: flags.llmModel }) };
  const llm = agent === 'llm' || merged.llm !== undefined || Object.keys(llmFlags).length > 0
    ? resolveLlmConfig(merged.llm, llmFlags, flags.config ?? 'config') : undefined;
  // With the viewer and no limit, the run goes on until stopped (Ctrl-C).
  const bounded = merged.steps !== undefined || merged.episodes !== undefined || flags.viewer !== undefined;
  return Object.freeze({
    world: world.name,
    [world.variant.key]: variant,
    agents,
    agent,
    steps: merged.steps ?? null,
    episodes: merged.episodes ?? (bounded ? null : DEFAULTS.episodes),
    // A run without a seed still gets one, recorded in config.json, so every run can be replayed.
    seed: merged.seed ?? randomInt(0, 2 ** 31 - 1),
    out: merged.out ?? defaultOutFolder(`${world.name}-${variant}`),
    events: merged.events ?? false,
    memory: merged.memory ?? 'graphology',
    shareMemory: merged.shareMemory ?? true,
    messages: merged.messages ?? true,
    params: Object.freeze({ ...(merged.params ?? {}) }),
    ...(llm && { llm }),
  });
}

/** `canopy run`: returns the exit code (0 done, 130 interrupted). Bad input throws a {@link CliError}. */
export async function runCommand(flags: RunFlags, io: CliIo = PROCESS_IO, baseConfig: RunConfigFile = {}, opts: { greedy?: boolean } = {}): Promise<number> {
  const config = resolveRunConfig(flags, baseConfig);
  const world = findWorld(config.world);
  // A trained policy (`--agent policy:DIR`) is loaded, and checked against this world, before anything is written.
  const policy = isPolicyAgent(config.agent)
    ? await loadPolicyAgents(config.agent, { world: config.world, variant: variantOf(config), agents: config.agents, backend: flags.backend ?? 'auto', quiet: flags.quiet ?? false, ...(opts.greedy !== undefined && { greedy: opts.greedy }) })
    : null;
  // Build the world before creating the out folder: a bad `params` should leave nothing behind.
  const env = world.create({ variant: variantOf(config), agents: config.agents, params: config.params });
  // Some config errors show only when a map is generated (too few cells for the agents): try one reset first.
  asUserError(world, () => env.reset({ seed: config.seed }));
  // LLM agents share one client: the cache, the concurrency cap and the accounting are the run's. Checked here (key,
  // templates) so that a mistake leaves no folder behind.
  const llmPrep = config.agent === 'llm' && config.llm ? prepareRunLlm(config.llm) : undefined;
  const viewer = flags.viewer !== undefined ? parseViewerFlags(flags) : null;
  const dir = prepareOutFolder(config.out, [...world.files, REPLAY_FILE]);
  // The graph's write batches, for the replay and the viewer (the rules' batches included, kept until they listen).
  const tap = new GraphTap();
  // Before config.json: a Neo4j that cannot be reached leaves the folder unused.
  const memory = await openRunMemory({
    store: config.memory, shared: config.shareMemory, dir, env, world: world.memory,
    // The run goes on while the store is away; its writes wait in the queue (nothing is dropped) and this says so.
    onStatus: (st) => io.stderr.write(`warning: memory (${config.memory}): ${st.kind}: ${st.message} (${st.queued} writes queued)\n`),
    wrapStore: (store) => tap.wrap(store),
  });
  writeJsonFile(join(dir, 'config.json'), { canopyVersion: canopyVersion(), ...config, ...(policy && { backend: policy.backend }) });
  const llm = llmPrep?.open(dir);

  // One channel for the team's structured messages; bodies are validated (they may come from an LLM).
  const channel = config.messages ? new MessageChannel<TeamMessage>({ parse: parseTeamMessage, budgetPerStep: MESSAGE_BUDGET_PER_STEP }) : undefined;
  const agentContext = { kg: memory.kg, shareMemory: config.shareMemory, messages: channel, ...(llm && { llm: llm.runtime }) };
  // Keyboard play from the viewer: a viewer's queued action replaces the agent's own for one step.
  const human = viewer ? new HumanOverride() : undefined;
  const controllers = policy ? (agent: string) => policy.controller(agent) as never : controllerFactory(world, config.agent, agentContext);
  const sim = new Simulation({
    env, seed: config.seed,
    controllers: human ? human.wrap(controllers) : controllers,
    ...(channel && { channels: [channel] }),
    ...(llm && { lockstepTimeoutMs: llm.lockstepTimeoutMs }),
  });
  const replay = new ReplayRecorder(join(dir, REPLAY_FILE), sim, { seed: config.seed });
  tap.subscribe((batch) => replay.graph(batch));
  memory.follow(sim.events$);
  const hasher = new TrajectoryHasher();
  hasher.follow(sim);
  const episodesOut = new JsonlWriter(join(dir, 'episodes.jsonl'));
  const eventsOut = config.events ? new JsonlWriter(join(dir, 'events.jsonl')) : null;
  if (eventsOut) sim.events$.subscribe((event) => eventsOut.write(event));
  const recorders: RunRecorder[] = world.recorders.map((make) => make({ env, dir, events$: sim.events$ }));
  const metrics = new EpisodeMetricsCollector();
  metrics.attach(sim.events$);
  // Flat lines, world metrics (success, coverage, ...) at top level, as Crafter's stats.jsonl.
  metrics.episodes$.subscribe((r) => episodesOut.write({ episode: r.episode, length: r.length, rewards: r.returns, ...r.metrics }));

  const served = viewer ? await startViewer(viewer, { sim, env, world, config, human: human!, tap, io }) : null;
  const progress = createProgressReporter({ quiet: (flags.quiet ?? false) || served !== null, stream: io.stdout });
  const budget = config.steps !== null ? { unit: 'steps' as const, total: config.steps } : { unit: 'episodes' as const, total: config.episodes ?? 1 };
  const snapshot = (): RunProgress => ({ steps: sim.totalSteps, episodes: metrics.records.length, successRate: metrics.successRate });
  sim.transitions$.subscribe(() => progress.update(snapshot()));

  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const started = performance.now();
  let status: 'completed' | 'interrupted' | 'error' = 'completed';
  let error: string | undefined;
  let memorySummary: MemorySummary | null = null;
  let llmSummary: LlmSummary | null = null;
  progress.start(budget);
  try {
    // run() yields to the event loop every few ms, so Ctrl-C (the signal) stops it between two steps.
    const limits = {
      ...(config.steps !== null && { steps: config.steps }),
      ...(config.episodes !== null && { episodes: config.episodes }),
      signal: abort.signal,
      // A store far behind (Neo4j away for long) holds the run at the queue's bound instead of growing it without end.
      ...(memory.kg ? { pace: () => memory.kg?.backpressure() } : {}),
    };
    // A later episode's map may still be too small (layouts are random): a user error too, not a crash.
    const result = await asUserErrorAsync(world, () => (viewer ? sim.runRealtime({ ...limits, stepsPerSecond: viewer.speed }) : sim.run(limits)));
    if (result.status === 'error') {
      status = 'error';
      error = result.error?.message;
    }
    if (abort.signal.aborted) status = 'interrupted';
  } finally {
    process.off('SIGINT', onSigint);
    progress.stop(snapshot());
    episodesOut.close();
    eventsOut?.close();
    replay.close();
    await served?.close();
    for (const r of recorders) r.close();
    // Every queued fact is written before the summary says how many there are.
    memorySummary = await memory.close();
    llmSummary = (await llm?.close()) ?? null;
  }
  const seconds = (performance.now() - started) / 1000;
  sim.close();
  policy?.dispose();

  const base = summarizeRun({ config, metrics: metrics.summary(), steps: sim.totalSteps, seconds, trajectoryHash: hasher.digest(), status, error });
  const summary = Object.assign({}, base, ...recorders.map((r) => r.summary()), memorySummary ? { memory: memorySummary } : {}, llmSummary ? { llm: llmSummary } : {}) as typeof base;
  writeJsonFile(join(dir, 'summary.json'), summary);
  const extra = [...recorders.flatMap((r) => r.summaryLines?.() ?? []), ...(llmSummary ? [llmLine(llmSummary)] : [])];
  if (!flags.quiet) io.stdout.write(formatSummary(summary, displayPath(dir), extra));
  if (status === 'error') {
    io.stderr.write(`error: the run stopped: ${error ?? 'unknown error'}\n`);
    return 1;
  }
  return status === 'interrupted' ? 130 : 0;
}

/** One line about the LLM calls of a run. */
function llmLine(s: LlmSummary): string {
  const t = s.total;
  const cost = t.cost !== undefined ? `, cost ${t.cost}` : '';
  return `  llm: ${t.calls} calls (${t.cacheHits} from cache, ${t.httpCalls} HTTP, ${t.retries} retries), ${t.promptTokens}+${t.completionTokens} tokens${cost}; ${t.repairs} repairs, ${t.fallbacks} fallbacks; transcripts in transcripts/`;
}

interface ViewerFlags { readonly port: number; readonly host: string; readonly speed: number; readonly allowViewers: boolean }

function parseViewerFlags(flags: RunFlags): ViewerFlags {
  const port = flags.viewer === true || flags.viewer === undefined ? DEFAULT_VIEWER_PORT : Number(flags.viewer);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--viewer: a port number 0..65535 (0: any free port), got "${String(flags.viewer)}"`);
  const speed = flags.viewerSpeed === undefined ? 10 : Number(flags.viewerSpeed);
  if (!(speed > 0 && speed <= MAX_STEPS_PER_SECOND)) throw new CliError(`--viewer-speed: steps per second in (0, ${MAX_STEPS_PER_SECOND}], got "${flags.viewerSpeed}"`);
  return { port, host: flags.host ?? '127.0.0.1', speed, allowViewers: !(flags.viewerPrivate ?? false) };
}

interface ViewerRun {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any world's simulation
  readonly sim: Simulation<any, any, any, any>;
  readonly env: ParallelEnv;
  readonly world: WorldEntry;
  readonly config: ResolvedRunConfig;
  readonly human: HumanOverride;
  readonly tap: GraphTap;
  readonly io: CliIo;
}

/** Starts the viewer on the run (on the given port, or a free one when the default port is taken) and prints its URL. */
async function startViewer(v: ViewerFlags, r: ViewerRun): Promise<ServedSimulation<unknown>> {
  const pageDir = await viewerPageDir(r.io);
  const options = {
    pageDir, sim: r.sim, adapter: r.world.view(r.env), seed: r.config.seed, run: { ...r.config }, human: r.human, graph: r.tap,
    host: v.host, allowViewers: v.allowViewers, log: (line: string) => r.io.stderr.write(`viewer: ${line}\n`),
  };
  let served: ServedSimulation<unknown>;
  try {
    served = await serveSimulation({ ...options, port: v.port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || v.port !== DEFAULT_VIEWER_PORT) {
      throw new CliError(`--viewer: cannot listen on ${v.host}:${v.port}: ${oneLine((err as Error).message)}`);
    }
    served = await serveSimulation({ ...options, port: 0 });
  }
  r.io.stdout.write(`viewer: ${served.server.url}\n`);
  r.io.stdout.write(`viewer: read-only: ${v.allowViewers ? served.server.viewUrl : 'off (--viewer-private)'}; Ctrl-C stops the run\n`);
  return served;
}

function parseMemoryFlag(value: string): MemoryStoreName {
  if ((MEMORY_STORES as readonly string[]).includes(value)) return value as MemoryStoreName;
  throw new CliError(`--memory: unknown store "${value}"; expected ${listAllowed(MEMORY_STORES)}`);
}

/** The run's variant: its layout or its rules. */
export function variantOf(config: ResolvedRunConfig): string {
  const v = config.layout ?? config.rules;
  if (v === undefined) throw new Error('a resolved run config has a layout or rules');
  return v;
}

/** `runs/...` when the folder is below the working directory, else the absolute path. */
function displayPath(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : dir;
}

async function asUserErrorAsync<T>(world: WorldEntry, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    return asUserError(world, () => {
      throw err;
    });
  }
}
