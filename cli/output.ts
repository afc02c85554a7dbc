import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from './errors.js';
import { describeFsError } from './config.js';

/**
 * `JSON.stringify` replacer: typed arrays (observations, action masks) become plain number arrays, which every
 * JSON reader (jq, pandas) understands; non-finite numbers become null as JSON requires, but explicitly.
 */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** One value as one JSON line (no newline inside). */
export function toJsonLine(value: unknown): string {
  return JSON.stringify(value, jsonReplacer);
}

/**
 * Appends JSON lines to a file with synchronous, buffered writes. A lockstep run never yields to the event loop,
 * so an async stream would only grow in memory; writing in 256 KB chunks keeps memory flat and costs little.
 */
export class JsonlWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private bufferedChars = 0;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  write(value: unknown): void {
    const line = toJsonLine(value) + '\n';
    this.buffer.push(line);
    this.bufferedChars += line.length;
    if (this.bufferedChars >= 256 * 1024) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.bufferedChars = 0;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }
}

/** Writes `value` as pretty JSON with a trailing newline. */
export function writeJsonFile(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, jsonReplacer, 2) + '\n');
}

/** Files a run writes; a folder holding any of them already holds a run. */
export const RUN_FILES = ['config.json', 'episodes.jsonl', 'events.jsonl', 'summary.json'] as const;

/**
 * Creates the run's out folder (and its parents) and checks that it can be written, so a bad `--out` fails before
 * the run starts rather than after it. Refuses a folder that already holds a run: overwriting results silently is
 * worse than asking for another name.
 */
export function prepareOutFolder(out: string, worldFiles: readonly string[] = []): string {
  const dir = resolve(out);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new CliError(`--out: "${out}" exists and is not a folder`);
    const taken = [...RUN_FILES, ...worldFiles].filter((f) => readdirSync(dir).includes(f));
    if (taken.length > 0) throw new CliError(`--out: "${out}" already holds a run (${taken.join(', ')}); choose another folder`);
  }
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, '.canopy-write-test');
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`--out: cannot write to "${out}": ${describeFsErrorForFolder(err)}`);
  }
  return dir;
}

function describeFsErrorForFolder(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a part of the path is a file, not a folder';
  return describeFsError(err);
}

/** `runs/20261127-031502-navigation-four-rooms`: sortable by time, readable by name. */
export function defaultOutFolder(name: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  const base = join('runs', `${stamp}-${name}`);
  let candidate = base;
  for (let i = 2; existsSync(candidate); i++) candidate = `${base}-${i}`;
  return candidate;
}
