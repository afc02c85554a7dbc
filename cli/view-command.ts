import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliIo } from './cli-io.js';
import { PROCESS_IO } from './cli-io.js';
import { CliError, oneLine } from './errors.js';
import { findWorld } from './world-registry.js';
import { LEGACY_REPLAY_FILE, loadReplay, REPLAY_FILE } from '../viewer/replay/replay-file.js';
import { serveReplay } from '../viewer/replay/serve-replay.js';
import { DEFAULT_VIEWER_PORT } from './run-command.js';
import { viewerPageDir } from './viewer-page.js';

/** `canopy view` flags as commander hands them over. */
export interface ViewFlags {
  readonly port?: string;
  readonly host?: string;
  readonly speed?: string;
  readonly viewerPrivate?: boolean;
}

/**
 * `canopy view RUN_DIR`: serves the run's replay with a timeline until Ctrl-C (or `signal`). The world is rebuilt
 * from the run's config.json and re-simulated from the recorded seeds and actions. Returns the exit code.
 */
export async function viewCommand(runDir: string, flags: ViewFlags, io: CliIo = PROCESS_IO, signal?: AbortSignal): Promise<number> {
  const dir = resolve(runDir);
  // Runs before the replay was gzipped wrote replay.jsonl: still readable.
  const file = existsSync(join(dir, REPLAY_FILE)) ? join(dir, REPLAY_FILE) : join(dir, LEGACY_REPLAY_FILE);
  const configFile = join(dir, 'config.json');
  if (!existsSync(file)) throw new CliError(`${runDir}: no ${REPLAY_FILE} (is it a run folder of canopy run?)`);
  if (!existsSync(configFile)) throw new CliError(`${runDir}: no config.json`);
  let config: Record<string, unknown>;
  let replay;
  try {
    config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    replay = loadReplay(file);
  } catch (err) {
    throw new CliError(oneLine((err as Error).message));
  }
  const world = findWorld(String(config.world));
  const variant = config[world.variant.key];
  if (typeof variant !== 'string' || typeof config.agents !== 'number') throw new CliError(`${configFile}: expected "${world.variant.key}" and "agents"`);
  const env = world.create({ variant, agents: config.agents, params: (config.params ?? {}) as Record<string, unknown> });
  const port = flags.port === undefined ? DEFAULT_VIEWER_PORT : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port: a port number 0..65535, got "${flags.port}"`);
  const speed = flags.speed === undefined ? 10 : Number(flags.speed);
  if (!(speed > 0)) throw new CliError(`--speed: steps per second > 0, got "${flags.speed}"`);
  const pageDir = await viewerPageDir(io);
  const options = {
    pageDir, replay, env: env as never, adapter: world.view(env), run: config, stepsPerSecond: speed, host: flags.host ?? '127.0.0.1',
    allowViewers: !(flags.viewerPrivate ?? false), log: (line: string) => io.stderr.write(`viewer: ${line}\n`),
  };
  let served;
  try {
    served = await serveReplay({ ...options, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || flags.port !== undefined) throw new CliError(`--port: ${oneLine((err as Error).message)}`);
    served = await serveReplay({ ...options, port: 0 });
  }
  io.stdout.write(`replay of ${runDir}: ${replay.totalSteps} steps in ${replay.episodes.length} episode(s)${replay.complete ? '' : ' (the run did not finish cleanly)'}\n`);
  io.stdout.write(`viewer: ${served.server.url}\n`);
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    signal?.addEventListener('abort', () => {
      process.off('SIGINT', stop);
      done();
    }, { once: true });
  });
  await served.close();
  return 0;
}
