// Without Java (or Maven, for a first fetch) the Neo4j helpers fail loudly with what to install; they never skip.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ensureNeo4jJars, Neo4jSetupError } from '../../memory/neo4j-server.js';
import { neo4jFromEnv } from '../../memory/neo4j-store.js';

describe('neo4j setup', () => {
  it('names the package to install when Java is missing', () => {
    const root = mkdtempSync(join(tmpdir(), 'canopy-neo4j-'));
    const path = process.env.PATH;
    try {
      process.env.PATH = root; // an empty folder: no java, no mvn
      assert.throws(() => ensureNeo4jJars(root), (e: unknown) => e instanceof Neo4jSetupError && /openjdk-17/.test(e.message));
    } finally {
      process.env.PATH = path;
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reads NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD, routing schemes included', () => {
    assert.equal(neo4jFromEnv({}), undefined);
    assert.deepEqual(neo4jFromEnv({ NEO4J_URI: 'neo4j+s://db.example:7687', NEO4J_USER: 'u', NEO4J_PASSWORD: 'p' }),
      { uri: 'neo4j+s://db.example:7687', user: 'u', password: 'p' });
  });
});
