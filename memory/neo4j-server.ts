/**
 * A real Neo4j Community server owned by the project: fetched from Maven Central into `.cache/neo4j` (git-ignored),
 * configured for loopback Bolt only, started with `java -cp` and stopped cleanly. Used by `npm run neo4j:start` and
 * by the test suite (`startThrowawayNeo4j`). Authentication is disabled: the server listens on 127.0.0.1 only and
 * holds scratch data; point canopy at a real server with NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import neo4j from 'neo4j-driver';

/** Neo4j 5.26 is the LTS line that runs on Java 17. */
export const NEO4J_VERSION = '5.26.30';
const ENTRY_POINT = 'org.neo4j.server.CommunityEntryPoint';

/** Project root (the folder holding package.json), from this file's location. */
export const projectRoot = resolve(new URL('..', import.meta.url).pathname);

export class Neo4jSetupError extends Error {
  override name = 'Neo4jSetupError';
}

function hasCommand(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

/** Java 17+ must be on PATH; throws with what to install otherwise. */
export function checkJava(): void {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Neo4jSetupError('Neo4j needs Java 17 or newer on PATH: install it (Debian/Ubuntu: apt-get install openjdk-17-jre-headless).');
  }
  const m = /version "(\d+)/.exec(r.stderr);
  if (m && Number(m[1]) < 17) throw new Neo4jSetupError(`Neo4j ${NEO4J_VERSION} needs Java 17+, found ${m[0]}: install openjdk-17-jre-headless.`);
}

/**
 * Makes sure the Neo4j jars are in `<root>/.cache/neo4j/lib`, fetching `org.neo4j:neo4j` and its runtime
 * dependencies from Maven Central with `mvn dependency:copy-dependencies` on a generated pom. Returns the lib folder.
 */
