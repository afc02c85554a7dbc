/**
 * Data-parallel PPO over two threads (DD-PPO with two replicas, on one machine): each minibatch's gradient is
 * computed in two fixed shards, the first half of its rows in the main thread and the second in a learner worker
 * thread holding a replica of the network on its own tfjs backend. The optimizer step is split too (ZeRO-1): the
 * main thread computes the clip factor of the summed gradient once, then each thread applies Adam to a fixed half of
 * the flattened weights (`adamSplit`), holding that half's moments, in shared memory; the main thread loads the new
 * weights into its network and the replica reloads them before its next command. During the rollout the replica can
 * also run the policy head over the second half of a group's slots. `thread: false` runs the worker's part in the
 * main thread with the same functions on the same copies: identical numbers, one core.
 */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs';
import type { ConcreteBackend } from '../backend.js';
import type { ActorCritic } from '../networks/actor-critic.js';
import { headOutput } from '../networks/network-input.js';
import { siblingModule, startWorker } from '../ts-worker.js';
import { ADAM_PARAMS, CTRL, LEARNER_CMD, LEARNER_STATE, adamSplit } from './learner-protocol.js';
import type { LearnerShared, LearnerWorkerInit } from './learner-protocol.js';
import { copyRows, shardGradientsInto, weightCount } from './ppo-loss.js';
import type { LossCoefs, Minibatch } from './ppo-loss.js';
import type { AdamState } from '../adam-state.js';
import { adamRange, clipFactor, nextAcc, sumSquares } from './split-adam.js';
import type { AdamConsts } from './split-adam.js';

/** What a {@link ShardLearner} is built from. */
export interface ShardLearnerOptions {
  /** The main thread's networks, one per policy group (the replica copies their weights). */
  readonly nets: readonly ActorCritic[];
  readonly width: number;
  /** Most rows of one shard or one inference half. */
  readonly maxRows: number;
  readonly coefs: LossCoefs;
  /** The optimizer's constants (PPO's Adam: 0.9, 0.999, 1e-5). */
  readonly adam: AdamConsts;
  readonly backend: ConcreteBackend;
  /** Run the second shard in a worker thread (true) or in this thread (false: same numbers, for tests and native backends). */
  readonly thread: boolean;
}

/** The second shard's result; arrays are reused by the next call. */
export interface ShardResult {
  /** Flattened like the weights (`variables` order). */
  readonly grads: Float32Array;
  readonly stats: Float64Array;
}

export class ShardLearner {
  readonly thread: boolean;
  private readonly nets: readonly ActorCritic[];
  private readonly opts: ShardLearnerOptions;
  private readonly worker: Worker | null = null;
  private readonly port: MessagePort | null = null;
  private readonly ctrl: Int32Array;
  private readonly weights: Float32Array[];
  private readonly data: { dense: Float32Array | null; idx: Int32Array | null; val: Float32Array | null; actions: Int32Array; oldLogp: Float32Array; oldValues: Float32Array; returns: Float32Array; advantages: Float32Array; maskBias: Float32Array };
  private readonly result: ShardResult;
  /**
   * Where the caller writes the first shard's gradient (flattened like the weights) before {@link step}.
   * Reused by every step.
   */
  readonly firstGrads: Float32Array;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private readonly adamParams: Float64Array;
  /** Per group: Adam steps taken and the running products beta^t (float32, as tfjs keeps them). */
  private readonly adamCounters: { iterations: number; accBeta1: number; accBeta2: number }[];
  private readonly headOut: Float32Array;
  /** Groups whose weights changed since the replica last got them. */
  private readonly stale: boolean[];
  private pending: { kind: 'grads'; g: number; mb: Minibatch; denom: number } | { kind: 'infer'; g: number; rows: number; input: Pick<Minibatch, 'dense' | 'idx' | 'val'> } | null = null;
  private closed = false;
  /** Milliseconds spent on the worker's part in this thread (`thread: false`: second shards, inference halves, Adam halves): what a worker would take off it. */
  inThreadMs = 0;

