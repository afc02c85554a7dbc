/**
 * `npm run bench:viewer`: what the live viewer costs the simulation. MAC Crafter, 6 agents, lockstep `run()` (which
 * yields to the event loop every few ms, so frames go out while it steps): steps/s with no viewer server, and with
 * 0, 1 and 5 headless socket.io-client viewers connected (in a child process, acking every frame as the page does),
 * rounds interleaved, median of the rounds; mean bytes per frame (the frame's JSON) as the viewers received them.
 * Then bytes per frame at the demo's pace (realtime, 10 steps/s, 1 viewer), for 6 random agents and for 6 kg-planner
 * agents on a tapped graphology graph, with the graph deltas' share.
 * First, the viewer's cost on the kernel's own thread without sockets: `runSync` with no subscriber, with a bare
 * `events$` subscriber (what any CLI run has: metrics, memory, replay) and with a live source (the viewer's per-step
 * work), rounds interleaved, median.
 * Before all that: (section `profile`, the headline figure) the viewer's share of the simulation process's CPU
 * profile (bench/support/profile-share.ts); (section `twin`) twin simulations running the very same steps in
 * alternating slices in one process, the viewer on one of them, on and paused in interleaved slice pairs
 * (bench/support/twin-sim.ts).
 * Usage: node --import tsx bench/viewer.ts [--steps 3000] [--rounds 3] [--fps 15] [--pace-steps 100]
 *   [--slices 32] [--slice-steps 10000] [--profile-steps 100000] [--sections profile,twin,source,sockets,pace]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { Simulation } from '../core/simulation.js';
import { createCrafterEnv } from '../worlds/crafter/index.js';
import type { CrafterEnv, CrafterState } from '../worlds/crafter/index.js';
import { crafterViewAdapter } from '../worlds/crafter/crafter-view.js';
import { RandomController } from '../agents/random-controller.js';
import { createKgPlannerController } from '../agents/crafter/kg-planner.js';
import { KnowledgeGraph } from '../memory/knowledge-graph.js';
import { GraphologyStore } from '../memory/graphology-store.js';
import { crafterSemanticRules } from '../worlds/crafter/semantic-rules.js';
import { serveSimulation } from '../viewer/server/serve-simulation.js';
import { GraphTap } from '../viewer/server/tap-store.js';
import { ViewerRoom } from '../viewer/server/viewer-room.js';
import { LiveSource } from '../viewer/server/live-source.js';
import { ClientPicture } from '../viewer/client-picture.js';
import { decodeFrame } from '../viewer/protocol.js';
import type { Snapshot } from '../viewer/protocol.js';
import { flag } from './support/flags.js';
import { profileShare } from './support/profile-share.js';
import { startClients, stopClients } from './support/viewer-clients.js';
import type { TwinResult } from './support/twin-sim.js';

const args = process.argv.slice(2);

// ---- child: headless viewers ---------------------------------------------------------------------------------
if (args[0] === '--clients') {
  const url = args[1]!;
  const n = Number(args[2]);
  let frames = 0;
  let bytes = 0;
  let graphBytes = 0;
  let ready = 0;
  const sockets = Array.from({ length: n }, () => {
    const s = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    let picture: ClientPicture | null = null;
    s.on('snapshot', (snap: Snapshot) => {
      picture = new ClientPicture(snap);
      if (++ready === n) process.send!({ ready: true });
    });
    s.on('frame', (body: Uint8Array, skipped: number, ack: () => void) => {
      const f = decodeFrame(body, skipped);
      frames++;
      bytes += body.byteLength;
      graphBytes += JSON.stringify(f.graph).length;
      picture?.apply(f);
      ack();
    });
    return s;
  });
  process.on('message', () => {
    for (const s of sockets) s.close();
    process.send!({ frames, bytes, graphBytes }, () => process.exit(0));
  });
} else if (args[0] === '--one') {
  // One measurement in a fresh process (see `isolated`): a sockets configuration, a `source:<mode>` run, or a
  // `profile:<viewers>` run.
  const what = args[1]!;
  const steps = Number(flag('steps', '3000'));
  if (what.startsWith('profile:')) {
    // Run under --cpu-prof by `profileSection`: one lockstep run with the viewer, nothing else.
    await measure(Number(what.slice(8)), steps, Number(flag('fps', '15')), fresh('profile'), false);
    process.send!({ done: true }, () => process.exit(0));
  } else if (what.startsWith('source:')) {
    const mode = Number(what.slice(7));
    sourceRun(mode, Math.min(steps, 3000)); // warm-up
    process.send!({ sps: sourceRun(mode, steps) }, () => process.exit(0));
  } else {
    const row = fresh(what);
    await measure(what === 'none' ? null : Number(what), Math.min(steps, 3000), Number(flag('fps', '15')), fresh('warm-up'), false);
    await measure(what === 'none' ? null : Number(what), steps, Number(flag('fps', '15')), row, false);
    process.send!(row, () => process.exit(0));
  }
} else {
  await main();
}

/**
 * Runs one measurement in a fresh Node process and returns what it sent: every configuration gets the same cold
 * start and warm-up, and none runs with another's JIT state (in one process, whichever code ran first shaped the
 * inline caches the others then used: +-10% between identical configurations).
 */
