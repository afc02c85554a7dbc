import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { meanCi, studentTQuantile } from '../../cli/experiment-stats.js';
import { crafterScore } from '../../worlds/crafter/score.js';
import { conditionStats } from '../../cli/experiment-results.js';
import type { RunResult } from '../../cli/experiment-results.js';
import { parseExperiment } from '../../cli/experiment-file.js';

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: got ${a}, expected ${b} (± ${tol})`);

describe('experiment statistics', () => {
  it('Student t quantiles match the printed table', () => {
    // Two-sided 95% critical values from any statistics table.
    const table: [number, number][] = [[1, 12.706], [2, 4.303], [4, 2.776], [9, 2.262], [19, 2.093], [29, 2.045], [120, 1.980]];
    for (const [df, t] of table) close(studentTQuantile(0.975, df), t, 0.0006, `t(0.975, ${df})`);
    close(studentTQuantile(0.975, 1e7), 1.95996, 1e-4, 'large df tends to the normal 1.96');
    close(studentTQuantile(0.025, 4), -2.776, 0.0006, 'lower quantile is the mirror image');
  });

  it('the 95% interval of 1, 2, 3, 4, 5 is 3 ± 2.776 · 1.581 / √5 = 3 ± 1.963', () => {
    // By hand: mean 3, squared deviations 4 + 1 + 0 + 1 + 4 = 10, sd = √(10 / 4) = 1.5811, se = sd / √5 = 0.70711.
    const ci = meanCi([1, 2, 3, 4, 5]);
    assert.equal(ci.n, 5);
    assert.equal(ci.mean, 3);
    close(ci.sd!, Math.sqrt(2.5), 1e-12, 'sd');
    close(ci.halfWidth!, 2.776445 * 0.7071068, 1e-5, 'half width');
    close(ci.low!, 1.03676, 1e-4, 'low');
    close(ci.high!, 4.96324, 1e-4, 'high');
  });

  it('one value has a mean and no interval; equal values a zero-width one', () => {
    const one = meanCi([7]);
    assert.equal(one.mean, 7);
    assert.equal(one.halfWidth, null, 'no spread can be measured from one seed');
    assert.equal(meanCi([2, 2, 2]).halfWidth, 0);
    assert.throws(() => meanCi([]), /no values/);
  });

  it("pools a condition's achievement rates over its episodes before taking the Crafter score", () => {
    const plan = parseExperiment('pool.yaml', 'config: { world: crafter, rules: mac }\ngrid: { agents: [2] }\nseeds: 2\n');
    const cond = plan.conditions[0]!;
    const run = (seed: number, episodes: number, wood: number, diamond: number): RunResult => ({
      run: { condition: cond, seed, dir: '/nonexistent', log: '/nonexistent' },
      status: 'completed',
      metrics: { episodes, 'successRates.team.collect_wood': wood, 'successRates.team.collect_diamond': diamond },
    });
    // Run 0: 1 episode, wood 100%, diamond 0%; run 1: 3 episodes, wood 100%, diamond 100/3 %: pooled 4 episodes,
    // wood 100%, diamond 25%. Score = exp((ln 101 + ln 26) / 2) - 1 = √(101 · 26) - 1.
    const [s] = conditionStats(plan, [run(0, 1, 100, 0), run(1, 3, 100, 100 / 3)]);
    close(s!.successRates!['collect_diamond']!, 25, 1e-9, 'pooled diamond rate');
    close(s!.crafterScore!, Math.sqrt(101 * 26) - 1, 1e-9, 'Crafter score of the pooled rates');
    close(s!.crafterScore!, crafterScore([100, 25]), 1e-9, 'same formula as worlds/crafter/score.ts');
    close(s!.metrics['successRates.team.collect_diamond']!.mean, 50 / 3, 1e-9, 'the per-run mean is kept as a metric too');
  });
});
