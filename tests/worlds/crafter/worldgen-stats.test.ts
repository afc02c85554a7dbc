import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CrafterEnv } from '../../../worlds/crafter/crafter-env.js';

/**
 * Canopy's world generation against the reference Crafter's statistics (tests/fixtures/crafter/worldgen-stats.json,
 * recorded from PyPI crafter 1.8.3 over seeds 0..199 by scripts/crafter-fixtures/record.py --stats): the share of
 * each material over the 64x64 map and the count of each creature at reset.
 */

const SEEDS = 200;
const REL_TOL = 0.2;

const summary = z.object({ mean: z.number(), std: z.number(), min: z.number(), max: z.number() });
const statsSchema = z.object({
  area: z.tuple([z.number(), z.number()]),
  materials: z.record(z.string(), summary),
  creatures: z.record(z.string(), summary),
});
const statsPath = fileURLToPath(new URL('../../fixtures/crafter/worldgen-stats.json', import.meta.url));
const reference = statsSchema.parse(JSON.parse(readFileSync(statsPath, 'utf8')));

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Allowed |canopy mean - reference mean|. 20% relative, but never below three standard errors of canopy's mean
 * (estimated with the reference's per-seed std over our seed count): for rare things (diamond ~ a few cells per map,
 * skeletons, zombies) the seed-to-seed noise of a finite sample alone can exceed 20% of a tiny mean, and a test that
 * fails on sampling noise is not evidence of a wrong generator. With 200 seeds the floor only matters when
 * std/mean > ~0.2 * sqrt(200) / 3 ~ 0.94, i.e. for the rarest, Poisson-like counts (the reference's diamond share
 * has std/mean ~ 0.6, so 20% still binds). Materials the reference never generates (table, furnace: mean 0, std 0)
 * get tolerance 0: canopy must not generate them either.
 */
function tolerance(ref: { mean: number; std: number }, n: number): number {
  return Math.max(REL_TOL * ref.mean, (3 * ref.std) / Math.sqrt(n));
}

test(`crafter worldgen: material shares and creature counts within 20% of the reference over ${SEEDS} seeds`, () => {
  const env = new CrafterEnv({ oneHot: false, events: false });
  const shares = new Map<string, number[]>();
  const counts = new Map<string, number[]>();
  for (const name of Object.keys(reference.materials)) shares.set(name, []);
  for (const name of Object.keys(reference.creatures)) counts.set(name, []);
  for (let seed = 0; seed < SEEDS; seed++) {
    env.reset({ seed });
    const st = env.state();
    assert.deepEqual(st.area, reference.area, 'area');
    const total = st.area[0] * st.area[1];
    const histogram = new Array<number>(st.materialNames.length + 1).fill(0);
    for (const id of st.materials) histogram[id]! += 1;
    for (const [name, list] of shares) {
      const id = st.materialNames.indexOf(name);
      assert.ok(id >= 0, `canopy has no material ${name}`);
      list.push(histogram[id + 1]! / total);
    }
    for (const [name, list] of counts) list.push(st.objects.filter((o) => o.kind === name).length);
  }
  const failures: string[] = [];
  const check = (group: string, name: string, values: number[], ref: { mean: number; std: number }): void => {
    const ours = mean(values);
    const tol = tolerance(ref, values.length);
    if (Math.abs(ours - ref.mean) > tol) {
      failures.push(`${group} ${name}: canopy mean ${ours.toPrecision(4)} vs reference ${ref.mean.toPrecision(4)} (allowed ±${tol.toPrecision(3)})`);
    }
  };
  for (const [name, values] of shares) check('material share', name, values, reference.materials[name]!);
  for (const [name, values] of counts) check('creature count', name, values, reference.creatures[name]!);
  assert.deepEqual(failures, [], failures.join('\n'));
});
