/**
 * A learner worker thread (see {@link ShardLearner}): a replica of each policy group's network on its own tfjs
 * backend, which computes the gradient of the second shard of each minibatch, or the policy head for the second half
 * of a group's slots during the rollout, and applies Adam to the second half of the flattened weights (in the shared
 * buffer, not its replica). Before a network command it loads the shared weights if they changed, so the replica
 * cannot drift. Commands come through a shared control word (Atomics).
 */
import { workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../core/rng.js';
import { initBackend } from '../backend.js';
import { ActorCritic } from '../networks/actor-critic.js';
import { headOutput } from '../networks/network-input.js';
import { ADAM_PARAMS, CTRL, LEARNER_CMD, LEARNER_STATE, adamSplit } from './learner-protocol.js';
import type { LearnerWorkerInit } from './learner-protocol.js';
import { copyRows, shardGradientsInto } from './ppo-loss.js';
import { adamRange, sumSquares } from './split-adam.js';

const init = workerData as LearnerWorkerInit;
await initBackend(init.backend, { quiet: true });
// The initial draws do not matter: the main thread's weights are loaded before the first command.
const nets = Array.from({ length: init.groups }, () => new ActorCritic(init.spec, Rng.fromSeed(0)));
const loaded = new Int32Array(init.groups);
const s = init.shared;
const w = init.width;
const A = init.spec.actions;
const f32 = (b: SharedArrayBuffer) => new Float32Array(b);
const data = {
  dense: s.dense && f32(s.dense), idx: s.idx && new Int32Array(s.idx), val: s.val && f32(s.val),
  actions: new Int32Array(s.actions), oldLogp: f32(s.oldLogp), oldValues: f32(s.oldValues), returns: f32(s.returns),
  advantages: f32(s.advantages), maskBias: f32(s.maskBias),
};
const weights = s.weights.map(f32);
const grads = f32(s.grads);
const firstGrads = f32(s.firstGrads);
const m = s.m.map(f32);
const v = s.v.map(f32);
const adamParams = new Float64Array(s.adamParams);
const stats = new Float64Array(s.stats);
const head = f32(s.head);
const ctrl = new Int32Array(init.ctrl);

/** Sets control word `at` to 1 and wakes the main thread. */
function signal(at: number): void {
  Atomics.store(ctrl, at, 1);
  Atomics.notify(ctrl, at);
}

/** Blocks until the main thread sets control word `at` to 1. */
function await1(at: number): void {
  while (Atomics.load(ctrl, at) !== 1) Atomics.wait(ctrl, at, 0, 60_000);
}

/** Loads group g's weights if the main thread wrote newer ones. */
function sync(g: number): ActorCritic {
  const net = nets[g] as ActorCritic;
  const version = Atomics.load(ctrl, CTRL.weightVersion + g);
  if (loaded[g] !== version) {
    const flat = weights[g] as Float32Array;
    let off = 0;
    net.setWeights(net.variables.map((v) => flat.slice(off, (off += v.size))));
    loaded[g] = version;
  }
  return net;
}

function run(cmd: number): void {
  const g = Atomics.load(ctrl, CTRL.group);
  if (cmd === LEARNER_CMD.adam) {
    const flat = weights[g] as Float32Array;
    const P = ADAM_PARAMS;
    const split = adamSplit(flat.length);
    // This half's share of the gradient norm; the main thread adds it to its own and sends back the clip factor.
    adamParams[P.workerSquares] = sumSquares(firstGrads, grads, split, flat.length);
    signal(CTRL.workerSquares);
    await1(CTRL.scaleReady);
    const p = { scale: adamParams[P.scale] as number, lr: adamParams[P.lr] as number, accBeta1: adamParams[P.accBeta1] as number, accBeta2: adamParams[P.accBeta2] as number };
    adamRange(flat, m[g] as Float32Array, v[g] as Float32Array, firstGrads, grads, split, flat.length, init.adam, p);
    signal(CTRL.workerHalf);
    // Load the new weights now, while the main thread loads them too, not at the start of the next shard.
    await1(CTRL.mainHalf);
    sync(g);
    return;
  }
  const rows = Atomics.load(ctrl, CTRL.rows);
  const net = sync(g);
  if (cmd === LEARNER_CMD.gradients) {
    const denom = Atomics.load(ctrl, CTRL.denom);
    shardGradientsInto(net, copyRows(data, rows, w, A), w, denom, init.coefs, grads, stats);
  } else if (cmd === LEARNER_CMD.infer) {
    const take = <T extends Float32Array | Int32Array>(a: T | null): T | null => (a ? (a.slice(0, rows * w) as T) : null);
    head.set(headOutput(net, rows, w, { dense: take(data.dense), idx: take(data.idx), val: take(data.val) }));
  }
}

for (;;) {
  let st = Atomics.load(ctrl, CTRL.state);
  while (st !== LEARNER_STATE.posted) {
    Atomics.wait(ctrl, CTRL.state, st);
    st = Atomics.load(ctrl, CTRL.state);
  }
  const cmd = Atomics.load(ctrl, CTRL.cmd);
  if (cmd === LEARNER_CMD.close) break;
  try {
    run(cmd);
    Atomics.store(ctrl, CTRL.tensors, tf.memory().numTensors);
    Atomics.store(ctrl, CTRL.error, 0);
  } catch (err) {
    init.port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    Atomics.store(ctrl, CTRL.error, 1);
  }
  Atomics.store(ctrl, CTRL.state, LEARNER_STATE.done);
  Atomics.notify(ctrl, CTRL.state);
}
for (const net of nets) net.dispose();
init.port.close();
