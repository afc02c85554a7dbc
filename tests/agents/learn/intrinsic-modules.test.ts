// Each intrinsic module on hand-made observation and event sequences, with the payouts worked out by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WorldEventInput } from '../../../core/events.js';
import type { NavigationInfo, NavigationObservation } from '../../../worlds/navigation/navigation-env.js';
import { CountNovelty } from '../../../agents/learn/intrinsic/count-novelty.js';
import { TeamNovelty } from '../../../agents/learn/intrinsic/team-novelty.js';
import { TopologicalMap } from '../../../agents/learn/intrinsic/topological-map.js';
import { TopologicalReward } from '../../../agents/learn/intrinsic/topological-reward.js';
import { SubgoalReward } from '../../../agents/learn/intrinsic/subgoal-reward.js';
import { goalInView, navigationPlaceReader } from '../../../agents/learn/intrinsic/navigation-place-reader.js';
import { UntilReward } from '../../../agents/learn/intrinsic/until-reward.js';
import { ViewCategory } from '../../../worlds/navigation/materials.js';
import type { IntrinsicReward } from '../../../agents/learn/intrinsic/intrinsic-reward.js';

/** A 3x3 view of empty cells (category 0) around `(x, y)`. */
function obs(x: number, y: number, view = new Uint8Array(9)): NavigationObservation {
  return { view, position: Int32Array.of(x, y), hasKey: Uint8Array.of(0) };
}
const info: NavigationInfo = { actionMask: new Uint8Array(5).fill(1) };
type Walk = Record<string, NavigationObservation>;

/** Resets `m` on the first observations, then feeds the steps; returns each step's payouts. */
function run(m: IntrinsicReward<NavigationObservation, NavigationInfo>, start: Walk, steps: Walk[], events: WorldEventInput[][] = []): Record<string, number>[] {
  const agents = Object.keys(start);
  const infos = Object.fromEntries(agents.map((a) => [a, info]));
  m.reset({ episode: 0, agents, observations: start, infos });
  return steps.map((o, i) =>
    ({ ...m.reward({ episode: 0, step: i + 1, agents: Object.keys(o), actions: {}, observations: o, infos, rewards: {}, events: events[i] ?? [] }) }),
  );
}

describe('CountNovelty', () => {
  it('pays 1/sqrt(n) for the n-th visit to a cell, the start cell counting as the first', () => {
    const m = new CountNovelty({ reader: navigationPlaceReader(3) });
    const r = run(m, { a: obs(1, 1) }, [{ a: obs(2, 1) }, { a: obs(1, 1) }, { a: obs(2, 1) }, { a: obs(2, 1) }]);
    assert.deepEqual(r.map((x) => x.a), [1, 1 / Math.sqrt(2), 1 / Math.sqrt(2), 1 / Math.sqrt(3)]);
  });

  it('forgets counts each episode with scope episode, keeps them with scope run', () => {
    const reader = navigationPlaceReader(3);
    for (const [scope, expected] of [['episode', 1], ['run', 1 / Math.sqrt(2)]] as const) {
      const m = new CountNovelty({ reader, scope });
      run(m, { a: obs(1, 1) }, [{ a: obs(2, 1) }]);
      const second = run(m, { a: obs(1, 1) }, [{ a: obs(2, 1) }]);
      assert.equal(second[0]?.a, expected, `scope ${scope}: second episode's first step into (2,1)`);
    }
  });

  it('counts each agent apart', () => {
    const m = new CountNovelty({ reader: navigationPlaceReader(3) });
    const r = run(m, { a: obs(1, 1), b: obs(5, 5) }, [{ a: obs(2, 1), b: obs(1, 1) }]);
    assert.deepEqual(r[0], { a: 1, b: 1 }, 'b never stood on (1,1) itself');
  });
});