  constructor(opts: ShardLearnerOptions) {
    this.opts = opts;
    this.nets = opts.nets;
    this.thread = opts.thread;
    const net = opts.nets[0] as ActorCritic;
    const A = net.spec.actions;
    const R = opts.maxRows;
    const w = opts.width;
    const dense = net.spec.input === 'dense';
    // Shared memory when a worker reads it; plain memory otherwise (same layout, same copies).
    const mem = (bytes: number) => (opts.thread ? new SharedArrayBuffer(Math.max(8, bytes)) : new ArrayBuffer(Math.max(8, bytes)));
    const shared = {
      weights: opts.nets.map((n) => mem(weightCount(n) * 4)),
      grads: mem(weightCount(net) * 4),
      firstGrads: mem(weightCount(net) * 4),
      m: opts.nets.map((n) => mem(weightCount(n) * 4)),
      v: opts.nets.map((n) => mem(weightCount(n) * 4)),
      adamParams: mem(ADAM_PARAMS.length * 8),
      stats: mem(5 * 8),
      dense: dense ? mem(R * w * 4) : null,
      idx: dense ? null : mem(R * w * 4),
      val: dense ? null : mem(R * w * 4),
      actions: mem(R * 4), oldLogp: mem(R * 4), oldValues: mem(R * 4), returns: mem(R * 4), advantages: mem(R * 4),
      maskBias: mem(R * A * 4),
      head: mem(R * (A + 1) * 4),
    };
    const ctrlBuf = mem((CTRL.weightVersion + opts.nets.length) * 4);
    this.ctrl = new Int32Array(ctrlBuf);
    this.stale = opts.nets.map(() => true);
    this.weights = shared.weights.map((b) => new Float32Array(b));
    const f32 = (b: ArrayBufferLike) => new Float32Array(b);
    this.data = {
      dense: shared.dense && f32(shared.dense), idx: shared.idx && new Int32Array(shared.idx), val: shared.val && f32(shared.val),
      actions: new Int32Array(shared.actions), oldLogp: f32(shared.oldLogp), oldValues: f32(shared.oldValues), returns: f32(shared.returns),
      advantages: f32(shared.advantages), maskBias: f32(shared.maskBias),
    };
    this.result = { grads: f32(shared.grads), stats: new Float64Array(shared.stats) };
    this.headOut = f32(shared.head);
    this.firstGrads = f32(shared.firstGrads);
    this.m = shared.m.map(f32);
    this.v = shared.v.map(f32);
    this.adamParams = new Float64Array(shared.adamParams);
    this.adamCounters = opts.nets.map(() => ({ iterations: 0, accBeta1: Math.fround(opts.adam.beta1), accBeta2: Math.fround(opts.adam.beta2) }));
    if (opts.thread) {
      const channel = new MessageChannel();
      const init: LearnerWorkerInit = {
        backend: opts.backend, spec: net.spec, groups: opts.nets.length, width: w, maxRows: R, coefs: opts.coefs, adam: opts.adam,
        shared: shared as unknown as LearnerShared, ctrl: ctrlBuf as SharedArrayBuffer, port: channel.port2 as unknown as LearnerWorkerInit['port'],
      };
      this.worker = startWorker(siblingModule(import.meta.url, './learner-worker'), init, [channel.port2 as never]);
      this.port = channel.port1;
    }
  }

  /**
   * Starts the gradient of shard `mb` of group `g` (PPO's loss with means over `denom` rows: the whole minibatch).
   * With a thread it runs while the caller computes the first shard; {@link finishGradients} collects it.
   */
  startGradients(g: number, mb: Minibatch, denom: number): void {
    this.put(mb);
    if (this.post(g, mb.rows, LEARNER_CMD.gradients, denom)) return;
    this.pending = { kind: 'grads', g, mb, denom };
  }

  /** The shard started by {@link startGradients}. */
  finishGradients(): ShardResult {
    const p = this.wait();
    if (p?.kind === 'grads') {
      const t0 = performance.now();
      const net = this.nets[p.g] as ActorCritic;
      shardGradientsInto(net, copyRows(this.data, p.mb.rows, this.opts.width, net.spec.actions), this.opts.width, p.denom, this.opts.coefs, this.result.grads, this.result.stats);
      this.inThreadMs += performance.now() - t0;
    }
    return this.result;
  }

  /** Starts the policy head of group `g` over `rows` rows of network input; {@link finishInference} collects it. */
  startInference(g: number, rows: number, input: Pick<Minibatch, 'dense' | 'idx' | 'val'>): void {
    const w = this.opts.width;
    if (input.dense) (this.data.dense as Float32Array).set(input.dense.subarray(0, rows * w));
    if (input.idx) (this.data.idx as Int32Array).set(input.idx.subarray(0, rows * w));
    if (input.val) (this.data.val as Float32Array).set(input.val.subarray(0, rows * w));
    if (this.post(g, rows, LEARNER_CMD.infer, 0)) return;
    this.pending = { kind: 'infer', g, rows, input };
  }

  /** `[rows, actions + 1]` head output of the inference started last (reused by the next call). */
  finishInference(): Float32Array {
    const p = this.wait();
    if (p?.kind === 'infer') {
      const net = this.nets[p.g] as ActorCritic;
      const w = this.opts.width;
      const copy = <T extends Float32Array | Int32Array>(a: T | null): T | null => (a ? (a.slice(0, p.rows * w) as T) : null);
      const t0 = performance.now();
      this.headOut.set(headOutput(net, p.rows, w, { dense: copy(this.data.dense), idx: copy(this.data.idx), val: copy(this.data.val) }));
      this.inThreadMs += performance.now() - t0;
    }
    return this.headOut;
  }