function isolated<T>(what: string, steps: number, fps: number): Promise<T> {
  const child = fork(process.argv[1]!, ['--one', what, '--steps', String(steps), '--fps', String(fps)], { execArgv: ['--import', 'tsx'] });
  return new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('exit', (code) => code !== 0 && reject(new Error(`bench child ${what} exited with ${code}`)));
  });
}

/** runSync of MAC Crafter with 6 random agents: no subscriber (0), a bare `events$` subscriber (1), a live source (2). */
function sourceRun(mode: number, steps: number): number {
  const env = createCrafterEnv({ ruleset: 'mac', agents: 6, oneHot: false }) as CrafterEnv;
  const sim = new Simulation({ env, seed: 1, controllers: () => new RandomController() as never });
  if (mode === 1) sim.events$.subscribe(() => {});
  if (mode === 2) new ViewerRoom('bench', (r) => new LiveSource({ sim, adapter: crafterViewAdapter(env), seed: 1 }, r));
  const t0 = performance.now();
  sim.runSync({ steps });
  const sps = steps / ((performance.now() - t0) / 1000);
  sim.close();
  return sps;
}

/** One configuration's rounds: wall-clock steps/s, and steps per CPU-second of this (the simulation's) process. */
interface Row {
  readonly label: string;
  readonly sps: number[];
  readonly cpuSps: number[];
  /** Share of the run's wall time spent in the room's ticks. */
  readonly work: number[];
  rested: number;
  frames: number;
  bytes: number;
  graphBytes: number;
}

function fresh(label: string): Row {
  return { label, sps: [], cpuSps: [], work: [], rested: 0, frames: 0, bytes: 0, graphBytes: 0 };
}

/** One run: lockstep as fast as it goes, or realtime at `pace` steps/s. */
async function measure(n: number | null, steps: number, fps: number, row: Row, kg: boolean, pace?: number): Promise<void> {
  const env = createCrafterEnv({ ruleset: 'mac', agents: 6, oneHot: false }) as CrafterEnv;
  const tap = new GraphTap();
  let graph: KnowledgeGraph | null = null;
  if (kg) {
    graph = await KnowledgeGraph.open(tap.wrap(new GraphologyStore()));
    graph.loadRules(crafterSemanticRules(env.rules.data) as never);
  }
  const controllers = kg
    ? () => createKgPlannerController({ kg: graph!, shareMemory: true, team: 'team', rules: env.rules, agents: env.possibleAgents }) as never
    : () => new RandomController() as never;
  const sim = new Simulation({ env, seed: 1, controllers });
  const served = n === null ? null : await serveSimulation<CrafterState>({ sim, adapter: crafterViewAdapter(env), seed: 1, graph: tap, maxFps: fps, log: () => {} });
  const child = served && n! > 0 ? await startClients(served.server.viewUrl, n!) : null;
  let tickMs = 0;
  if (served) {
    // The room's own work on this thread: every tick timed (frames, diffs, encoding, socket writes).
    const room = served.room;
    const tick = room.tick.bind(room);
    room.tick = (force?: boolean) => {
      const a = performance.now();
      tick(force);
      tickMs += performance.now() - a;
    };
  }
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (pace) await sim.runRealtime({ stepsPerSecond: pace, steps });
  else await sim.run({ steps, yieldEveryMs: 10 });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  row.sps.push(sim.totalSteps / seconds);
  row.cpuSps.push(sim.totalSteps / ((cpu.user + cpu.system) / 1e6));
  row.work.push(tickMs / (seconds * 1000));
  row.rested += served?.room.ticksRested ?? 0;
  if (child) {
    const r = await stopClients(child);
    row.frames += r.frames;
    row.bytes += r.bytes;
    row.graphBytes += r.graphBytes;
  }
  await served?.close();
  await graph?.close();
  sim.close();
}

