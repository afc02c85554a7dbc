/**
 * The worker-thread side of {@link WorkerVectorEnv}: steps a contiguous share of the run's envs with a local
 * {@link VectorEnv} (same seed streams as in the main thread, picked by env index) and copies its results into the
 * shared buffers at the global slots. Commands come through a shared control word (Atomics), so the main thread
 * waits without turning its event loop; episode records and states go through a MessagePort read synchronously.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { Rng } from '../../../core/rng.js';
import { ObservationEncoder } from '../observation-encoder.js';
import { VectorEnv } from './vector-env.js';
import type { DiscreteEnv, VectorEnvState } from './vector-env.js';
import { CMD, STATE } from './worker-protocol.js';
import type { EnvWorkerInit } from './worker-protocol.js';

const init = workerData as EnvWorkerInit;
const mod = (await import(init.spec.module)) as Record<string, (arg: unknown, index: number) => DiscreteEnv>;
const make = mod[init.spec.factory];
if (typeof make !== 'function') throw new Error(`env worker: ${init.spec.module} has no export "${init.spec.factory}"`);
const envs = Array.from({ length: init.numEnvs }, (_, i) => make(init.spec.arg, init.firstEnv + i));
const first = envs[0] as DiscreteEnv;
const encoder = new ObservationEncoder(first.observationSpace(first.possibleAgents[0] as string), init.encoder);
const vec = new VectorEnv(envs, encoder, init.input, Rng.fromState(init.rng), init.firstEnv);
const N = init.totalEnvs;
const n = init.numEnvs;
const e0 = init.firstEnv;
const A = vec.actions;
const w = init.input === 'dense' ? encoder.size : encoder.bagSize;
const s = init.shared;
const g = {
  actions: new Int32Array(s.actions),
  obs: { dense: s.obs.dense && new Float32Array(s.obs.dense), idx: s.obs.idx && new Int32Array(s.obs.idx), val: s.obs.val && new Float32Array(s.obs.val) },
  finalObs: { dense: s.finalObs.dense && new Float32Array(s.finalObs.dense), idx: s.finalObs.idx && new Int32Array(s.finalObs.idx), val: s.finalObs.val && new Float32Array(s.finalObs.val) },
  live: new Uint8Array(s.live),
  masks: new Uint8Array(s.masks),
  rewards: new Float32Array(s.rewards),
  terminated: new Uint8Array(s.terminated),
  truncated: new Uint8Array(s.truncated),
  optionSteps: new Int32Array(s.optionSteps),
};
const localActions = new Int32Array(vec.slots);
const ctrl = new Int32Array(init.ctrl);

/** Copies this worker's blocks (one per agent: its `n` envs) from local arrays into the global layout. */
function publish(): void {
  for (let a = 0; a < vec.agentsPerEnv; a++) {
    const from = a * n;
    const to = a * N + e0;
    for (const key of ['dense', 'idx', 'val'] as const) {
      const src = vec.obs[key];
      if (src) (g.obs[key] as Float32Array | Int32Array).set(src.subarray(from * w, (from + n) * w), to * w);
      const fsrc = vec.finalObs[key];
      if (fsrc) (g.finalObs[key] as Float32Array | Int32Array).set(fsrc.subarray(from * w, (from + n) * w), to * w);
    }
    g.live.set(vec.live.subarray(from, from + n), to);
    g.masks.set(vec.masks.subarray(from * A, (from + n) * A), to * A);
  }
}

function run(cmd: number): unknown {
  switch (cmd) {
    case CMD.reset:
      vec.reset();
      publish();
      return null;
    case CMD.step: {
      for (let a = 0; a < vec.agentsPerEnv; a++) localActions.set(g.actions.subarray(a * N + e0, a * N + e0 + n), a * n);
      const res = vec.step(localActions);
      for (let a = 0; a < vec.agentsPerEnv; a++) {
        g.rewards.set(res.rewards.subarray(a * n, a * n + n), a * N + e0);
        g.terminated.set(res.terminated.subarray(a * n, a * n + n), a * N + e0);
        g.truncated.set(res.truncated.subarray(a * n, a * n + n), a * N + e0);
        if (res.optionSteps) g.optionSteps.set(res.optionSteps.subarray(a * n, a * n + n), a * N + e0);
        else g.optionSteps.fill(1, a * N + e0, a * N + e0 + n);
      }
      publish();
      const truncatedSlots = res.truncatedSlots.map((ls) => Math.floor(ls / n) * N + e0 + (ls % n));
      return { episodes: res.episodes, truncatedSlots, options: res.optionSteps !== null };
    }
    case CMD.snapshot:
      return vec.snapshot();
    case CMD.restore: {
      const msg = receiveMessageOnPort(init.port);
      vec.restore(msg?.message as VectorEnvState);
      publish();
      return null;
    }
    default:
      return null;
  }
}

for (;;) {
  let st = Atomics.load(ctrl, 0);
  while (st !== STATE.posted) {
    Atomics.wait(ctrl, 0, st);
    st = Atomics.load(ctrl, 0);
  }
  const cmd = Atomics.load(ctrl, 1);
  if (cmd === CMD.close) break;
  try {
    const out = run(cmd);
    if (out !== null) init.port.postMessage(out);
    Atomics.store(ctrl, 2, 0);
  } catch (err) {
    init.port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    Atomics.store(ctrl, 2, 1);
  }
  Atomics.store(ctrl, 0, STATE.done);
  Atomics.notify(ctrl, 0);
}
init.port.close();
