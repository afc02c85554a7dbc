import { Simulation } from './core/simulation.js';
import { createCrafterEnv } from './worlds/crafter/index.js';
import type { CrafterEnv } from './worlds/crafter/index.js';
import { crafterViewAdapter } from './worlds/crafter/crafter-view.js';
import { RandomController } from './agents/random-controller.js';
import { ViewerRoom } from './viewer/server/viewer-room.js';
import { LiveSource } from './viewer/server/live-source.js';
const run = (mode: number) => {
  const env = createCrafterEnv({ ruleset: 'mac', agents: 6, oneHot: false }) as CrafterEnv;
  const sim = new Simulation({ env, seed: 1, controllers: () => new RandomController() as never });
  if (mode === 1) sim.events$.subscribe(() => {});
  if (mode === 2) new ViewerRoom('x', (r) => new LiveSource({ sim, adapter: crafterViewAdapter(env), seed: 1 }, r));
  const t = performance.now(); sim.runSync({ steps: 3000 }); return 3000 / ((performance.now() - t) / 1000);
};
run(0); run(1); run(2);
const r: number[][] = [[], [], []];
for (let i = 0; i < 7; i++) for (let m = 0; m < 3; m++) r[m]!.push(run(m));
const med = (x: number[]) => x.sort((p, q) => p - q)[3]!;
console.log('plain', med(r[0]!).toFixed(0), 'bare events$ subscriber', med(r[1]!).toFixed(0), 'live source', med(r[2]!).toFixed(0));
