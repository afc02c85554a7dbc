/**
 * One side of `bench/viewer.ts --sections twin`, run as a child process: MAC Crafter with 6 random agents, seed 1,
 * with a viewer server and `--viewers n` headless viewers (n >= 0) or without any viewer (n < 0). The parent asks it
 * to run slices of lockstep steps (`{ run: steps }`) while its twin (the same world, seed and agents, so the very
 * same steps) waits, and the other way round; it answers each slice's wall and CPU time. Both sides run the same
 * work in alternation on the same machine, so a slice pair's ratio is the viewer's cost without the drift between
 * separate runs; each side has its own process, so one's garbage is never collected on the other's time.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Simulation } from '../../core/simulation.js';
import { createCrafterEnv } from '../../worlds/crafter/index.js';
import type { CrafterEnv, CrafterState } from '../../worlds/crafter/index.js';
import { crafterViewAdapter } from '../../worlds/crafter/crafter-view.js';
import { RandomController } from '../../agents/random-controller.js';
import { serveSimulation } from '../../viewer/server/serve-simulation.js';
import { flag } from './flags.js';

/** What a side answers for one slice. */
export interface SliceTimes { readonly ms: number; readonly cpuMs: number }
/** What a side answers when stopped. */
export interface TwinStats { readonly frames: number; readonly bodies: number; readonly rested: number; readonly received: { frames: number; bytes: number } | null }

const viewers = Number(flag('viewers', '-1'));
const fps = Number(flag('fps', '15'));
const env = createCrafterEnv({ ruleset: 'mac', agents: 6, oneHot: false }) as CrafterEnv;
const sim = new Simulation({ env, seed: 1, controllers: () => new RandomController() as never });
const served = viewers < 0 ? null : await serveSimulation<CrafterState>({ sim, adapter: crafterViewAdapter(env), seed: 1, maxFps: fps, log: () => {} });
let clients: ChildProcess | null = null;
if (served && viewers > 0) {
  const script = fileURLToPath(new URL('../viewer.ts', import.meta.url));
  clients = fork(script, ['--clients', served.server.viewUrl, String(viewers)], { execArgv: ['--import', 'tsx'] });
  await new Promise<void>((resolve) => clients!.once('message', () => resolve()));
}

/** Waits (untimed) until no viewer has a frame in flight, at most 200 ms: a slice's last acks land before the next. */
async function settle(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((served?.room.inFlight ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

process.on('message', (m: { run?: number; stop?: boolean }) => {
  void (async () => {
    if (m.run !== undefined) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await sim.run({ steps: m.run, yieldEveryMs: 10 });
      const cpu = process.cpuUsage(c0);
      const times: SliceTimes = { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
      await settle();
      process.send!(times);
      return;
    }
    let received: TwinStats['received'] = null;
    if (clients) {
      const child = clients;
      const got = new Promise<{ frames: number; bytes: number }>((resolve) => child.once('message', (r) => resolve(r as never)));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send('stop');
      received = await got;
      await exited;
    }
    const room = served?.room;
    const stats: TwinStats = { frames: room?.framesBuilt ?? 0, bodies: room?.bodiesBuilt ?? 0, rested: room?.ticksRested ?? 0, received };
    await served?.close();
    sim.close();
    process.send!(stats, () => process.exit(0));
  })();
});
process.send!({ ready: true });
