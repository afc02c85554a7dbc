// One test suite for the knowledge graph, run against every store (graphology, Neo4j): a function taking a factory.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { KnowledgeGraph, type Fact, type KnowledgeGraphOptions } from '../../memory/knowledge-graph.js';
import { GraphologyStore } from '../../memory/graphology-store.js';
import type { GraphStore } from '../../memory/graph-store.js';
import { loadRules } from '../../worlds/crafter/rules.js';
import type { RulesData } from '../../worlds/crafter/rules.js';
import { crafterSemanticRules } from '../../worlds/crafter/semantic-rules.js';
import { Rng } from '../../core/rng.js';

/** Makes a fresh, empty store; each call is a separate graph. */
export type StoreFactory = () => Promise<GraphStore>;

const crafter = () => crafterSemanticRules(loadRules().data);
const fact = (observer: string, step: number, scope: Fact['scope'] = 'team', team = 'red'): Fact => ({ observer, step, scope, team });

/** Replays a plan on the raw rules data, checking each step's requirements: the planner is judged by the rules, not by itself. */
function replay(data: RulesData, steps: { recipe: string; times: number }[], inv: Record<string, number>, near: Set<string>): Record<string, number> {
  const take = (uses: Record<string, number>, what: string) => {
    for (const [i, n] of Object.entries(uses)) {
      assert.ok((inv[i] ?? 0) >= n, `${what}: needs ${n} ${i}, has ${inv[i] ?? 0}`);
      inv[i] = (inv[i] ?? 0) - n;
    }
  };
  for (const s of steps) {
    for (let k = 0; k < s.times; k++) {
      const [kind, ...rest] = s.recipe.split('_');
      const name = rest.join('_');
      if (kind === 'make') {
        const m = data.make[name];
        assert.ok(m, s.recipe);
        for (const st of m.nearby) assert.ok(near.has(st), `${s.recipe}: ${st} not near`);
        take(m.uses, s.recipe);
        inv[name] = (inv[name] ?? 0) + m.gives;
      } else if (kind === 'place') {
        const p = data.place[name];
        assert.ok(p, s.recipe);
        take(p.uses, s.recipe);
        near.add(name);
      } else {
        const entry = Object.entries(data.collect).find(([, c]) => name in c.receive);
        assert.ok(entry, s.recipe);
        for (const [i, n] of Object.entries(entry[1].require)) assert.ok((inv[i] ?? 0) >= n, `${s.recipe}: needs tool ${i}`);
        inv[name] = (inv[name] ?? 0) + (entry[1].receive[name] ?? 0);
      }
    }
  }
  return inv;
}

/** A deterministic random feed of every kind of fact, from a seed. */
export function feed(kg: KnowledgeGraph, seed: number, size = 60): void {
  const rng = Rng.fromSeed(seed);
  kg.loadRules(crafter());
  const agents = ['a0', 'a1', 'a2'];
  for (let x = 0; x < 6; x++) for (let y = 0; y < 6; y++) {
    const f = fact(agents[(x + y) % 3] as string, x * 6 + y);
    kg.addPlace({ id: `${x},${y}`, kind: 'cell', x, y, frontier: x === 5 }, f);
    if (x > 0) kg.connect(`${x - 1},${y}`, `${x},${y}`, 1 + rng.int(0, 3), f);
    if (y > 0) kg.connect(`${x},${y - 1}`, `${x},${y}`, 1 + rng.int(0, 3), f);
  }
  for (let i = 0; i < size; i++) {
    const a = rng.pick(agents);
    const f = fact(a, 100 + i, rng.chance(0.5) ? 'team' : 'private');
    kg.sight({ what: rng.pick(['tree', 'stone', 'iron', 'coal']), kind: 'material', place: `${rng.int(0, 5)},${rng.int(0, 5)}` }, f);
    kg.recordEvent({ agent: a, episode: rng.int(0, 1), kind: 'collect', name: 'collect_wood' }, f);
  }
  kg.setGoal({ id: 'diamond', agent: 'a0', level: 'long-term', text: 'collect a diamond', target: 'diamond' }, fact('a0', 1));
  kg.setGoal({ id: 'pick', agent: 'a0', level: 'goal', text: 'make an iron pickaxe', parent: 'diamond' }, fact('a0', 2));
}