describe('TeamNovelty', () => {
  it('pays nothing for a cell a teammate covered, and 1/sqrt(n) for own revisits of uncovered cells', () => {
    const m = new TeamNovelty({ reader: navigationPlaceReader(3) });
    const r = run(m, { a: obs(1, 1), b: obs(5, 5) }, [
      { a: obs(2, 1), b: obs(1, 1) }, // b enters a's start cell: covered by a
      { a: obs(3, 1), b: obs(1, 2) },
      { a: obs(2, 1), b: obs(1, 2) }, // a returns: its 2nd visit, nobody else was there; b stays: 2nd visit
    ]);
    assert.deepEqual(r, [{ a: 1, b: 0 }, { a: 1, b: 1 }, { a: 1 / Math.sqrt(2), b: 1 / Math.sqrt(2) }]);
  });

  it('two agents entering the same new cell together both get the bonus, then neither does', () => {
    const m = new TeamNovelty({ reader: navigationPlaceReader(3) });
    const r = run(m, { a: obs(1, 1), b: obs(3, 1) }, [{ a: obs(2, 1), b: obs(2, 1) }, { a: obs(2, 1), b: obs(2, 1) }]);
    assert.deepEqual(r, [{ a: 1, b: 1 }, { a: 0, b: 0 }]);
  });
});

describe('TopologicalMap', () => {
  it('grows places, edges and frontiers and finds paths over traversed edges', () => {
    const map = new TopologicalMap();
    assert.equal(map.visit('A', null).newPlace, true);
    map.see(['A', 'B', 'C'], 'A');
    assert.deepEqual(map.frontiers(), ['B', 'C']);
    const v = map.visit('B', 'A');
    assert.deepEqual(v, { place: 'B', moved: true, newPlace: true, newEdge: true, wasFrontier: true, placeVisits: 1, edgeTraversals: 1 });
    assert.deepEqual(map.frontiers(), ['C']);
    assert.deepEqual(map.path('B', 'C'), ['B', 'A', 'C'], 'C is entered from A, where it was seen');
    assert.equal(map.path('B', 'Z'), null);
    const back = map.visit('A', 'B');
    assert.equal(back.newEdge, false);
    assert.equal(back.edgeTraversals, 2);
    assert.deepEqual(TopologicalMap.restore(map.snapshot()).path('B', 'C'), ['B', 'A', 'C'], 'a restored map plans the same');
  });
});

describe('TopologicalReward', () => {
  it('pays place/sqrt(n) + edge/sqrt(m) + frontier on place changes, nothing inside a place', () => {
    // Places are 3x3 squares: x 0-2 is place 0, x 3-5 place 1. The 3x3 view from (2,1) sees x = 1..3: places 0 and 1.
    const m = new TopologicalReward({ reader: navigationPlaceReader(3), placeBonus: 1, edgeBonus: 0.5, frontierBonus: 0.25 });
    const r = run(m, { a: obs(1, 1) }, [
      { a: obs(2, 1) }, // same place 0,0: 0; now sees place 1,0 (a frontier)
      { a: obs(3, 1) }, // new place 1,0 along a new edge, was a frontier: 1 + 0.5 + 0.25
      { a: obs(2, 1) }, // back to 0,0: 2nd visit, edge 2nd traversal
      { a: obs(3, 1) }, // 1,0 again: 2nd visit, edge 3rd traversal
    ]);
    assert.deepEqual(r.map((x) => x.a), [0, 1.75, 1 / Math.sqrt(2) + 0.5 / Math.sqrt(2), 1 / Math.sqrt(2) + 0.5 / Math.sqrt(3)]);
    assert.deepEqual(m.map('a').places(), ['0,0', '1,0']);
  });

  it('with a team map, a place one agent opened pays the next agent only the decayed bonus', () => {
    const m = new TopologicalReward({ reader: navigationPlaceReader(3), share: 'team', frontierBonus: 0 });
    const r = run(m, { a: obs(1, 1), b: obs(1, 1) }, [{ a: obs(4, 1), b: obs(1, 1) }, { a: obs(4, 1), b: obs(4, 1) }]);
    assert.equal(r[0]?.a, 1.5);
    assert.equal(r[1]?.b, 1 / Math.sqrt(2) + 0.5 / Math.sqrt(2));
  });
});

