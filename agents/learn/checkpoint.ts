/**
 * PPO checkpoints on disk: a folder with `checkpoint.json` (counters, RNG and env states, Adam's scalars, the
 * caller's metadata such as the run's config) and `tensors.bin` (every weight and Adam moment as little-endian
 * float32, in the order `checkpoint.json` lists). Written to a temporary folder and renamed, so a crash mid-write
 * leaves the previous checkpoint whole.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AdamState } from './adam-state.js';
import type { PpoState } from './ppo.js';

export const CHECKPOINT_FORMAT = 'canopy-ppo-checkpoint';
export const CHECKPOINT_VERSION = 1;
const JSON_FILE = 'checkpoint.json';
const TENSOR_FILE = 'tensors.bin';

/** A checkpoint that cannot be read; the message names the folder and what is wrong. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

/** What `checkpoint.json` holds (tensors replaced by their lengths in `tensors.bin`). */
interface CheckpointFile {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: number;
  readonly meta: Readonly<Record<string, unknown>>;
  readonly updates: number;
  readonly envSteps: number;
  readonly rng: PpoState['rng'];
  readonly vec: PpoState['vec'];
  readonly policies: readonly {
    readonly weights: readonly number[];
    readonly adam: Omit<AdamState, 'm' | 'v'> & { readonly m: readonly number[]; readonly v: readonly number[] };
    /** With `rolloutThread`: the next rollout's behaviour weights (after the moments in `tensors.bin`). */
    readonly behaviour?: readonly number[];
  }[];
  readonly rolloutRng?: PpoState['rolloutRng'];
}

/** Writes `state` and `meta` to folder `dir` (created; an older checkpoint there is replaced). */
export function saveCheckpoint(dir: string, state: PpoState, meta: Readonly<Record<string, unknown>> = {}): void {
  const arrays: Float32Array[] = [];
  const lengths = (list: readonly Float32Array[]) => list.map((a) => (arrays.push(a), a.length));
  const file: CheckpointFile = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    meta,
    updates: state.updates,
    envSteps: state.envSteps,
    rng: state.rng,
    vec: state.vec,
    policies: state.policies.map((p) => ({
      weights: lengths(p.weights),
      adam: { iterations: p.adam.iterations, accBeta1: p.adam.accBeta1, accBeta2: p.adam.accBeta2, m: lengths(p.adam.m), v: lengths(p.adam.v) },
      ...(p.behaviour && { behaviour: lengths(p.behaviour) }),
    })),
    ...(state.rolloutRng && { rolloutRng: state.rolloutRng }),
  };
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const bytes = new Float32Array(total);
  let off = 0;
  for (const a of arrays) {
    bytes.set(a, off);
    off += a.length;
  }
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  // Float32Array's bytes are the platform's order; every platform Node runs on is little-endian.
  writeFileSync(join(tmp, TENSOR_FILE), new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  writeFileSync(join(tmp, JSON_FILE), JSON.stringify(file) + '\n');
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
}

/** Whether `dir` holds a checkpoint. */
export function isCheckpoint(dir: string): boolean {
  return existsSync(join(dir, JSON_FILE)) && existsSync(join(dir, TENSOR_FILE));
}

/** Reads a checkpoint written by {@link saveCheckpoint}. @throws CheckpointError */
export function loadCheckpoint(dir: string): { state: PpoState; meta: Readonly<Record<string, unknown>> } {
  if (!isCheckpoint(dir)) throw new CheckpointError(`"${dir}" holds no checkpoint (expected ${JSON_FILE} and ${TENSOR_FILE})`);
  let file: CheckpointFile;
  try {
    file = JSON.parse(readFileSync(join(dir, JSON_FILE), 'utf8')) as CheckpointFile;
  } catch (err) {
    throw new CheckpointError(`${join(dir, JSON_FILE)}: not JSON: ${(err as Error).message}`);
  }
  if (file.format !== CHECKPOINT_FORMAT || file.version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(`${join(dir, JSON_FILE)}: expected ${CHECKPOINT_FORMAT} version ${CHECKPOINT_VERSION}, got ${String(file.format)} version ${String(file.version)}`);
  }
  const raw = readFileSync(join(dir, TENSOR_FILE));
  const all = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  let off = 0;
  const take = (lengths: readonly number[]) =>
    lengths.map((n) => {
      if (off + n > all.length) throw new CheckpointError(`${join(dir, TENSOR_FILE)}: shorter than ${JSON_FILE} says`);
      const a = all.slice(off, off + n);
      off += n;
      return a;
    });
  const policies = file.policies.map((p) => ({
    weights: take(p.weights),
    adam: { iterations: p.adam.iterations, accBeta1: p.adam.accBeta1, accBeta2: p.adam.accBeta2, m: take(p.adam.m), v: take(p.adam.v) },
    ...(p.behaviour && { behaviour: take(p.behaviour) }),
  }));
  if (off !== all.length) throw new CheckpointError(`${join(dir, TENSOR_FILE)}: ${all.length - off} values more than ${JSON_FILE} lists`);
  return { state: { updates: file.updates, envSteps: file.envSteps, rng: file.rng, vec: file.vec, policies, ...(file.rolloutRng && { rolloutRng: file.rolloutRng }) }, meta: file.meta };
}