  /**
   * The optimizer step of group `g` after {@link finishGradients}: the gradient is `firstGrads` + the second
   * shard's, clipped to global norm `maxGradNorm` (each thread sums the squares of its half of the weights; the factor
   * is computed once, here), then Adam with learning rate `lr`: this thread updates the first half of the flattened
   * weights while the worker updates the second. The new
   * weights go into group g's network and, through the shared buffer, to the replica. `firstOnly`: there was no
   * second shard (a 1-row minibatch), its gradient counts as zero.
   */
  step(g: number, lr: number, maxGradNorm: number, firstOnly = false): void {
    if (firstOnly) this.result.grads.fill(0);
    const net = this.nets[g] as ActorCritic;
    const flat = this.publish(g);
    const count = flat.length;
    const split = adamSplit(count);
    const k = this.adamCounters[g] as ShardLearner['adamCounters'][number];
    const m = this.m[g] as Float32Array;
    const v = this.v[g] as Float32Array;
    const a = this.firstGrads;
    const b = this.result.grads;
    const P = ADAM_PARAMS;
    this.adamParams[P.lr] = lr;
    this.adamParams[P.accBeta1] = k.accBeta1;
    this.adamParams[P.accBeta2] = k.accBeta2;
    // The new version before the command: the worker loads it at the command's end (see CTRL).
    Atomics.add(this.ctrl, CTRL.weightVersion + g, 1);
    for (const w of [CTRL.mainHalf, CTRL.workerHalf, CTRL.workerSquares, CTRL.scaleReady]) Atomics.store(this.ctrl, w, 0);
    const posted = this.post(g, 0, LEARNER_CMD.adam, 0);
    // Each thread sums the squares of its half; the clip factor is computed once, here, from first + second.
    const first = sumSquares(a, b, 0, split);
    let second: number;
    if (posted) {
      this.waitWord(CTRL.workerSquares);
      second = this.adamParams[P.workerSquares] as number;
    } else second = this.inThread(() => sumSquares(a, b, split, count));
    const scale = clipFactor(first + second, maxGradNorm);
    this.adamParams[P.scale] = scale;
    if (posted) this.signal(CTRL.scaleReady);
    const params = { scale, lr, accBeta1: k.accBeta1, accBeta2: k.accBeta2 };
    adamRange(flat, m, v, a, b, 0, split, this.opts.adam, params);
    if (posted) {
      this.signal(CTRL.mainHalf);
      this.waitWord(CTRL.workerHalf);
    } else this.inThread(() => adamRange(flat, m, v, a, b, split, count, this.opts.adam, params));
    k.iterations++;
    k.accBeta1 = nextAcc(k.accBeta1, this.opts.adam.beta1);
    k.accBeta2 = nextAcc(k.accBeta2, this.opts.adam.beta2);
    let off = 0;
    net.setWeights(net.variables.map((x) => flat.slice(off, (off += x.size))));
    if (posted) this.wait();
  }

  /** Runs the worker's part of a step in this thread (`thread: false`), timed into {@link inThreadMs}. */
  private inThread<T>(f: () => T): T {
    const t0 = performance.now();
    const r = f();
    this.inThreadMs += performance.now() - t0;
    return r;
  }

  /** Sets control word `at` to 1 and wakes the worker. */
  private signal(at: number): void {
    Atomics.store(this.ctrl, at, 1);
    Atomics.notify(this.ctrl, at);
  }

  /** A copy of group g's Adam state, per variable (as `getAdamState` gives tfjs's; no moments before the first step). */
  getAdamState(g: number): AdamState {
    const k = this.adamCounters[g] as ShardLearner['adamCounters'][number];
    const vars = (this.nets[g] as ActorCritic).variables;
    const split = (flat: Float32Array) => {
      let off = 0;
      return k.iterations === 0 ? [] : vars.map((x) => flat.slice(off, (off += x.size)));
    };
    return { iterations: k.iterations, accBeta1: k.accBeta1, accBeta2: k.accBeta2, m: split(this.m[g] as Float32Array), v: split(this.v[g] as Float32Array) };
  }

