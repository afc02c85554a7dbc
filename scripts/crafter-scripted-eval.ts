/**
 * Runs the scripted Crafter agent on 20 seeds (full 10,000-step episodes or until death) and prints per-achievement
 * success rates, the achievements reached by any episode, per-seed unlocked counts, missing achievements and likely
 * cause of death, and the Crafter score.
 * Usage: npm run eval:scripted [-- --seeds 20 --first 1 --steps 10000]
 */
import { CrafterEnv } from '../worlds/crafter/index.js';
import { Rng } from '../core/rng.js';
import { runScriptedEpisode } from '../agents/crafter/run-episode.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const seeds = arg('seeds', 20);
const first = arg('first', 1);
const steps = arg('steps', 10000);
const env = new CrafterEnv({ players: 1 });
const names = env.rules.achievements;
const counts = new Map<string, number>(names.map((n) => [n, 0]));
const t0 = Date.now();
const perSeed: number[] = [];
for (let k = 0; k < seeds; k++) {
  const seed = first + k;
  const r = runScriptedEpisode(env, seed, Rng.fromSeed(seed).fork('scripted'), steps);
  for (const n of r.unlocked) counts.set(n, counts.get(n)! + 1);
  perSeed.push(r.unlocked.length);
  const missing = names.filter((n) => !r.unlocked.includes(n));
  console.log(`seed ${seed}: ${r.unlocked.length}/${names.length} unlocked, length ${r.length}${r.died ? ` (died: ${r.cause})` : ''}; missing: ${missing.join(', ') || '-'}`);
}
console.log('\nsuccess rates (%):');
let logSum = 0;
let reached = 0;
for (const n of names) {
  const s = (100 * counts.get(n)!) / seeds;
  logSum += Math.log(1 + s);
  if (s > 0) reached++;
  console.log(`  ${n.padEnd(20)} ${s.toFixed(1)}`);
}
const score = Math.exp(logSum / names.length) - 1;
console.log(`\nachievements reached by the ${seeds} episodes: ${reached}/${names.length}`);
const mean = perSeed.reduce((a, b) => a + b, 0) / seeds;
console.log(`per episode: mean ${mean.toFixed(2)} unlocked; ${perSeed.filter((n) => n >= 20).length}/${seeds} episodes with >= 20`);
console.log(`Crafter score S = ${score.toFixed(1)}%  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
