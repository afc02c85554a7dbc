/**
 * Multi-agent PPO on navigation: two agents in a 5x5 room, each with its own goal (`goalMode: 'each'`, success
 * needs both), trained with one shared policy, a shared policy told the agent's id, and one policy per agent.
 * Prints the team success rate every 8 updates and the wall time of each variant.
 * Usage: node --import tsx bench/ppo-navigation-team.ts [totalSteps=24576] [seed=1]
 */
import { initBackend } from '../agents/learn/backend.js';
import { Ppo } from '../agents/learn/ppo.js';
import { Rng } from '../core/rng.js';
import { createNavigationEnv } from '../worlds/navigation/index.js';

const totalSteps = Number(process.argv[2] ?? 24_576);
const seed = Number(process.argv[3] ?? 1);
const backend = await initBackend('wasm');
const room = { layout: 'open-room', width: 7, height: 7, obstacleDensity: 0, viewSize: 9, maxSteps: 20, agents: 2, goalMode: 'each' } as const;
const variants = [
  { policy: 'shared', agentIdInput: false },
  { policy: 'shared', agentIdInput: true },
  { policy: 'per-agent', agentIdInput: false },
] as const;
for (const v of variants) {
  const t0 = performance.now();
  const ppo = new Ppo({
    makeEnv: () => createNavigationEnv(room),
    rng: Rng.fromSeed(seed),
    backend,
    config: { totalSteps, numEnvs: 8, numSteps: 64, hidden: [32], learningRate: 2.5e-3, lrSchedule: 'constant', gamma: 0.95, observationKeys: ['view'], ...v },
  });
  const curve: string[] = [];
  ppo.train((s) => {
    if (s.update % 8 === 0) curve.push(s.successRate.toFixed(2));
  });
  console.log(`${v.policy}${v.agentIdInput ? ' + agent id' : ''}: team success every 8 updates ${curve.join(' ')} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  ppo.dispose();
}
