import { Command, CommanderError } from 'commander';
import type { CliIo } from './cli-io.js';
import { PROCESS_IO } from './cli-io.js';
import { CliError, INTERNAL_EXIT_CODE, USAGE_EXIT_CODE, oneLine } from './errors.js';
import type { RunFlags } from './run-command.js';
import type { TrainFlags } from './train-command.js';
import type { EvalFlags } from './eval-command.js';
import type { ExperimentFlags } from './experiment-command.js';
import type { ViewFlags } from './view-command.js';
import { WORLDS } from './world-registry.js';
import { canopyVersion } from './version.js';

function buildProgram(exit: { code: number }, io: CliIo): Command {
  const program = new Command('canopy')
    .description('canopy: multi-agent simulation with hierarchical RL and knowledge-graph memory')
    .version(canopyVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    // One line per error, suggestion included: scripts and people grep for "error: ".
    .configureOutput({
      writeOut: (str) => io.stdout.write(str),
      writeErr: (str) => io.stderr.write(str),
      outputError: (str, write) => write(`${oneLine(str.startsWith('error:') ? str : `error: ${str}`)}\n`) });

  const worlds = Object.values(WORLDS)
    .map((w) =>
      `  ${w.name}: ${w.description}\n` +
      `    --${w.variant.key}: ${w.variant.values.join(', ')} (default ${w.variant.default})\n` +
      `    --agent: ${Object.keys(w.agents).join(', ')}; --agents: ${w.maxAgents !== undefined ? `1..${w.maxAgents}` : '1 or more (as many as the map holds)'}` +
      (w.files.length > 0 ? `\n    also writes: ${w.files.join(', ')}` : ''))
    .join('\n');

  program
    .command('run')
    .description('run agents in a world and write the results to an out folder')
    .option('--world <name>', `world to run (${Object.keys(WORLDS).join(', ')}; default navigation)`)
    .option('--layout <name>', "navigation: layout within the world (default: the world's default layout)")
    .option('--rules <name>', 'crafter: ruleset, crafter or mac (default crafter)')
    .option('--agents <n>', 'number of agents (default 1)')
    .option('--agent <name>', 'controller every agent uses, one the world allows (see Worlds below; default random), or policy:DIR (a `canopy train` run)')
    .option('--steps <n>', 'stop after N env steps in total (an episode cut short is not recorded)')
    .option('--episodes <n>', 'stop after N finished episodes (default 10 when neither is given)')
    .option('--seed <n>', 'seed of the run (default: a random one, recorded in config.json)')
    .option('--config <file>', 'YAML or JSON run config; flags override its fields')
    .option('--out <dir>', 'output folder (default runs/<time>-<world>-<layout or rules>)')
    .option('--events', 'also write every kernel event to events.jsonl')
    .option('--memory <store>', 'knowledge graph: graphology (in process, saved to memory.json; default), neo4j (NEO4J_URI, or the server of `npm run neo4j:start`) or off')
    .option('--share-memory <on|off>', "agents' facts shared with their team (on, default) or private to each")
    .option('--messages <on|off>', 'structured messages between teammates (on, default) or none')
    .option('--llm-base-url <url>', 'crafter --agent llm: OpenAI-compatible server (e.g. http://localhost:11434/v1 for Ollama; default OpenAI)')
    .option('--llm-model <name>', "crafter --agent llm: the planner's model (default gpt-4o-mini; the config's llm.models sets one per role)")
    .option('--backend <name>', 'tfjs backend for --agent policy:DIR: auto, gpu, node, wasm or cpu (default auto)')
    .option('--quiet', 'print nothing but errors')
    .option('--viewer [port]', `run in realtime and serve the live viewer on 127.0.0.1 (default port 8765); prints the URL with the control token`)
    .option('--host <addr>', 'viewer: interface to listen on (default 127.0.0.1; 0.0.0.0 exposes it to the network)')
    .option('--viewer-speed <steps/s>', 'viewer: realtime steps per second (default 10; the page can change it)')
    .option('--viewer-private', 'viewer: refuse viewers without the token (default: they may watch, read-only)')
    .addHelpText(
      'after',
      `\nWorlds:\n${worlds}\n\nExamples:\n` +
        '  canopy run --world navigation --layout maze --agents 2 --agent explorer --episodes 20 --seed 7\n' +
        '  canopy run --world crafter --rules mac --agents 6 --agent scripted --episodes 5 --seed 1\n' +
        '  canopy run --config runs.yaml --seed 3 --out runs/seed-3\n\n' +
        'Out folder: config.json, episodes.jsonl, summary.json, memory.json (graphology memory), events.jsonl (--events),\n' +
        'stats.jsonl (crafter), transcripts/<agent>.jsonl (--agent llm), replay.jsonl.gz (watch it with `canopy view <out folder>`).',
    )
    .action(async (flags: RunFlags) => {
      // Loaded on use, so that --help and --version do not load the kernel.
      const { runCommand } = await import('./run-command.js');
      exit.code = await runCommand(flags, io);
    });

  program
    .command('train')
    .description('train agents with PPO; writes config.json, metrics.jsonl, checkpoint/ and summary.json to an out folder')
    .option('--config <file>', 'YAML or JSON train config (world, agents, params, ppo, totalSteps, ...); flags override it')
    .option('--world <name>', `world to train in (${Object.keys(WORLDS).join(', ')}; default navigation)`)
    .option('--layout <name>', 'navigation: layout')
    .option('--rules <name>', 'crafter: ruleset')
    .option('--agents <n>', 'agents per world (default 1)')
    .option('--seed <n>', 'seed of the run (default 1)')
    .option('--steps <n>', 'total env steps (default 100000)')
    .option('--checkpoint-every <n>', 'checkpoint every N env steps (default a tenth of the run); also at the end and on Ctrl-C')
    .option('--backend <name>', 'tfjs backend: auto, gpu, node, wasm or cpu (default auto: gpu, then node, then wasm)')
    .option('--workers <n>', 'worker threads stepping the envs (default 0: in the main thread); results do not depend on it')
    .option('--out <dir>', 'output folder (default runs/<time>-train-<world>-<variant>)')
    .option('--resume <dir>', 'continue a stopped run exactly where its last checkpoint left it')
    .option('--quiet', 'print nothing but errors')
    .addHelpText('after', '\nExamples:\n  canopy train --world navigation --layout open-room --steps 50000 --seed 1\n  canopy train --config configs/ppo-crafter-1m.yaml\n  canopy train --resume runs/20261127-081500-train-crafter-crafter\n')
    .action(async (flags: TrainFlags) => {
      const { trainCommand } = await import('./train-command.js');
      exit.code = await trainCommand(flags, io);
    });

  program
    .command('eval')
    .description('run a trained policy (a `canopy train` folder) in its world; writes the same files as `canopy run`')
    .option('--checkpoint <dir>', 'the run folder of `canopy train`, or its checkpoint/ folder')
    .option('--episodes <n>', 'stop after N finished episodes (default 10)')
    .option('--steps <n>', 'stop after N env steps instead')
    .option('--seed <n>', 'seed of the run (default: a random one, recorded in config.json)')
    .option('--out <dir>', 'output folder (default runs/<time>-<world>-<variant>)')
    .option('--greedy', 'take the most likely action instead of sampling')
    .option('--events', 'also write every kernel event to events.jsonl')
    .option('--memory <store>', 'knowledge graph: graphology (default), neo4j or off')
    .option('--backend <name>', 'tfjs backend: auto, gpu, node, wasm or cpu (default auto)')
    .option('--quiet', 'print nothing but errors')
    .action(async (flags: EvalFlags) => {
      const { evalCommand } = await import('./eval-command.js');
      exit.code = await evalCommand(flags, io);
    });

  program
    .command('experiment')
    .description('run a grid of conditions x seeds as child runs, resumably, then write results.csv, summary.md and plots')
    .argument('<file>', 'experiment file (YAML or JSON): command, config, grid, seeds, ...')
    .option('--jobs <n>', 'runs at once (default: one per core)')
    .option('--out <dir>', 'experiment folder (default runs/experiments/<name>); rerun with the same folder to resume')
    .option('--quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  canopy experiment experiments/coop-diamond.yaml --jobs 2\n\n' +
        'Out folder: runs/<condition>/seed-<n>/ (each as the command writes it), logs/, configs/, results.csv,\n' +
        'stats.json, summary.md, plots/*.svg. A run with a complete summary.json is not run again.',
    )
    .action(async (file: string, flags: ExperimentFlags) => {
      const { experimentCommand } = await import('./experiment-command.js');
      exit.code = await experimentCommand(file, flags, io);
    });

  program
    .command('view')
    .description("replay a run's recording in the viewer, with a timeline (until Ctrl-C)")
    .argument('<run-dir>', 'a run folder of canopy run (holds replay.jsonl.gz and config.json)')
    .option('--port <n>', 'port (default 8765, or a free one when it is taken)')
    .option('--host <addr>', 'interface to listen on (default 127.0.0.1)')
    .option('--speed <steps/s>', 'playback speed at start (default 10)')
    .option('--viewer-private', 'refuse viewers without the token')
    .action(async (runDir: string, flags: ViewFlags) => {
      const { viewCommand } = await import('./view-command.js');
      exit.code = await viewCommand(runDir, flags, io);
    });

  return program;
}

/**
 * The `canopy` command. Returns the exit code: 0 on success, 2 for bad input (one line on stderr, no stack trace),
 * 1 for an internal error (with its stack trace, since it is a bug to report).
 */
export async function main(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const exit = { code: 0 };
  const program = buildProgram(exit, io);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: 'user' });
    return exit.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander only because exitOverride turns every exit into a throw.
      return err.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
    }
    if (err instanceof CliError) {
      io.stderr.write(`error: ${err.message}\n`);
      return USAGE_EXIT_CODE;
    }
    io.stderr.write(`canopy: internal error (a bug; please report it with the command you ran)\n`);
    io.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return INTERNAL_EXIT_CODE;
  }
}