async function main(): Promise<void> {
  const steps = Number(flag('steps', '3000'));
  const rounds = Number(flag('rounds', '3'));
  const fps = Number(flag('fps', '15'));
  const paceSteps = Number(flag('pace-steps', '100'));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const kb = (b: number) => `${(b / 1024).toFixed(2)} KB`;
  const configs: [string, number | null][] = [['no viewer server', null], ['0 viewers', 0], ['1 viewer', 1], ['5 viewers', 5]];
  const sections = flag('sections', 'profile,twin,source,sockets,pace').split(',');
  if (sections.includes('profile')) await profileSection(Number(flag('profile-steps', '100000')), fps);
  if (sections.includes('twin')) await twinSection(Number(flag('slices', '32')), Number(flag('slice-steps', '10000')), fps);
  if (sections.includes('source')) {
    const labels = ['no subscriber', 'bare events$ subscriber', 'live source'];
    const sps: number[][] = [[], [], []];
    const n = Math.max(rounds, 5);
    for (let round = 0; round < n; round++) {
      for (let k = 0; k < 3; k++) {
        const m = (k + round) % 3;
        sps[m]!.push((await isolated<{ sps: number }>(`source:${m}`, steps, fps)).sps);
      }
    }
    console.log(`Per-step cost of a live source, MAC Crafter, 6 random agents, runSync ${steps} steps, median of ${Math.max(rounds, 5)} rounds (a fresh process each)`);
    const base = median(sps[1]!);
    labels.forEach((label, m) => console.log(`  ${label.padEnd(24)} ${median(sps[m]!).toFixed(0).padStart(6)} steps/s  ${m === 2 ? `${(((base - median(sps[m]!)) / base) * 100).toFixed(1)}% slower than a bare subscriber` : ''}`));
  }
  if (!sections.includes('sockets')) return paceSection(sections, paceSteps, fps, kb);
  const rows: Row[] = configs.map(([label]) => fresh(label));
  // Each measurement runs in a fresh process (a warm-up of 3,000 steps, then the run); the order rotates every
  // round, and each configuration is compared with the baseline of its own round: the median of those ratios.
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < configs.length; k++) {
      const i = (k + round) % configs.length;
      const got = await isolated<Row>(String(configs[i]![1] ?? 'none'), steps, fps);
      const row = rows[i]!;
      row.sps.push(...got.sps);
      row.cpuSps.push(...got.cpuSps);
      row.work.push(...got.work);
      row.rested += got.rested;
      row.frames += got.frames;
      row.bytes += got.bytes;
      row.graphBytes += got.graphBytes;
    }
  }
  const paired = (row: Row, pick: (r: Row) => number[]) => median(pick(row).map((v, r) => v / pick(rows[0]!)[r]!));
  const pct = (ratio: number) => `${ratio <= 1 ? '-' : '+'}${Math.abs((1 - ratio) * 100).toFixed(1)}%`;
  console.log(`MAC Crafter, 6 random agents, lockstep: ${steps} steps, ${rounds} rounds (order rotated, a fresh process each), frames at most ${fps}/s`);
  console.log(`  ${''.padEnd(17)} ${'steps/s'.padStart(7)} ${'change'.padStart(7)}  ${'steps/CPU-s'.padStart(11)} ${'change'.padStart(7)}  (medians; changes are the median of per-round ratios to the baseline)`);
  for (const row of rows) {
    const base = row === rows[0];
    const perFrame = row.frames > 0 ? `${kb(row.bytes / row.frames)}/frame (${row.frames} frames, ${row.rested} ticks rested), room work ${(median(row.work) * 100).toFixed(1)}% of the time` : '';
    console.log(`  ${row.label.padEnd(17)} ${median(row.sps).toFixed(0).padStart(7)} ${(base ? '' : pct(paired(row, (r) => r.sps))).padStart(7)}  ${median(row.cpuSps).toFixed(0).padStart(11)} ${(base ? '' : pct(paired(row, (r) => r.cpuSps))).padStart(7)}  ${perFrame}`);
  }
  return paceSection(sections, paceSteps, fps, kb);
}

/**
 * The viewer's cost from CPU profiles: for 0, 1 and 5 viewers, a fresh process runs lockstep under `--cpu-prof`, and
 * its samples are split between the viewer (its code, socket.io and what they call) and the simulation
 * (bench/support/profile-share.ts). Both shares come from the same run, so the machine's drift cancels out.
 */
