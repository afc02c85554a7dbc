// The Crafter place reader on a real world: the cell is the player's position as the world state has it, the place
// its 4x4 square, and the places seen are those with ground a player can stand on in its 9x7 view; the novelty
// modules run on Crafter through it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCrafterEnv } from '../../../worlds/crafter/index.js';
import type { CrafterEnv } from '../../../worlds/crafter/index.js';
import { CountNovelty, crafterPlaceReader, TopologicalReward, withIntrinsic } from '../../../agents/learn/intrinsic/index.js';
import { Rng } from '../../../core/rng.js';

describe('crafterPlaceReader', () => {
  it('reads the position from info, the place as its 4x4 square, and seen places from standable view cells', () => {
    const env = createCrafterEnv({ agents: 2, oneHot: false }) as CrafterEnv;
    const reader = crafterPlaceReader(env.rules, 4);
    let { observations, infos } = env.reset({ seed: 3 });
    const rng = Rng.fromSeed(1);
    for (let t = 0; t < 60; t++) {
      const state = env.state();
      for (const [i, agent] of env.agents.entries()) {
        const [x, y] = state.players.find((p) => p.agent === agent)!.pos;
        assert.equal(reader.cell(observations[agent]!, infos[agent]!, agent), `${x},${y}`, `step ${t}: cell of ${agent} (${i})`);
        const { at, seen } = reader.places(observations[agent]!, infos[agent]!, agent);
        assert.equal(at, `${Math.floor(x / 4)},${Math.floor(y / 4)}`);
        // Every seen place holds a standable cell of the true map within the view (materials at x * height + y).
        const [, height] = state.area;
        const standable = new Set(['grass', 'sand', 'path']);
        for (const place of seen) {
          const [px, py] = place.split(',').map(Number) as [number, number];
          let found = false;
          for (let cx = px * 4; cx < px * 4 + 4 && !found; cx++) {
            for (let cy = py * 4; cy < py * 4 + 4 && !found; cy++) {
              if (Math.abs(cx - x) > 4 || Math.abs(cy - y) > 3 || cx < 0 || cy < 0 || cx >= state.area[0] || cy >= height) continue;
              const m = state.materialNames[state.materials[cx * height + cy]! - 1];
              if (m !== undefined && standable.has(m)) found = true;
            }
          }
          assert.ok(found, `step ${t}: ${agent} sees place ${place} with ground to stand on`);
        }
        assert.ok(seen.includes(at!), 'the place the player stands in is seen');
      }
      const actions = Object.fromEntries(env.agents.map((a) => [a, rng.int(0, 5)]));
      ({ observations, infos } = env.step(actions));
    }
  });

  it('drives count novelty and the topological reward on Crafter: new cells and places pay, revisits pay less', () => {
    const base = createCrafterEnv({ agents: 1, oneHot: false }) as CrafterEnv;
    const reader = crafterPlaceReader(base.rules, 4);
    const env = withIntrinsic(base, [
      { module: new CountNovelty({ reader }), weight: 1 },
      { module: new TopologicalReward({ reader }), weight: 1 },
    ]);
    env.reset({ seed: 4 });
    const rng = Rng.fromSeed(2);
    let steps = 0;
    for (; steps < 200 && env.agents.length > 0; steps++) env.step({ player_0: rng.int(1, 4) });
    assert.ok(steps > 50, `the player walked ${steps} steps`);
    const m = env.episodeMetrics();
    assert.ok((m['intrinsic/count-novelty'] as number) > 1, `count novelty paid for new cells (${m['intrinsic/count-novelty']})`);
    assert.ok((m['intrinsic/topological'] as number) > 0, `the topological reward paid for new places (${m['intrinsic/topological']})`);
    assert.ok((m['intrinsic/count-novelty'] as number) < steps, 'but not a full bonus every step (revisits decay)');
  });
});
