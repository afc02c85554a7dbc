/**
 * Long fuzz of the Crafter world: random actions, invariants checked every step (see worlds/crafter/check-invariants.ts).
 * Usage: node --import tsx scripts/fuzz-crafter.ts [--steps 10000000] [--players 1,6,100] [--ruleset crafter|mac] [--seed 1]
 * Steps are world steps, split evenly over the player counts. Exits 1 at the first broken invariant.
 */
import { CrafterEnv } from '../worlds/crafter/crafter-env.js';
import { checkInvariants } from '../worlds/crafter/check-invariants.js';
import { Rng } from '../core/rng.js';
import type { RulesetName } from '../worlds/crafter/rules.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const total = Number(arg('steps', '10000000'));
const playerCounts = arg('players', '1,6,100').split(',').map(Number);
const rulesets = arg('ruleset', 'crafter,mac').split(',') as RulesetName[];
const seed = Number(arg('seed', '1'));
const per = Math.ceil(total / (playerCounts.length * rulesets.length));
const t0 = Date.now();
for (const ruleset of rulesets) {
  for (const players of playerCounts) {
    const env = new CrafterEnv({ players, ruleset, oneHot: false, events: false });
    const rng = Rng.fromSeed(seed);
    env.reset({ seed });
    const prev = new Int32Array(players * env.rules.achievements.length);
    let episodes = 1;
    const actions: Record<string, number> = {};
    for (let i = 0; i < per; i++) {
      if (env.agents.length === 0) {
        env.reset();
        prev.fill(0);
        episodes++;
      }
      for (const k of Object.keys(actions)) delete actions[k];
      for (const a of env.agents) actions[a] = rng.int(0, env.nActions - 1);
      const res = env.step(actions);
      const problems = checkInvariants(env, res, prev);
      if (problems.length) {
        console.error(`${ruleset} players=${players} seed=${seed} episode ${episodes} step ${env.engine.stepCount}:\n  ${problems.join('\n  ')}`);
        process.exit(1);
      }
      if (i > 0 && i % 100000 === 0) console.log(`${ruleset} players=${players}: ${i} steps, ${episodes} episodes, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    console.log(`${ruleset} players=${players}: ${per} steps, ${episodes} episodes, all invariants held`);
  }
}
