// npm run neo4j:start | neo4j:stop | neo4j:fetch — a local Neo4j 5.26 Community server for canopy, kept in .neo4j/
// (data, logs, config; git-ignored). Bolt on 127.0.0.1, HTTP off, auth off (loopback scratch server). The URI is
// printed and written to .neo4j/uri; export it as NEO4J_URI to make canopy use this server.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNeo4jJars, projectRoot, startNeo4j, stopNeo4jPid, Neo4jSetupError } from '../memory/neo4j-server.js';

const home = join(projectRoot, '.neo4j');
const pidFile = join(home, 'neo4j.pid');
const cmd = process.argv[2];

function runningPid(): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try { process.kill(pid, 0); return pid; } catch { return undefined; }
}

try {
  if (cmd === 'fetch') {
    const t0 = Date.now();
    console.log(`Neo4j jars in ${ensureNeo4jJars(projectRoot, console.log)} (${Date.now() - t0} ms)`);
  } else if (cmd === 'start') {
    const pid = runningPid();
    if (pid !== undefined) {
      console.log(`Neo4j already running (pid ${pid}) on ${readFileSync(join(home, 'uri'), 'utf8')}`);
    } else {
      // Sized for a 24 GiB machine shared with simulations: 2 GiB heap, 2 GiB page cache.
      const port = Number(process.env.NEO4J_PORT ?? 7687);
      const s = await startNeo4j({ home, port, heap: '2g', pageCache: '2g', detached: true, log: console.log });
      writeFileSync(pidFile, String(s.pid));
      writeFileSync(join(home, 'uri'), s.uri);
      console.log(`export NEO4J_URI=${s.uri}`);
    }
  } else if (cmd === 'stop') {
    const pid = runningPid();
    if (pid === undefined) console.log('Neo4j is not running');
    else {
      await stopNeo4jPid(pid);
      rmSync(pidFile, { force: true });
      console.log(`Neo4j (pid ${pid}) stopped`);
    }
  } else {
    console.error('usage: node --import tsx scripts/neo4j.ts fetch|start|stop');
    process.exit(2);
  }
} catch (err) {
  console.error(err instanceof Neo4jSetupError ? `error: ${err.message}` : err);
  process.exit(1);
}
