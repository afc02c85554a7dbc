/**
 * Headless viewers for the viewer benchmarks: `n` socket.io clients in a child process (bench/viewer.ts `--clients`)
 * that rebuild the picture from every frame and ack it, as the page does.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What the viewers received, reported when they stop. */
export interface Received { frames: number; bytes: number; graphBytes: number }

/** Starts `n` viewers of `url` in a child process; resolves once every one has its snapshot. */
export async function startClients(url: string, n: number): Promise<ChildProcess> {
  const script = fileURLToPath(new URL('../viewer.ts', import.meta.url));
  const child = fork(script, ['--clients', url, String(n)], { execArgv: ['--import', 'tsx'] });
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  return child;
}

/** Stops the viewers and waits for their process to exit (a child still exiting would eat the next round's CPU). */
export async function stopClients(child: ChildProcess): Promise<Received> {
  const result = new Promise<Received>((resolve) => child.once('message', (m) => resolve(m as never)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send('stop');
  const received = await result;
  await exited;
  return received;
}