  /** Restores group g's Adam state (taken by {@link getAdamState}, or tfjs's from `getAdamState`). */
  setAdamState(g: number, state: AdamState): void {
    const vars = (this.nets[g] as ActorCritic).variables;
    if (state.m.length !== state.v.length || (state.m.length !== 0 && state.m.length !== vars.length)) {
      throw new RangeError(`adam state holds ${state.m.length} moments for ${vars.length} variables`);
    }
    const fill = (flat: Float32Array, arrays: readonly Float32Array[]) => {
      flat.fill(0);
      let off = 0;
      arrays.forEach((a, i) => {
        const size = (vars[i] as tf.Variable).size;
        if (a.length !== size) throw new RangeError(`adam moment ${i}: expected ${size} values, got ${a.length}`);
        flat.set(a, off);
        off += size;
      });
    };
    fill(this.m[g] as Float32Array, state.m);
    fill(this.v[g] as Float32Array, state.v);
    this.adamCounters[g] = { iterations: state.iterations, accBeta1: state.accBeta1, accBeta2: state.accBeta2 };
  }

  /** Tells the replica to reload group g's weights (all groups when absent) before its next command: call after every change (Adam step, `setWeights`). */
  weightsChanged(g?: number): void {
    if (g === undefined) this.stale.fill(true);
    else this.stale[g] = true;
  }

  /** Tensors alive in the worker's tfjs after its last command (null without a worker): flat over a run, or it leaks. */
  get replicaTensors(): number | null {
    return this.worker ? Atomics.load(this.ctrl, CTRL.tensors) : null;
  }

  /** Stops the worker thread, if any. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.worker) return;
    Atomics.store(this.ctrl, CTRL.cmd, LEARNER_CMD.close);
    Atomics.store(this.ctrl, CTRL.state, LEARNER_STATE.posted);
    Atomics.notify(this.ctrl, CTRL.state);
    this.port?.close();
  }

  /** Copies `mb`'s rows into the shared data. */
  private put(mb: Minibatch): void {
    const d = this.data;
    if (mb.dense) (d.dense as Float32Array).set(mb.dense);
    if (mb.idx) (d.idx as Int32Array).set(mb.idx);
    if (mb.val) (d.val as Float32Array).set(mb.val);
    d.actions.set(mb.actions);
    d.oldLogp.set(mb.oldLogp);
    d.oldValues.set(mb.oldValues);
    d.returns.set(mb.returns);
    d.advantages.set(mb.advantages);
    d.maskBias.set(mb.maskBias);
  }

  /**
   * Group g's shared flattened weights, first copied from its network if that changed outside {@link step} (the
   * start, `setState`): then the version the worker checks is bumped (~1 MB for the Crafter [128, 128] bag net, well
   * under a millisecond).
   */
  private publish(g: number): Float32Array {
    const flat = this.weights[g] as Float32Array;
    if (this.stale[g]) {
      let off = 0;
      for (const v of (this.nets[g] as ActorCritic).variables) {
        const d = v.dataSync() as Float32Array;
        flat.set(d, off);
        off += d.length;
      }
      this.stale[g] = false;
      Atomics.add(this.ctrl, CTRL.weightVersion + g, 1);
    }
    return flat;
  }

  /** With a thread: writes group g's weights for the replica, posts `cmd`, returns true. Without: false. */
  private post(g: number, rows: number, cmd: number, denom: number): boolean {
    if (this.closed) throw new Error('ShardLearner is closed');
    if (!this.worker) return false;
    this.publish(g);
    Atomics.store(this.ctrl, CTRL.group, g);
    Atomics.store(this.ctrl, CTRL.rows, rows);
    Atomics.store(this.ctrl, CTRL.denom, denom);
    Atomics.store(this.ctrl, CTRL.cmd, cmd);
    Atomics.store(this.ctrl, CTRL.state, LEARNER_STATE.posted);
    Atomics.notify(this.ctrl, CTRL.state);
    return true;
  }

  /** Blocks until control word `at` is 1; if the worker finished its command first (an error), {@link wait} reports it. */
  private waitWord(at: number): void {
    while (Atomics.load(this.ctrl, at) !== 1 && Atomics.load(this.ctrl, CTRL.state) !== LEARNER_STATE.done) Atomics.wait(this.ctrl, at, 0, 100);
    if (Atomics.load(this.ctrl, at) !== 1) this.wait();
  }

  /** With a thread: blocks until it is done (throws its error). Returns the pending in-thread work otherwise. */
  private wait(): ShardLearner['pending'] {
    if (!this.worker) {
      const p = this.pending;
      this.pending = null;
      return p;
    }
    while (Atomics.load(this.ctrl, CTRL.state) !== LEARNER_STATE.done) Atomics.wait(this.ctrl, CTRL.state, LEARNER_STATE.posted, 60_000);
    Atomics.store(this.ctrl, CTRL.state, LEARNER_STATE.idle);
    if (Atomics.load(this.ctrl, CTRL.error) === 1) {
      const msg = receiveMessageOnPort(this.port as MessagePort);
      throw new Error(`learner worker failed: ${(msg?.message as { error: string } | undefined)?.error ?? 'unknown error'}`);
    }
    return null;
  }
}
