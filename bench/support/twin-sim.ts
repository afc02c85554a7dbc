/**
 * One configuration of `bench/viewer.ts --sections twin`, run in a fresh child process: two twin simulations of MAC
 * Crafter with 6 random agents and the same seed (so the very same steps) in this one process, run in alternating
 * slices, never at the same time. Twin A has a viewer server and `--viewers n` headless viewers (none with n < 0:
 * the null configuration), on in half of the slice pairs and paused in the other half. Each pair gives a ratio
 * (A's steps/s over B's); the viewer's cost is the ratio with it on over the ratio with it paused. In one process both
 * twins run the same JIT-compiled code (separate processes differed by up to 8% with no viewer at all), and on and
 * paused pairs interleave, so the drift between phases of a run (up to 13% here) falls on both.
 */
import type { ChildProcess } from 'node:child_process';
import { Simulation } from '../../core/simulation.js';
import { createCrafterEnv } from '../../worlds/crafter/index.js';
import type { CrafterEnv, CrafterState } from '../../worlds/crafter/index.js';
import { crafterViewAdapter } from '../../worlds/crafter/crafter-view.js';
import { RandomController } from '../../agents/random-controller.js';
import { serveSimulation } from '../../viewer/server/serve-simulation.js';
import type { ServedSimulation } from '../../viewer/server/serve-simulation.js';
import { flag } from './flags.js';
import { startClients, stopClients } from './viewer-clients.js';
import type { Received } from './viewer-clients.js';

/** Per slice pair, A's steps/s over B's: from wall time, and from the process's CPU time in each slice. */
export interface Ratios { readonly wall: number[]; readonly cpu: number[] }

/** What the child sends back: the ratios with the viewer on and paused. */
export interface TwinResult {
  readonly on: Ratios;
  readonly off: Ratios;
  /** A's steps/s over its slices with the viewer. */
  readonly sps: number;
  readonly pictures: number;
  readonly bodies: number;
  readonly rested: number;
  readonly received: Received | null;
}

const viewers = Number(flag('viewers', '-1'));
const fps = Number(flag('fps', '15'));
const slices = Number(flag('slices', '32'));
const sliceSteps = Number(flag('slice-steps', '10000'));

function twin() {
  const env = createCrafterEnv({ ruleset: 'mac', agents: 6, oneHot: false }) as CrafterEnv;
  return { env, sim: new Simulation({ env, seed: 1, controllers: () => new RandomController() as never }) };
}
const a = twin();
const b = twin();
let served: ServedSimulation<CrafterState> | null = null;

/** Waits (untimed) until no viewer has a frame in flight, at most 200 ms: a slice's last acks land before the next. */
async function settle(): Promise<void> {
  for (let i = 0; i < 100 && (served?.room.inFlight ?? 0) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 2));
}

/**
 * `slices` slice pairs, A first in even pairs; the viewer (when there is one) is on for A's slice in pairs 0-1, 4-5,
 * ... and paused in the others (room stopped, source not following), so that the machine's drift over time falls
 * on both kinds alike. Per pair, A's steps/s over B's, wall and CPU.
 */
async function alternate(): Promise<{ on: Ratios; off: Ratios; aMs: number }> {
  const on: Ratios = { wall: [], cpu: [] };
  const off: Ratios = { wall: [], cpu: [] };
  let aMs = 0;
  for (let i = 0; i < slices; i++) {
    const viewing = i % 4 < 2;
    served?.live.follow(viewing);
    const ms = new Map<object, number>();
    const cpuMs = new Map<object, number>();
    for (const side of i % 2 === 0 ? [a, b] : [b, a]) {
      if (side === a && viewing) served?.room.start();
      else served?.room.stop();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await side.sim.run({ steps: sliceSteps, yieldEveryMs: 10 });
      const cpu = process.cpuUsage(c0);
      ms.set(side, performance.now() - t0);
      cpuMs.set(side, (cpu.user + cpu.system) / 1000);
      await settle();
    }
    served?.room.stop();
    if (viewing) aMs += ms.get(a)!;
    const kind = viewing ? on : off;
    kind.wall.push(ms.get(b)! / ms.get(a)!);
    kind.cpu.push(cpuMs.get(b)! / cpuMs.get(a)!);
  }
  return { on, off, aMs };
}

await a.sim.run({ steps: 3000, yieldEveryMs: 10 }); // warm-up: the same 3,000 steps on both
await b.sim.run({ steps: 3000, yieldEveryMs: 10 });
let clients: ChildProcess | null = null;
if (viewers >= 0) {
  served = await serveSimulation<CrafterState>({ sim: a.sim, adapter: crafterViewAdapter(a.env), seed: 1, maxFps: fps, log: () => {} });
  if (viewers > 0) clients = await startClients(served.server.viewUrl, viewers);
}
const run = await alternate();
if (a.sim.totalSteps !== b.sim.totalSteps) throw new Error(`twins out of step: ${a.sim.totalSteps} vs ${b.sim.totalSteps}`);
const received = clients ? await stopClients(clients) : null;
const room = served?.room;
const result: TwinResult = {
  on: run.on, off: run.off, sps: (slices * sliceSteps) / (run.aMs / 1000),
  pictures: room?.framesBuilt ?? 0, bodies: room?.bodiesBuilt ?? 0, rested: room?.ticksRested ?? 0, received,
};
await served?.close();
process.send!(result, () => process.exit(0));
