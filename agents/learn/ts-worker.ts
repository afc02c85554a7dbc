import { Worker } from 'node:worker_threads';
import type { MessagePort, TransferListItem } from 'node:worker_threads';

/** What every canopy worker thread is started with: a control word array and a port for replies and errors. */
export interface WorkerBase {
  /** Int32 words; `[0]` state (1 posted, 2 done), `[2]` error flag: set by the boot code if the module fails to load. */
  readonly ctrl: SharedArrayBuffer;
  readonly port: MessagePort;
}

/**
 * Starts a worker thread running the module at `entry` (a file URL) with `data` as its `workerData`. A tiny JS
 * bootstrap registers tsx in the worker when the main thread runs TypeScript through it (loader hooks do not carry
 * over to workers), then imports the module; a failure to load is reported through the control word, so a main
 * thread blocked in `Atomics.wait` wakes up and reads the error from the port. The worker is unref'd: it never keeps
 * the process alive.
 */
export function startWorker(entry: string, data: WorkerBase & object, transferList: readonly TransferListItem[]): Worker {
  let tsxApi: string | undefined;
  try {
    tsxApi = import.meta.resolve('tsx/esm/api');
  } catch {
    tsxApi = undefined;
  }
  const boot = `const { workerData } = require('node:worker_threads'); (async () => { if (workerData.tsxApi) (await import(workerData.tsxApi)).register(); await import(${JSON.stringify(entry)}); })().catch((e) => { const c = new Int32Array(workerData.ctrl); workerData.port.postMessage({ error: String(e && e.stack || e) }); Atomics.store(c, 2, 1); Atomics.store(c, 0, 2); Atomics.notify(c, 0); });`;
  const worker = new Worker(boot, { eval: true, workerData: { ...data, ...(tsxApi !== undefined && { tsxApi }) }, transferList: [...transferList] });
  worker.unref();
  return worker;
}

/** URL of the sibling module `name` (`.ts` when this file runs as TypeScript, else `.js`) of the module at `base`. */
export function siblingModule(base: string, name: string): string {
  return new URL(name + (base.endsWith('.ts') ? '.ts' : '.js'), base).href;
}