async function profileSection(steps: number, fps: number): Promise<void> {
  console.log(`CPU profile of the simulation's process: MAC Crafter, 6 random agents, lockstep ${steps} steps, frames at most ${fps}/s`);
  console.log(`  ${''.padEnd(10)} ${'viewer / simulation'.padStart(19)} ${'viewer ms'.padStart(9)} ${'sim ms'.padStart(8)} ${'GC ms'.padStart(7)}`);
  for (const n of [0, 1, 5]) {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-viewer-prof-'));
    try {
      const child = fork(process.argv[1]!, ['--one', `profile:${n}`, '--steps', String(steps), '--fps', String(fps)], { execArgv: ['--import', 'tsx', '--cpu-prof', '--cpu-prof-dir', dir] });
      await new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`profile child exited with ${code}`)))));
      // The loader's thread writes a profile too: the simulation's is the largest.
      const files = readdirSync(dir).map((f) => join(dir, f)).sort((x, y) => statSync(y).size - statSync(x).size);
      const s = profileShare(files[0]!);
      console.log(`  ${`${n} viewer${n === 1 ? '' : 's'}`.padEnd(10)} ${`${((s.viewer / s.sim) * 100).toFixed(1)}%`.padStart(19)} ${s.viewer.toFixed(0).padStart(9)} ${s.sim.toFixed(0).padStart(8)} ${s.gc.toFixed(0).padStart(7)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * The viewer's cost measured on twins (bench/support/twin-sim.ts): per configuration, a fresh process runs two
 * simulations of the very same steps in alternating slices, one with the viewer, on in half of the pairs and paused
 * in the others. Each slice pair gives a ratio; the change is the median ratio with it on over the median paused.
 * The null configuration (no viewer on either) shows the method's own spread.
 */
async function twinSection(slices: number, sliceSteps: number, fps: number): Promise<void> {
  const configs: [string, number][] = [['null (no viewer on either)', -1], ['0 viewers', 0], ['1 viewer', 1], ['5 viewers', 5]];
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const pct = (r: number) => `${r <= 1 ? '-' : '+'}${Math.abs((1 - r) * 100).toFixed(1)}%`;
  console.log(`Twins: MAC Crafter, 6 random agents, lockstep, ${slices} slice pairs of ${sliceSteps} steps a side, the viewer on in half of them (frames at most ${fps}/s)`);
  console.log(`  ${''.padEnd(27)} ${'steps/s'.padStart(7)} ${'change'.padStart(7)} ${'(on'.padStart(7)} ${'paused)'.padStart(7)} ${'mean +- se'.padStart(14)} ${'CPU change'.padStart(10)}  frames`);
  for (const [label, viewers] of configs) {
    const script = new URL('./support/twin-sim.ts', import.meta.url).pathname;
    const child = fork(script, ['--viewers', String(viewers), '--fps', String(fps), '--slices', String(slices), '--slice-steps', String(sliceSteps)], { execArgv: ['--import', 'tsx'] });
    const r = await new Promise<TwinResult>((resolve, reject) => {
      child.once('message', (m) => resolve(m as TwinResult));
      child.once('exit', (code) => code !== 0 && reject(new Error(`twin ${label} exited with ${code}`)));
    });
    const change = median(r.on.wall) / median(r.off.wall);
    const corrected = r.on.wall.map((x) => x / median(r.off.wall));
    const mean = corrected.reduce((x, y) => x + y, 0) / corrected.length;
    const se = Math.sqrt(corrected.reduce((x, y) => x + (y - mean) ** 2, 0) / (corrected.length - 1) / corrected.length);
    const cpu = median(r.on.cpu) / median(r.off.cpu);
    const frames = r.received
      ? `${r.pictures} pictures, ${r.bodies} bodies, ${r.received.frames} frames received, ${(r.received.bytes / Math.max(1, r.received.frames) / 1024).toFixed(2)} KB/frame, ${r.rested} ticks rested`
      : `${r.pictures} pictures`;
    console.log(`  ${label.padEnd(27)} ${r.sps.toFixed(0).padStart(7)} ${pct(change).padStart(7)} ${pct(median(r.on.wall)).padStart(7)} ${pct(median(r.off.wall)).padStart(7)} ${`${pct(mean)} +- ${(se * 100).toFixed(1)}`.padStart(14)} ${pct(cpu).padStart(10)}  ${frames}`);
  }
}

async function paceSection(sections: string[], paceSteps: number, fps: number, kb: (b: number) => string): Promise<void> {
  if (paceSteps <= 0 || !sections.includes('pace')) return;
  console.log(`At the demo's pace: realtime 10 steps/s, ${paceSteps} steps, 1 viewer`);
  for (const [label, kg] of [['6 random agents', false], ['6 kg-planner agents + graph', true]] as const) {
    const row = fresh(label);
    await measure(1, paceSteps, fps, row, kg, 10);
    const f = Math.max(1, row.frames);
    console.log(`  ${label.padEnd(28)} ${kb(row.bytes / f)}/frame (graph ${kb(row.graphBytes / f)}, the rest ${kb((row.bytes - row.graphBytes) / f)}), ${row.frames} frames`);
  }
}