export function ensureNeo4jJars(root = projectRoot, log: (s: string) => void = () => {}): string {
  const cache = join(root, '.cache', 'neo4j');
  const lib = join(cache, 'lib');
  if (existsSync(join(lib, `neo4j-${NEO4J_VERSION}.jar`)) && existsSync(join(cache, 'complete'))) return lib;
  checkJava();
  if (!hasCommand('mvn', ['-v'])) {
    throw new Neo4jSetupError(`Neo4j jars are not in ${lib} and Maven is missing to fetch them: install maven (apt-get install maven) and retry.`);
  }
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, 'pom.xml'), `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>canopy</groupId><artifactId>neo4j-runtime</artifactId><version>0</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.neo4j</groupId><artifactId>neo4j</artifactId><version>${NEO4J_VERSION}</version></dependency>
  </dependencies>
</project>
`);
  log(`fetching Neo4j ${NEO4J_VERSION} from Maven Central into ${lib} ...`);
  const r = spawnSync('mvn', ['-B', '-q', 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`, '-DincludeScope=runtime'], { cwd: cache, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(join(lib, `neo4j-${NEO4J_VERSION}.jar`))) {
    throw new Neo4jSetupError(`fetching Neo4j ${NEO4J_VERSION} with Maven failed (need network access to Maven Central):\n${(r.stdout + r.stderr).slice(-3000)}`);
  }
  writeFileSync(join(cache, 'complete'), NEO4J_VERSION);
  return lib;
}

/** A free TCP port on 127.0.0.1 (asked from the OS). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export interface Neo4jServerOptions {
  /** Instance folder: conf, data, logs live under it. */
  home: string;
  /** Bolt port; a free one when omitted. */
  port?: number;
  /** JVM heap, e.g. '512m'. */
  heap?: string;
  /** Page cache, e.g. '128m'. */
  pageCache?: string;
  /** Give up waiting for Bolt after this many ms. */
  timeoutMs?: number;
  /** JIT tuned for a short life (C1 only, serial GC): faster start for throwaway test servers. */
  quickStart?: boolean;
  /** Keep running after this process exits (for `npm run neo4j:start`). */
  detached?: boolean;
  root?: string;
  log?: (s: string) => void;
}

export interface Neo4jServer {
  readonly uri: string;
  readonly port: number;
  readonly pid: number;
  readonly home: string;
  /** ms from spawn until Bolt answered. */
  readonly startMs: number;
  /** Stops the server (SIGTERM, then SIGKILL after 30 s) and waits for it to exit. */
  stop(): Promise<void>;
}

function writeConfig(home: string, port: number, heap: string, pageCache: string): string {
  const conf = join(home, 'conf');
  mkdirSync(conf, { recursive: true });
  for (const d of ['data', 'logs', 'run', 'plugins', 'import']) mkdirSync(join(home, d), { recursive: true });
  writeFileSync(join(conf, 'neo4j.conf'), [
    '# written by canopy memory/neo4j-server.ts',
    `server.directories.data=${join(home, 'data')}`,
    `server.directories.logs=${join(home, 'logs')}`,
    `server.directories.run=${join(home, 'run')}`,
    `server.directories.plugins=${join(home, 'plugins')}`,
    `server.directories.import=${join(home, 'import')}`,
    'server.default_listen_address=127.0.0.1',
    `server.bolt.listen_address=127.0.0.1:${port}`,
    `server.bolt.advertised_address=127.0.0.1:${port}`,
    'server.http.enabled=false',
    'server.https.enabled=false',
    'dbms.security.auth_enabled=false',
    'dbms.usage_report.enabled=false',
    // Bolt's shutdown otherwise idles 2 x 5 s after the databases have been checkpointed and closed; nothing is lost
    // by not waiting (internal settings of 5.26, checked by strict config validation at start).
    'internal.server.bolt.thread_pool_shutdown_wait_time=100ms',
    'internal.dbms.bolt.netty_server_shutdown_quiet_period=0',
    'internal.dbms.bolt.netty_server_shutdown_timeout=1',
    `server.memory.heap.initial_size=${heap}`,
    `server.memory.heap.max_size=${heap}`,
    `server.memory.pagecache.size=${pageCache}`,
    // Modest transaction memory so a runaway query fails instead of eating the heap.
    'db.memory.transaction.total.max=256m',
    '',
  ].join('\n'));
  return conf;
}

async function boltAnswers(uri: string): Promise<boolean> {
  const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', 'unused'), { connectionTimeout: 1000, logging: { level: 'error', logger: () => {} } });
  try {
    await driver.verifyConnectivity();
    return true;
  } catch {
    return false;
  } finally {
    await driver.close();
  }
}

function waitExit(child: ChildProcess | null, pid: number, ms: number): Promise<boolean> {
  return new Promise((ok) => {
    const t0 = Date.now();
    const tick = () => {
      let alive = true;
      try { process.kill(pid, 0); } catch { alive = false; }
      if (child && child.exitCode !== null) alive = false;
      if (!alive) return ok(true);
      if (Date.now() - t0 > ms) return ok(false);
      setTimeout(tick, 100);
    };
    tick();
  });
}

/** Stops a server process by pid: SIGTERM (Neo4j shuts down cleanly), SIGKILL if it has not exited in 30 s. */
export async function stopNeo4jPid(pid: number, child: ChildProcess | null = null): Promise<void> {
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  if (!(await waitExit(child, pid, 30_000))) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    await waitExit(child, pid, 5_000);
  }
}

/** Fetches (if needed), configures and starts a Neo4j server; resolves once Bolt answers. */
export async function startNeo4j(opts: Neo4jServerOptions): Promise<Neo4jServer> {
  const log = opts.log ?? (() => {});
  const lib = ensureNeo4jJars(opts.root ?? projectRoot, log);
  checkJava();
  const home = resolve(opts.home);
  const port = opts.port ?? (await freePort());
  const conf = writeConfig(home, port, opts.heap ?? '512m', opts.pageCache ?? '128m');
  const heap = opts.heap ?? '512m';
  const outFile = join(home, 'logs', 'console.log');
  const out = openSync(outFile, 'a');
  const t0 = Date.now();
  const child = spawn('java', [
    `-Xms${heap}`, `-Xmx${heap}`,
    ...(opts.quickStart ? ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-XX:CICompilerCount=1'] : ['-XX:+UseG1GC']), '-XX:-OmitStackTraceInFastThrow', '-Dfile.encoding=UTF-8',
    '-Dlog4j2.disable.jmx=true', '-Dio.netty.tryReflectionSetAccessible=true', '-Djdk.nio.maxCachedBufferSize=1024',
    '--add-opens=java.base/java.nio=ALL-UNNAMED', '--add-opens=java.base/java.io=ALL-UNNAMED',
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED', '--add-opens=java.base/java.lang=ALL-UNNAMED',
    '-cp', `${lib}/*`, ENTRY_POINT, `--home-dir=${home}`, `--config-dir=${conf}`,
  ], { stdio: ['ignore', out, out], detached: opts.detached ?? false });
  closeSync(out);
  if (opts.detached) child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Neo4jSetupError('could not spawn java');
  const uri = `bolt://127.0.0.1:${port}`;
  const deadline = t0 + (opts.timeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Neo4jSetupError(`Neo4j exited with code ${child.exitCode} while starting; log ${outFile}:\n${readFileSync(outFile, 'utf8').slice(-3000)}`);
    }
    if (await boltAnswers(uri)) break;
    if (Date.now() > deadline) {
      await stopNeo4jPid(pid, child);
      throw new Neo4jSetupError(`Neo4j did not answer on ${uri} within ${opts.timeoutMs ?? 90_000} ms; log ${outFile}:\n${readFileSync(outFile, 'utf8').slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const startMs = Date.now() - t0;
  log(`Neo4j ${NEO4J_VERSION} answers on ${uri} after ${startMs} ms (pid ${pid})`);
  return { uri, port, pid, home, startMs, stop: () => stopNeo4jPid(pid, child) };
}

/**
 * A scratch server for tests: small memory, its own folder under test-output/ (deleted on stop), auth disabled.
 * Fails (never skips) with what to install when Java, Maven or the download is missing.
 */
export async function startThrowawayNeo4j(): Promise<Neo4jServer> {
  const home = join(projectRoot, 'test-output', `neo4j-${process.pid}-${Date.now()}`);
  const server = await startNeo4j({ home, heap: '384m', pageCache: '64m', timeoutMs: 90_000, quickStart: true });
  return {
    ...server,
    async stop() {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
