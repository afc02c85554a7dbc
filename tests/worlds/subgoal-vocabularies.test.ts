// The subgoal vocabularies worlds offer: reached detection from real steps and events, and clear errors for
// subgoals a world does not offer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WorldEventInput } from '../../core/events.js';
import { SubgoalError } from '../../core/subgoal-vocabulary.js';
import { Action, createNavigationEnv, navigationSubgoals } from '../../worlds/navigation/index.js';
import { crafterSubgoals, createCrafterEnv, loadRules } from '../../worlds/crafter/index.js';

describe('navigation subgoals', () => {
  // Agent at (1,1), key at (2,1), locked door at (3,1), goal at (5,1).
  const keyDoor = { layout: 'ascii' as const, map: ['#######', '#0kD G#', '#######'] };

  it('detects key, door, place and goal from the steps of a real episode', () => {
    const vocab = navigationSubgoals(keyDoor, 3);
    assert.deepEqual(vocab.kinds, ['place', 'frontier', 'key', 'door', 'goal']);
    const env = createNavigationEnv(keyDoor);
    const first = env.reset({ seed: 0 });
    const goals = ['key', 'door', 'goal'].map((kind) => vocab.parse({ kind }));
    const place = vocab.parse({ kind: 'place', x: 1, y: 0 });
    const reached = (o: typeof first.observations.agent_0, events: readonly WorldEventInput[]) =>
      [...goals, place].map((g) => vocab.isReached(g, { agent: 'agent_0', observation: o!, info: first.infos.agent_0!, events }));
    assert.deepEqual(reached(first.observations.agent_0, []), [false, false, false, false]);
    const seen: boolean[][] = [];
    for (let i = 0; i < 4; i++) {
      const r = env.step({ agent_0: Action.right });
      seen.push(reached(r.observations.agent_0, r.events ?? []));
    }
    // Step 1 picks the key; step 2 opens the door at x=3 (place 1,0) and stands in it; step 3 leaves the doorway; step 4 reaches the goal.
    assert.deepEqual(seen, [
      [true, false, false, false],
      [true, true, false, true],
      [true, false, false, true],
      [true, false, true, true],
    ]);
  });

  it('rejects subgoals the layout does not offer, and malformed ones', () => {
    const maze = navigationSubgoals({ layout: 'maze', width: 25, height: 25 });
    assert.deepEqual(maze.kinds, ['place', 'frontier', 'goal']);
    assert.throws(() => maze.parse({ kind: 'key' }), (e: Error) => e instanceof SubgoalError && e.message === 'navigation (maze) offers no subgoal "key"; it offers place, frontier, goal');
    assert.throws(() => navigationSubgoals({ layout: 'multi-room' }).parse({ kind: 'collect', item: 'wood' }), /navigation \(multi-room\) offers no subgoal "collect"; it offers place, frontier, door, goal/);
    assert.throws(() => maze.parse({ kind: 'place', x: -1, y: 0 }), /invalid navigation \(maze\) subgoal .*x: Too small/);
    assert.equal(maze.describe(maze.parse({ kind: 'frontier', x: 2, y: 3 })), 'frontier:2,3');
  });
});

describe('crafter subgoals', () => {
  const vocab = crafterSubgoals(loadRules(), 4);

  it('reads collect, place and make from the rules data', () => {
    assert.deepEqual([...vocab.collect], ['wood', 'stone', 'coal', 'iron', 'diamond', 'drink', 'sapling']);
    assert.deepEqual([...vocab.place], ['stone', 'table', 'furnace', 'plant']);
    assert.ok(vocab.make.includes('iron_pickaxe'));
    assert.equal(vocab.tasks.length, vocab.collect.length + vocab.place.length + vocab.make.length);
  });

  it('detects collect, place and make from the world events of the agent only', () => {
    const ctx = (events: unknown[]) => ({ agent: 'player_0', observation: {} as never, info: {} as never, events: events as WorldEventInput[] });
    const wood = vocab.parse({ kind: 'collect', item: 'wood' });
    const table = vocab.parse({ kind: 'place', what: 'table' });
    const pick = vocab.parse({ kind: 'make', item: 'wood_pickaxe' });
    assert.equal(vocab.isReached(wood, ctx([{ type: 'collect', data: { agent: 'player_0', material: 'tree', items: { wood: 1 }, pos: [1, 1] } }])), true);
    assert.equal(vocab.isReached(wood, ctx([{ type: 'collect', data: { agent: 'player_1', material: 'tree', items: { wood: 1 }, pos: [1, 1] } }])), false, "a teammate's wood is not mine");
    assert.equal(vocab.isReached(wood, ctx([{ type: 'collect', data: { agent: 'player_0', material: 'stone', items: { stone: 1 }, pos: [1, 1] } }])), false);
    assert.equal(vocab.isReached(table, ctx([{ type: 'place', data: { agent: 'player_0', name: 'table', pos: [2, 2] } }])), true);
    assert.equal(vocab.isReached(pick, ctx([{ type: 'make', data: { agent: 'player_0', item: 'wood_sword' } }])), false);
    assert.equal(vocab.isReached(pick, ctx([{ type: 'make', data: { agent: 'player_0', item: 'wood_pickaxe' } }])), true);
  });

  it('detects goto from the world state of a real env', () => {
    const env = createCrafterEnv({ agents: 1 });
    const r = env.reset({ seed: 1 });
    const [x, y] = env.state().players[0]!.pos;
    const base = { agent: 'player_0', observation: r.observations.player_0!, info: r.infos.player_0!, events: [], worldState: () => env.state() };
    assert.equal(vocab.isReached(vocab.parse({ kind: 'goto', x: Math.floor(x / 4), y: Math.floor(y / 4) }), base), true);
    assert.equal(vocab.isReached(vocab.parse({ kind: 'goto', x: Math.floor(x / 4) + 1, y: Math.floor(y / 4) }), base), false);
    assert.throws(() => vocab.isReached({ kind: 'goto', x: 0, y: 0 }, { ...base, worldState: undefined }), /need ctx.worldState/);
  });

  it('rejects names the rules do not offer, naming what they do offer', () => {
    assert.throws(() => vocab.parse({ kind: 'make', item: 'laser' }), (e: Error) => e instanceof SubgoalError && /^crafter offers no make "laser"; it offers wood_pickaxe, stone_pickaxe/.test(e.message));
    assert.throws(() => vocab.parse({ kind: 'fly' }), /crafter offers no subgoal "fly"; it offers collect, place, make, goto/);
    assert.throws(() => vocab.parse({ kind: 'collect', item: 'wood', extra: 1 }), /invalid crafter subgoal/);
  });
});
