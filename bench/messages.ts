/**
 * Cost of message channels in the lockstep loop: Crafter (mac rules) with 100 random players under `runSync`, with
 * no channel, with an idle channel, and with every player sending one team `sighting` per step (99 recipients each,
 * so ~9,900 deliveries a step), with an event subscriber as a recorder would have.
 * Usage: node --import tsx bench/messages.ts [steps=300] [players=100]
 */
import { MessageChannel, Simulation } from '../core/index.js';
import type { Controller, EpisodeContext, Rng } from '../core/index.js';
import { CrafterEnv } from '../worlds/crafter/crafter-env.js';
import { parseTeamMessage } from '../memory/messages.js';
import type { TeamMessage } from '../memory/messages.js';

const [steps = 300, players = 100] = process.argv.slice(2).map(Number);

function controller(channel: MessageChannel<TeamMessage> | null, talk: boolean, agent: string): Controller<unknown, number> {
  let rng: Rng | undefined;
  return {
    reset: (ctx: EpisodeContext) => void (rng = ctx.rng),
    act: (ctx) => {
      if (channel && talk) {
        channel.inbox(agent);
        channel.send(agent, { team: true }, { kind: 'sighting', what: 'tree', place: `${ctx.step},3`, count: 1 });
      }
      return rng!.int(0, 16);
    },
  };
}

/** World steps per wall-clock second and per CPU-second of this process (steadier on a shared machine). */
function bench(mode: 'none' | 'idle' | 'talking'): { sps: number; cpuSps: number; messages: number } {
  const env = new CrafterEnv({ players, ruleset: 'mac', events: false });
  const channel = mode === 'none' ? null : new MessageChannel<TeamMessage>({ parse: parseTeamMessage });
  const sim = new Simulation({ env, seed: 1, channels: channel ? [channel] : [], controllers: (a) => controller(channel, mode === 'talking', a) });
  let messages = 0;
  sim.events$.subscribe((e) => {
    if (e.type === 'messageDelivered') messages += e.data.to.length;
  });
  sim.runSync({ steps: Math.min(50, steps) }); // warm-up
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  sim.runSync({ steps });
  const cpu = process.cpuUsage(c0);
  return { sps: steps / ((performance.now() - t0) / 1000), cpuSps: steps / ((cpu.user + cpu.system) / 1e6), messages };
}

// Every mode once to warm the JIT up, then the best of three rounds, interleaved (a shared machine is noisy).
const modes = ['none', 'idle', 'talking'] as const;
for (const mode of modes) bench(mode);
const best = new Map<string, { sps: number; cpuSps: number; messages: number }>();
for (let round = 0; round < 3; round++) {
  for (const mode of modes) {
    const r = bench(mode);
    if (r.cpuSps > (best.get(mode)?.cpuSps ?? 0)) best.set(mode, r);
  }
}
for (const mode of modes) {
  const { sps, cpuSps, messages } = best.get(mode)!;
  console.log(`messages ${mode.padEnd(8)} players=${players}  ${sps.toFixed(0).padStart(6)} world steps/s  ${cpuSps.toFixed(0).padStart(6)} per CPU-s  (${messages} deliveries in the run)`);
}
