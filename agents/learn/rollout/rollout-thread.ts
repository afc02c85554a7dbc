/**
 * The main thread's side of a pipelined rollout (`rolloutThread: true`, Sample Factory / APPO style): a worker thread
 * steps the envs, runs batched inference with a replica of the policy and samples the actions, one rollout ahead of
 * the learner. {@link RolloutThread.start} writes the behaviour weights to shared memory and returns at once;
 * {@link RolloutThread.finish} blocks until that rollout is in. The numbers do not depend on timing: what a rollout
 * computes depends only on the weights it was started with, the envs and the sampling stream.
 */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { RngState } from '../../../core/rng.js';
import { siblingModule, startWorker } from '../ts-worker.js';
import { ROLLOUT_CMD, ROLLOUT_CTRL, ROLLOUT_STATE } from './rollout-protocol.js';
import type { RolloutMessage, RolloutPosition, RolloutWorkerInit } from './rollout-protocol.js';
import type { VectorEnvState } from './vector-env.js';

export type { RolloutMessage, RolloutPosition } from './rollout-protocol.js';

export class RolloutThread {
  /** The worker thread (for tests and monitoring: it exits on {@link close}). */
  readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly ctrl: Int32Array;
  private readonly weights: Float32Array[];
  private readonly sizes: readonly (readonly number[])[];
  /** A rollout was started and not yet collected by {@link finish}. */
  private inFlight = false;
  /** Its result, once waited for outside {@link finish} (a snapshot taken meanwhile). */
  private done: RolloutMessage | null = null;
  private failed: Error | null = null;
  private closed = false;

  /** `sizes[g]`: the sizes of policy group g's weight arrays (its network's `variables`, in order). */
  constructor(init: Omit<RolloutWorkerInit, 'weights' | 'ctrl' | 'port'>, sizes: readonly (readonly number[])[]) {
    const channel = new MessageChannel();
    const ctrl = new SharedArrayBuffer(ROLLOUT_CTRL.length * 4);
    const weights = sizes.map((vars) => new SharedArrayBuffer(Math.max(4, vars.reduce((n, k) => n + k, 0) * 4)));
    this.sizes = sizes;
    this.ctrl = new Int32Array(ctrl);
    this.weights = weights.map((b) => new Float32Array(b));
    const data: RolloutWorkerInit = { ...init, weights, ctrl, port: channel.port2 as unknown as RolloutWorkerInit['port'] };
    this.worker = startWorker(siblingModule(import.meta.url, './rollout-worker'), data, [channel.port2 as never]);
    this.port = channel.port1;
  }

  /** Whether a rollout is started and not yet collected. */
  get busy(): boolean {
    return this.inFlight;
  }

  /** Starts a rollout with behaviour weights `weights[g]` (per group, per variable). Returns at once. */
  start(weights: readonly (readonly Float32Array[])[]): void {
    if (this.inFlight) throw new Error('RolloutThread.start: a rollout is already in flight');
    weights.forEach((vars, g) => {
      let off = 0;
      for (const w of vars) {
        (this.weights[g] as Float32Array).set(w, off);
        off += w.length;
      }
    });
    this.post(ROLLOUT_CMD.collect);
    this.inFlight = true;
  }

  /** Blocks until the rollout started last is in; returns it (its buffers now belong to the caller). */
  finish(): RolloutMessage {
    if (!this.inFlight) throw new Error('RolloutThread.finish: no rollout in flight');
    const msg = this.done ?? (this.wait() as RolloutMessage);
    this.done = null;
    this.inFlight = false;
    return msg;
  }

  /** The behaviour weights of the rollout in flight (copies, per group, per variable), or null if none is. */
  behaviourWeights(): Float32Array[][] | null {
    if (!this.inFlight) return null;
    return this.weights.map((flat, g) => {
      let off = 0;
      return (this.sizes[g] as readonly number[]).map((k) => flat.slice(off, (off += k)));
    });
  }

  /**
   * Where the envs and the sampling stream are: at the start of the rollout in flight (waiting for it to finish;
   * its result is kept for {@link finish}), or now when none is.
   */
  position(): RolloutPosition {
    if (this.inFlight && !this.done) this.done = this.wait() as RolloutMessage;
    this.port.postMessage({ start: this.inFlight });
    this.post(ROLLOUT_CMD.snapshot);
    return this.wait() as RolloutPosition;
  }

  /** Drops the rollout in flight, if any, and moves the envs and the sampling stream to `vec` and `rng`. */
  restore(vec: VectorEnvState, rng: RngState): void {
    if (this.inFlight) this.finish();
    this.port.postMessage({ vec, rng } satisfies RolloutPosition);
    this.post(ROLLOUT_CMD.restore);
    this.wait();
  }

  /** Tensors alive in the thread's tfjs after its last command: flat over a run, or it leaks. */
  get tensors(): number {
    return Atomics.load(this.ctrl, ROLLOUT_CTRL.tensors);
  }

  /** Stops the thread (at once, even mid-rollout). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.worker.terminate();
    this.port.close();
  }

  private post(cmd: number): void {
    if (this.closed) throw new Error('RolloutThread is closed');
    if (this.failed) throw this.failed;
    Atomics.store(this.ctrl, ROLLOUT_CTRL.cmd, cmd);
    // Not idle: the thread failed to start (its boot code reported it as done with an error); wait() throws it.
    if (Atomics.compareExchange(this.ctrl, ROLLOUT_CTRL.state, ROLLOUT_STATE.idle, ROLLOUT_STATE.posted) !== ROLLOUT_STATE.idle) return;
    Atomics.notify(this.ctrl, ROLLOUT_CTRL.state);
  }

  /** Blocks until the command posted last is done; returns the thread's reply, or throws its error. */
  private wait(): unknown {
    if (this.failed) throw this.failed;
    while (Atomics.load(this.ctrl, ROLLOUT_CTRL.state) !== ROLLOUT_STATE.done) Atomics.wait(this.ctrl, ROLLOUT_CTRL.state, ROLLOUT_STATE.posted, 60_000);
    Atomics.store(this.ctrl, ROLLOUT_CTRL.state, ROLLOUT_STATE.idle);
    const msg = receiveMessageOnPort(this.port)?.message as { error?: string } | undefined;
    if (Atomics.load(this.ctrl, ROLLOUT_CTRL.error) === 1) {
      this.failed = new Error(`rollout thread failed: ${msg?.error ?? 'unknown error'}`);
      throw this.failed;
    }
    return msg;
  }
}
