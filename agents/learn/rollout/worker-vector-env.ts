import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { AgentId } from '../../../core/parallel-env.js';
import type { Rng } from '../../../core/rng.js';
import type { EncoderOptions, ObservationEncoder } from '../observation-encoder.js';
import type { EpisodeStats, ObsBuffer, VectorEnvState, VectorStep } from './vector-env.js';
import { siblingModule, startWorker } from '../ts-worker.js';
import { CMD, STATE } from './worker-protocol.js';
import type { EnvWorkerInit, SharedBuffers, WorkerEnvSpec } from './worker-protocol.js';

/** What PPO needs of a vector of envs: {@link VectorEnv} in this thread, or {@link WorkerVectorEnv} over threads. */
export interface RolloutEnv {
  readonly numEnvs: number;
  readonly agentsPerEnv: number;
  readonly slots: number;
  readonly actions: number;
  readonly possibleAgents: readonly AgentId[];
  readonly obs: ObsBuffer;
  readonly finalObs: ObsBuffer;
  readonly live: Uint8Array;
  readonly masks: Uint8Array;
  reset(): void;
  step(actions: Int32Array): VectorStep;
  snapshot(): VectorEnvState;
  restore(state: VectorEnvState): void;
  /** Stops worker threads, if any. */
  close?(): void;
}

interface Handle {
  readonly worker: Worker;
  readonly ctrl: Int32Array;
  readonly port: MessagePort;
  readonly firstEnv: number;
  readonly numEnvs: number;
}

/**
 * The envs of a {@link VectorEnv} split over `workers` threads (contiguous shares), stepped in parallel while this
 * thread waits; observations land in shared buffers in the same slot layout. Each env keeps its own seed stream
 * (chosen by env index) and episodes are reported in env order, so results are the same for any worker count,
 * including the single-thread `VectorEnv`. The main thread blocks on `Atomics.wait` during a step.
 */
export class WorkerVectorEnv implements RolloutEnv {
  readonly numEnvs: number;
  readonly agentsPerEnv: number;
  readonly slots: number;
  readonly actions: number;
  readonly possibleAgents: readonly AgentId[];
  readonly obs: ObsBuffer;
  readonly finalObs: ObsBuffer;
  readonly live: Uint8Array;
  readonly masks: Uint8Array;
  private readonly out: { rewards: Float32Array; terminated: Uint8Array; truncated: Uint8Array };
  private readonly optionSteps: Int32Array;
  private readonly actionBuf: Int32Array;
  private readonly handles: Handle[];
  private closed = false;

  constructor(opts: {
    spec: WorkerEnvSpec;
    numEnvs: number;
    workers: number;
    possibleAgents: readonly AgentId[];
    actions: number;
    encoder: ObservationEncoder;
    encoderOptions: EncoderOptions;
    input: 'dense' | 'embedding-bag';
    rng: Rng;
  }) {
    const { numEnvs, encoder, input } = opts;
    const workers = Math.max(1, Math.min(opts.workers, numEnvs));
    this.numEnvs = numEnvs;
    this.possibleAgents = opts.possibleAgents;
    this.agentsPerEnv = opts.possibleAgents.length;
    this.slots = numEnvs * this.agentsPerEnv;
    this.actions = opts.actions;
    const S = this.slots;
    const width = input === 'dense' ? encoder.size : encoder.bagSize;
    const sab = (bytes: number) => new SharedArrayBuffer(Math.max(1, bytes));
    const obsBufs = () => ({ dense: input === 'dense' ? sab(S * width * 4) : null, idx: input === 'dense' ? null : sab(S * width * 4), val: input === 'dense' ? null : sab(S * width * 4) });
    const shared: SharedBuffers = { actions: sab(S * 4), obs: obsBufs(), finalObs: obsBufs(), live: sab(S), masks: sab(S * this.actions), rewards: sab(S * 4), terminated: sab(S), truncated: sab(S), optionSteps: sab(S * 4) };
    const view = (b: SharedBuffers['obs']): ObsBuffer => ({ dense: b.dense && new Float32Array(b.dense), idx: b.idx && new Int32Array(b.idx), val: b.val && new Float32Array(b.val) });
    this.obs = view(shared.obs);
    this.finalObs = view(shared.finalObs);
    this.live = new Uint8Array(shared.live);
    this.masks = new Uint8Array(shared.masks);
    this.actionBuf = new Int32Array(shared.actions);
    this.optionSteps = new Int32Array(shared.optionSteps);
    this.out = { rewards: new Float32Array(shared.rewards), terminated: new Uint8Array(shared.terminated), truncated: new Uint8Array(shared.truncated) };
    const entry = siblingModule(import.meta.url, './env-worker');
    this.handles = [];
    const base = Math.floor(numEnvs / workers);
    let firstEnv = 0;
    for (let i = 0; i < workers; i++) {
      const count = base + (i < numEnvs % workers ? 1 : 0);
      const channel = new MessageChannel();
      const ctrl = new SharedArrayBuffer(12);
      const init: EnvWorkerInit = {
        spec: opts.spec, firstEnv, numEnvs: count, totalEnvs: numEnvs, encoder: opts.encoderOptions, input,
        rng: opts.rng.getState(), shared, ctrl, port: channel.port2 as unknown as EnvWorkerInit['port'],
      };
      const worker = startWorker(entry, init, [channel.port2 as never]);
      this.handles.push({ worker, ctrl: new Int32Array(ctrl), port: channel.port1, firstEnv, numEnvs: count });
      firstEnv += count;
    }
  }

