// kg-planner agents on MAC through the kernel's Simulation. runCoopEpisode({ forbidWorldState: true }) hands every
// controller a worldState() that throws (a throw would surface as agentFailed and fail the run), so the agents play
// from their own views plus the team's graph; the test itself reads the world to check what they believed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCoopEpisode } from '../../bench/support/coop-episode.js';

test('one kg-planner reaches a diamond within 350 MAC steps from its own view, and knows where it is', async () => {
  const steps: number[] = [];
  for (const seed of [1, 2]) {
    const r = await runCoopEpisode({ agents: 1, shared: true, seed, forbidWorldState: true });
    steps.push(r.diamondStep);
    // Dead reckoning in the team frame (public spawn layout) matches the true position.
    assert.deepEqual(r.controllers[0]!.position, r.env.state().players[0]!.pos, `seed ${seed}: believed position`);
    // The recipe regression drove the tech tree: the tasks before the diamond came in a feasible order.
    assert.ok(r.tasks['wood pickaxe']! > r.tasks.table! && r.tasks['stone pickaxe']! > r.tasks.stone!, `seed ${seed}: ${JSON.stringify(r.tasks)}`);
    await r.kg.close();
  }
  assert.ok(steps.some((s) => s > 0 && s <= 350), `no diamond on seeds 1, 2: ${steps.join(', ')}`);
});

test('six kg-planners share a graph and talk: one owner per claimed subgoal, shares move items', async () => {
  let conflicts = 0;
  let owned = 0;
  const r = await runCoopEpisode({
    agents: 6, shared: true, seed: 1, forbidWorldState: true,
    // After step t, every claim sent at step t - 2 or earlier has been read by everyone (delivered for the next
    // decision): then no two agents may both believe they own the same subgoal.
    onStep: (t, cs) => {
      const owners = new Map<string, number>();
      cs.forEach((c) => {
        for (const sub of c.ownedClaims()) {
          const mine = c.claims.filter((e) => e.subgoal === sub && !e.release).at(-1);
          if (!mine || mine.sent < 0 || mine.sent > t - 2) continue;
          owned++;
          owners.set(sub, (owners.get(sub) ?? 0) + 1);
        }
      });
      for (const n of owners.values()) if (n > 1) conflicts++;
    },
  });
  const state = r.env.state();
  r.controllers.forEach((c, i) => assert.deepEqual(c.position, state.players[i]!.pos, `player_${i} believed position`));
  assert.ok(r.messages.accepted > 0, 'no message was accepted');
  assert.ok(owned > 0, 'no claim was ever held');
  assert.equal(conflicts, 0, 'two agents owned the same subgoal after the claims were delivered');
  // Every share action an agent counted is a world share event (one unit moved to a teammate), and some happened.
  const counted = r.controllers.reduce((a, c) => a + c.stats.shares, 0);
  assert.ok(r.shares > 0, 'no share happened');
  assert.equal(counted, r.shares);
  // Sightings invalidated (a mined ore, a cut tree) are kept with a time, not deleted.
  const gone = (await r.kg.sightings()).filter((s) => !s.valid);
  assert.ok(gone.length > 0 && gone.every((s) => typeof s.invalidatedAt === 'number'));
  await r.kg.close();
});