describe('UntilReward', () => {
  it('pays like the wrapped module until the goal is in view (that step included), then nothing for the episode', () => {
    const goalView = new Uint8Array(9);
    goalView[5] = ViewCategory.goal;
    const walk = [{ a: obs(2, 1), b: obs(2, 1) }, { a: obs(3, 1, goalView), b: obs(3, 1) }, { a: obs(6, 1), b: obs(6, 1) }];
    const plain = run(new TopologicalReward({ reader: navigationPlaceReader(3) }), { a: obs(1, 1), b: obs(1, 1) }, walk);
    const m = new UntilReward(new TopologicalReward({ reader: navigationPlaceReader(3) }), goalInView);
    const r = run(m, { a: obs(1, 1), b: obs(1, 1) }, walk);
    assert.ok((plain[2]?.a as number) > 0, 'the walk should pay for a new place on the third step');
    assert.deepEqual(r.map((x) => x.a), [plain[0]?.a, plain[1]?.a, 0], 'agent a sees the goal on step 2: paid then, not after');
    assert.deepEqual(r.map((x) => x.b), plain.map((x) => x.b), 'agent b never sees the goal: paid as the wrapped module');
    // A new episode pays again, and a snapshot carries who has stopped.
    const again = run(m, { a: obs(1, 1) }, [{ a: obs(4, 1, goalView) }, { a: obs(7, 1) }]);
    assert.ok((again[0]?.a as number) > 0 && again[1]?.a === 0);
    const copy = new UntilReward(new TopologicalReward({ reader: navigationPlaceReader(3) }), goalInView);
    copy.restore(m.snapshot());
    assert.deepEqual(copy.snapshot(), m.snapshot());
  });
});

describe('SubgoalReward', () => {
  const at = (x: number) => ({ kind: 'x', x });
  it('pays the bonus when reached, shapes by potential, and restarts on a new subgoal', () => {
    let goal = at(3);
    const m = new SubgoalReward<{ kind: string; x: number }, NavigationObservation, NavigationInfo>({
      subgoalOf: () => goal,
      isReached: (g, ctx) => ctx.observation.position[0] === g.x,
      potential: (g, o) => -Math.abs(g.x - (o.position[0] as number)),
      gamma: 1,
    });
    const r1 = run(m, { a: obs(1, 1) }, [{ a: obs(2, 1) }, { a: obs(3, 1) }, { a: obs(3, 1) }]);
    // -1 -> 0 (+1 shaping), then reached (+1 shaping +1 bonus), then over: nothing more for this subgoal.
    assert.deepEqual(r1.map((x) => x.a), [1, 2, 0]);
    goal = at(5);
    const next = m.reward({ episode: 0, step: 4, agents: ['a'], actions: {}, observations: { a: obs(4, 1) }, infos: { a: info }, rewards: {}, events: [] });
    assert.equal(next.a, 0, 'a new subgoal has no previous potential: no shaping on its first step');
    assert.equal(m.steps('a'), 1);
  });

  it('charges the timeout penalty once, and reads events for reached', () => {
    const m = new SubgoalReward<string, NavigationObservation, NavigationInfo>({
      subgoalOf: () => 'key',
      isReached: (_g, ctx) => ctx.events.some((e) => e.type === 'keyPicked' && (e.data as { agent: string }).agent === ctx.agent),
      timeout: 2,
      timeoutPenalty: 0.5,
    });
    const picked: WorldEventInput = { type: 'keyPicked', data: { agent: 'b', position: [0, 0] } };
    const r = run(m, { a: obs(1, 1), b: obs(1, 1) }, [{ a: obs(1, 1), b: obs(1, 1) }, { a: obs(1, 1), b: obs(1, 1) }, { a: obs(1, 1), b: obs(1, 1) }], [[], [picked], []]);
    assert.deepEqual(r, [{ a: 0, b: 0 }, { a: -0.5, b: 1 }, { a: 0, b: 0 }]);
  });
});
