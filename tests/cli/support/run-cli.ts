import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'canopy.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `canopy` command (bin/canopy.js) in `cwd`, stdout and stderr piped (so not a TTY); `onStdout` sees the output so far. */
export function runCli(args: readonly string[], cwd: string = ROOT, onStdout?: (text: string, child: ChildProcess) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      onStdout?.(stdout, child);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh temporary folder for one test. */
export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `canopy-cli-${label}-`));
}

export function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

export function readJsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Runs the CLI's own `main` in this process with its output captured, for cases that need no fresh process
 * (spawning one costs ~1 s of tsx start-up). `main` is the same function bin/canopy.js calls.
 */
export async function runMain(args: readonly string[]): Promise<CliResult> {
  const { main } = await import('../../../cli/main.js');
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
  const code = await main([...args], io);
  return { code, stdout, stderr };
}
