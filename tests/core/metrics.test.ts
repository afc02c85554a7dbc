import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EpisodeMetricsCollector, ofType, Simulation } from '../../core/index.js';
import type { WorldEvent } from '../../core/index.js';
import { CorridorWorld } from './support/corridor-world.js';
import { RandomWalker } from './support/controllers.js';

test('the collector averages lengths, returns and world metrics of finished episodes', () => {
  const sim = new Simulation({ env: new CorridorWorld({ maxSteps: 10 }), seed: 12, controllers: () => new RandomWalker() });
  const metrics = new EpisodeMetricsCollector();
  metrics.attach(sim.events$);
  const ends: WorldEvent<'episodeEnd'>[] = [];
  sim.events$.pipe(ofType('episodeEnd')).subscribe((e) => ends.push(e));
  const live: number[] = [];
  metrics.episodes$.subscribe((r) => live.push(r.episode));
  sim.runSync({ episodes: 6 });

  assert.equal(metrics.records.length, 6);
  assert.deepEqual(live, [0, 1, 2, 3, 4, 5]);
  const s = metrics.summary();
  assert.equal(s.episodes, 6);
  const meanLength = ends.reduce((a, e) => a + e.data.length, 0) / ends.length;
  assert.ok(Math.abs(s.meanLength - meanLength) < 1e-12);
  const successes = ends.map((e) => e.data.metrics.success as number);
  assert.ok(successes.some((x) => x === 1) && successes.some((x) => x === 0), `the test wants mixed outcomes, got ${successes}`);
  assert.ok(Math.abs((s.successRate as number) - successes.reduce((a, b) => a + b, 0) / 6) < 1e-12);
  assert.equal(metrics.successRate, s.successRate);
  const agent0 = ends.reduce((a, e) => a + (e.data.returns['agent_0'] as number), 0) / 6;
  assert.ok(Math.abs((s.meanReturnByAgent['agent_0'] as number) - agent0) < 1e-12);
  const meanReturn = ends.reduce((a, e) => a + Object.values(e.data.returns).reduce((x, y) => x + y, 0) / 3, 0) / 6;
  assert.ok(Math.abs(s.meanReturn - meanReturn) < 1e-12);
  assert.ok('reached' in s.meanMetrics);
});

test('interrupted episodes are recorded but left out of the averages', () => {
  const sim = new Simulation({ env: new CorridorWorld(), seed: 1, controllers: () => new RandomWalker() });
  const metrics = new EpisodeMetricsCollector();
  metrics.attach(sim.events$);
  sim.runSync({ steps: 1 });
  sim.reset();
  sim.runSync({ episodes: 1 });
  assert.equal(metrics.records.length, 2);
  assert.equal(metrics.records[0]?.interrupted, true);
  const s = metrics.summary();
  assert.equal(s.episodes, 1);
  assert.equal(s.interrupted, 1);
  assert.equal(s.meanLength, metrics.records[1]?.length);
});
