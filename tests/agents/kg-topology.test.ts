// The topological map kg-planner agents build online: its paths are valid in the real world, and the same seed
// gives the same graph (node and edge counts, content hash) on graphology and on a real Neo4j (NEO4J_URI when set,
// else a throwaway server started here: the one Neo4j file of the agent tests).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCoopEpisode } from '../../bench/support/coop-episode.js';
import { crossableBy, parsePlace, REGION } from '../../agents/crafter/kg-sync.js';
import { GraphologyStore } from '../../memory/graphology-store.js';
import { Neo4jStore, neo4jFromEnv, type Neo4jStoreOptions } from '../../memory/neo4j-store.js';
import { startThrowawayNeo4j, type Neo4jServer } from '../../memory/neo4j-server.js';

describe('kg-planner topological map', () => {
  it('paths between known regions step only across borders that are walkable in the world', async () => {
    const r = await runCoopEpisode({ agents: 2, shared: true, seed: 2, length: 150, store: new GraphologyStore(), trackWalkable: true });
    // A border seen walkable was walkable then (a mined cell may later hold a table): check against every step.
    const walk = (x: number, y: number) => x >= 0 && y >= 0 && x < 64 && y < 64 && r.everWalkable[x * 64 + y] === 1;
    const viewer = { agent: 'player_0', team: 'team' };
    const regions = (await r.kg.store.findNodes('Place', { kind: 'region' })).map((n) => n.props.key as string).sort();
    assert.ok(regions.length > 20, `only ${regions.length} regions known`);
    const start = 'e0:r8,8'; // the spawn region (cell 32,32)
    assert.ok(regions.includes(start));
    let paths = 0;
    for (const goal of regions) {
      const p = await r.kg.path(start, goal, viewer);
      if (!p) continue;
      paths++;
      assert.equal(p.places[0], start);
      assert.equal(p.places.at(-1), goal);
      assert.equal(p.cost, REGION * (p.places.length - 1), `${goal}: cost is one region per hop`);
      for (let i = 1; i < p.places.length; i++) {
        const a: { x: number; y: number } = parsePlace(p.places[i - 1]!)!;
        const b: { x: number; y: number } = parsePlace(p.places[i]!)!;
        const ax = (a.x - 2) / REGION;
        const ay = (a.y - 2) / REGION;
        const bx = (b.x - 2) / REGION;
        const by = (b.y - 2) / REGION;
        assert.equal(Math.abs(ax - bx) + Math.abs(ay - by), 1, `${p.places[i - 1]} -> ${p.places[i]} are not neighbours`);
        const edges = await r.kg.store.neighbors(`place:${p.places[i - 1]}`, 'CONNECTS', 'out');
        assert.ok(edges.some((e) => e.node.id === `place:${p.places[i]}`), `no CONNECTS ${p.places[i - 1]} -> ${p.places[i]}`);
        assert.ok(crossableBy(walk, ax, ay, bx, by), `${p.places[i - 1]} -> ${p.places[i]}: no walkable crossing in the world`);
      }
    }
    assert.ok(paths > 20, `only ${paths} paths found`);
    await r.kg.close();
  });

  describe('same seed, same graph', () => {
    let server: Neo4jServer | undefined;
    let conn: Neo4jStoreOptions;
    const graphs: string[] = [];
    const run = `kgp${process.pid}-${Date.now()}`;
    before(async () => {
      const env = neo4jFromEnv();
      if (env) conn = env;
      else {
        server = await startThrowawayNeo4j();
        conn = { uri: `bolt://127.0.0.1:${server.port}` };
      }
    }, { timeout: 120_000 });
    after(async () => {
      for (const graph of graphs) {
        const s = new Neo4jStore({ ...conn, graph });
        await s.clear();
        await s.close();
      }
      if (server) await server.stop();
    }, { timeout: 60_000 });

    it('on graphology and on Neo4j', { timeout: 120_000 }, async () => {
      const opts = { agents: 2, shared: true, seed: 3, length: 40 } as const;
      const sig = async (store: GraphologyStore | Neo4jStore) => {
        const r = await runCoopEpisode({ ...opts, store });
        const out = { counts: await r.kg.counts(), hash: await r.kg.contentHash(), diamond: r.diamondStep };
        await r.kg.close();
        return out;
      };
      const g1 = await sig(new GraphologyStore());
      const g2 = await sig(new GraphologyStore());
      assert.deepEqual(g2, g1);
      assert.ok(g1.counts.nodes > 100, `a small graph: ${JSON.stringify(g1.counts)}`);
      graphs.push(`${run}-a`, `${run}-b`);
      const n1 = await sig(new Neo4jStore({ ...conn, graph: graphs[0]! }));
      const n2 = await sig(new Neo4jStore({ ...conn, graph: graphs[1]! }));
      assert.deepEqual(n1, g1);
      assert.deepEqual(n2, g1);
    });
  });
});