/** The suite over graphs on `makeStore`'s stores; `options` (e.g. `localReads`) go to every `KnowledgeGraph.open`. */
export function knowledgeGraphSuite(makeStore: StoreFactory, options: KnowledgeGraphOptions = {}): void {
  const open = async () => KnowledgeGraph.open(await makeStore(), { batchSize: 200, ...options });

  it('semantic level: crafter rules become a graph whose recipes answer "what is missing"', async () => {
    const kg = await open();
    const rules = crafter();
    kg.loadRules(rules);
    const c = await kg.counts();
    const nodes = rules.items.length + rules.materials.length + rules.creatures.length + rules.achievements.length + rules.recipes.length;
    assert.equal(c.nodes, nodes);
    const iron = await kg.missingFor('iron_pickaxe', {});
    assert.equal(iron.ready, false);
    assert.deepEqual(iron.missing.map((m) => m.name).sort(), ['coal', 'furnace', 'iron', 'table', 'wood']);
    const inv = replay(loadRules().data, iron.steps, {}, new Set());
    assert.ok((inv.iron_pickaxe ?? 0) >= 1, JSON.stringify(iron.steps));
    assert.deepEqual(iron.find.map((f) => f.material), ['coal', 'iron', 'stone', 'tree']);
    assert.deepEqual(iron.unreachable, []);
    const ready = await kg.missingFor('wood_pickaxe', { wood: 1 }, { nearby: ['table'] });
    assert.equal(ready.ready, true);
    assert.deepEqual(ready.steps, [{ recipe: 'make_wood_pickaxe', times: 1 }]);
    await kg.close();
  });

  it('semantic level follows the rules data: MAC iron pickaxe needs only a furnace', async () => {
    const kg = await open();
    kg.loadRules(crafterSemanticRules(loadRules({ ruleset: 'mac' }).data));
    const r = await kg.missingFor('iron_pickaxe', { wood: 1, coal: 1, iron: 1 });
    assert.deepEqual(r.missing, [{ name: 'furnace', count: 1 }]);
    const inv = replay(loadRules({ ruleset: 'mac' }).data, r.steps, { wood: 1, coal: 1, iron: 1 }, new Set());
    assert.ok((inv.iron_pickaxe ?? 0) >= 1);
    await kg.close();
  });

  it('spatial level: paths, nearest sighting, frontiers, invalidation kept with its time', async () => {
    const kg = await open();
    // A 3x3 grid; the middle column is expensive.
    for (let x = 0; x < 3; x++) for (let y = 0; y < 3; y++) kg.addPlace({ id: `${x},${y}`, kind: 'room', x, y, frontier: x === 2 && y === 2 }, fact('a', 0));
    for (let x = 0; x < 3; x++) for (let y = 0; y < 3; y++) {
      if (x < 2) kg.connect(`${x},${y}`, `${x + 1},${y}`, x === 0 && y === 1 ? 10 : 1, fact('a', 0));
      if (y < 2) kg.connect(`${x},${y}`, `${x},${y + 1}`, x === 1 ? 2 : 1, fact('a', 0));
    }
    const p = await kg.path('0,1', '2,1', { agent: 'a', team: 'red' });
    assert.deepEqual(p, { places: ['0,1', '0,0', '1,0', '2,0', '2,1'], cost: 4 });
    kg.sight({ what: 'tree', kind: 'material', place: '2,2' }, fact('a', 5));
    kg.sight({ what: 'tree', kind: 'material', place: '0,2' }, fact('a', 6));
    const n1 = await kg.nearestWith('tree', '0,0', { agent: 'a', team: 'red' });
    assert.deepEqual(n1?.places, ['0,0', '0,1', '0,2']);
    assert.deepEqual(await kg.frontiers({ agent: 'a', team: 'red' }), ['2,2']);
    assert.equal(await kg.invalidate('tree', '0,2', fact('a', 9)), 1);
    const n2 = await kg.nearestWith('tree', '0,0', { agent: 'a', team: 'red' });
    assert.equal(n2?.places.at(-1), '2,2');
    const gone = (await kg.sightings({ what: 'tree' })).find((s) => s.place === '0,2');
    assert.equal(gone?.valid, false);
    assert.equal(gone?.invalidatedAt, 9);
    await kg.close();
  });

  it('scopes: private facts stay with their observer, team facts reach teammates only', async () => {
    const kg = await open();
    kg.addPlace({ id: 'p', kind: 'landmark' }, fact('a', 0, 'team', 'red'));
    kg.addPlace({ id: 'q', kind: 'landmark' }, fact('b', 0, 'private', 'red'));
    kg.sight({ what: 'iron', kind: 'material', place: 'p' }, fact('a', 1, 'team', 'red'));
    kg.sight({ what: 'coal', kind: 'material', place: 'q' }, fact('b', 1, 'private', 'red'));
    kg.addPlace({ id: 'z', kind: 'landmark' }, fact('c', 0, 'team', 'blue'));
    kg.setGoal({ id: 'g', agent: 'a', level: 'goal', text: 'iron', target: 'iron' }, fact('a', 2, 'team', 'red'));
    kg.setGoal({ id: 'h', agent: 'a', level: 'goal', text: 'secret' }, fact('a', 2, 'private', 'red'));
    const bView = { agent: 'b', team: 'red' };
    assert.deepEqual([...(await kg.knownPlaces(bView))].sort(), ['place:p', 'place:q']);
    assert.deepEqual([...(await kg.knownPlaces({ agent: 'a', team: 'red' }))], ['place:p']);
    assert.deepEqual([...(await kg.knownPlaces({ agent: 'c', team: 'blue' }))], ['place:z']);
    assert.deepEqual((await kg.sightings({ viewer: { agent: 'a', team: 'red' } })).map((s) => s.what), ['iron']);
    const mates = await kg.teammates(bView);
    assert.deepEqual(mates.map((m) => [m.agent, m.goals.map((g) => g.text), m.sightings.map((s) => s.what), m.places]), [['a', ['iron'], ['iron'], 1]]);
    await kg.close();
  });

  it('episodic level and goals keep their order', async () => {
    const kg = await open();
    for (let s = 0; s < 5; s++) kg.recordEvent({ agent: 'a', episode: 0, kind: 'collect', name: `e${s}` }, fact('a', s));
    kg.recordEvent({ agent: 'a', episode: 1, kind: 'death' }, fact('a', 0));
    assert.deepEqual((await kg.events('a', 0)).map((e) => e.name), ['e0', 'e1', 'e2', 'e3', 'e4']);
    assert.deepEqual((await kg.events('a', 1)).map((e) => e.kind), ['death']);
    await kg.flush(); // the store itself holds what was written once flushed (queries may read a local copy)
    assert.equal((await kg.store.edgesOfType('NEXT')).length, 4);
    kg.setGoal({ id: 'top', agent: 'a', level: 'long-term', text: 'diamond' }, fact('a', 0));
    kg.setGoal({ id: 'g2', agent: 'a', level: 'goal', text: 'stone pickaxe', parent: 'top' }, fact('a', 0));
    kg.setGoal({ id: 'g1', agent: 'a', level: 'goal', text: 'wood pickaxe', parent: 'top' }, fact('a', 0));
    kg.setGoal({ id: 's1', agent: 'a', level: 'step', text: 'collect wood', parent: 'g2' }, fact('a', 0));
    kg.setGoalStatus('a', 'g2', 'done', fact('a', 7));
    const goals = await kg.goals('a');
    assert.deepEqual(goals.map((g) => [g.text, g.status]), [['diamond', 'open'], ['stone pickaxe', 'done'], ['collect wood', 'open'], ['wood pickaxe', 'open']]);
    await kg.close();
  });

  it('hostile strings come back verbatim and change nothing else', async () => {
    const hostile = [
      "it's", '"quoted"', '}) DETACH DELETE n //', 'MATCH (n) DETACH DELETE n', '`backtick`', '$rows', '{a: 1}',
      'line\nbreak', 'CREATE (x:KG {uid: "default\u0000item:wood"})', '\\u0000 and \u0007', 'λ 木 🌲', 'x'.repeat(100_000),
    ];
    const canary = await open();
    canary.loadRules(crafter());
    const canaryHash = await canary.contentHash();
    const kg = await open();
    kg.loadRules({ items: hostile, materials: ['m'], stations: [], achievements: [],
      recipes: [{ name: hostile[2] as string, kind: 'make', consumes: { [hostile[0] as string]: 1 }, produces: { [hostile[3] as string]: 1 } }] });
    hostile.forEach((t, i) => kg.recordEvent({ agent: 'a', episode: 0, kind: 'message', text: t, name: hostile[(i + 1) % hostile.length] }, fact('a', i)));
    await kg.flush();
    // assert.ok on a comparison: a failure must not print a 100 kB string.
    const names = (await kg.store.findNodes('Item')).map((n) => n.props.name).sort();
    assert.ok(JSON.stringify(names) === JSON.stringify([...hostile].sort()), 'item names differ');
    const texts = (await kg.events('a', 0)).map((e) => e.text);
    assert.ok(JSON.stringify(texts) === JSON.stringify(hostile), 'message texts differ');
    const r = await kg.missingFor(hostile[3] as string, {});
    assert.deepEqual(r.missing, [{ name: hostile[0], count: 1 }]);
    assert.deepEqual(await kg.counts(), { nodes: hostile.length + 1 + 1 + hostile.length, edges: 2 + hostile.length - 1 });
    assert.equal(await canary.contentHash(), canaryHash);
    await kg.close();
    await canary.close();
  });

  it('the same feed gives the same graph (counts and content hash), equal to the in-process reference', async () => {
    const a = await open();
    const b = await open();
    const ref = await KnowledgeGraph.open(new GraphologyStore());
    for (const kg of [a, b, ref]) feed(kg, 7);
    const [ca, cb, cr] = [await a.counts(), await b.counts(), await ref.counts()];
    assert.deepEqual(ca, cb);
    assert.deepEqual(ca, cr);
    assert.equal(await a.contentHash(), await b.contentHash());
    assert.equal(await a.contentHash(), await ref.contentHash());
    const other = await KnowledgeGraph.open(new GraphologyStore());
    feed(other, 8);
    assert.notEqual(await other.contentHash(), await ref.contentHash());
    for (const kg of [a, b, ref, other]) await kg.close();
  });
}