  reset(): void {
    this.command(CMD.reset);
  }

  step(actions: Int32Array): VectorStep {
    this.actionBuf.set(actions);
    const replies = this.command(CMD.step) as { episodes: EpisodeStats[]; truncatedSlots: number[]; options: boolean }[];
    return { ...this.out, episodes: replies.flatMap((r) => r.episodes), truncatedSlots: replies.flatMap((r) => r.truncatedSlots), optionSteps: replies.some((r) => r.options) ? this.optionSteps : null };
  }

  snapshot(): VectorEnvState {
    const parts = this.command(CMD.snapshot) as VectorEnvState[];
    const merged = { seedStreams: parts.flatMap((p) => p.seedStreams), episodeSeeds: parts.flatMap((p) => p.episodeSeeds), actionLogs: parts.flatMap((p) => p.actionLogs) };
    if (!parts.some((p) => p.envStates)) return merged;
    return { ...merged, envStates: parts.flatMap((p) => p.envStates ?? p.seedStreams.map(() => null)) };
  }

  restore(state: VectorEnvState): void {
    if (state.seedStreams.length !== this.numEnvs) throw new RangeError(`vector env state holds ${state.seedStreams.length} envs, this vector has ${this.numEnvs}`);
    for (const h of this.handles) {
      const part = (xs: readonly unknown[]) => xs.slice(h.firstEnv, h.firstEnv + h.numEnvs);
      h.port.postMessage({ seedStreams: part(state.seedStreams), episodeSeeds: part(state.episodeSeeds), actionLogs: part(state.actionLogs), ...(state.envStates && { envStates: part(state.envStates) }) });
    }
    this.command(CMD.restore);
    this.out.rewards.fill(0);
    this.out.terminated.fill(0);
    this.out.truncated.fill(0);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const h of this.handles) {
      Atomics.store(h.ctrl, 1, CMD.close);
      Atomics.store(h.ctrl, 0, STATE.posted);
      Atomics.notify(h.ctrl, 0);
      h.port.close();
    }
  }

  /** Posts `cmd` to every worker, waits for all, returns the replies of those that sent one (in worker order). */
  private command(cmd: number): unknown[] {
    if (this.closed) throw new Error('WorkerVectorEnv is closed');
    for (const h of this.handles) {
      Atomics.store(h.ctrl, 1, cmd);
      Atomics.store(h.ctrl, 0, STATE.posted);
      Atomics.notify(h.ctrl, 0);
    }
    const replies: unknown[] = [];
    for (const h of this.handles) {
      while (Atomics.load(h.ctrl, 0) !== STATE.done) Atomics.wait(h.ctrl, 0, STATE.posted, 60_000);
      Atomics.store(h.ctrl, 0, STATE.idle);
      const failed = Atomics.load(h.ctrl, 2) === 1;
      const msg = receiveMessageOnPort(h.port);
      if (failed) throw new Error(`env worker (envs ${h.firstEnv}..${h.firstEnv + h.numEnvs - 1}) failed: ${(msg?.message as { error: string } | undefined)?.error ?? 'unknown error'}`);
      if (msg) replies.push(msg.message);
    }
    return replies;
  }
}
