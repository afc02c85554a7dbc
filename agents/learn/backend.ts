/**
 * Picks and starts the TensorFlow.js backend of a run.
 *
 * - `wasm` (default, always installed): XNNPACK kernels with SIMD, one thread in Node.
 * - `gpu` / `node`: libtensorflow through `@tensorflow/tfjs-node-gpu` / `@tensorflow/tfjs-node`. They are *not*
 *   dependencies of canopy (their install downloads libtensorflow and fails offline); a user who wants them runs
 *   `npm install @tensorflow/tfjs-node-gpu@4.22.0` (or `-node`) and they are picked up here by a dynamic import.
 * - `cpu`: tfjs's plain JavaScript kernels; slow, but has every op. For debugging.
 * - `auto`: gpu if its package loads, else node, else wasm.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { z } from 'zod';

/** Names accepted by `--backend`. */
export const BACKENDS = Object.freeze(['auto', 'gpu', 'node', 'wasm', 'cpu'] as const);
export const BackendNameSchema = z.enum(BACKENDS);
export type BackendName = z.infer<typeof BackendNameSchema>;
/** A backend that actually runs (never `auto`). */
export type ConcreteBackend = Exclude<BackendName, 'auto'>;

/** What {@link initBackend} chose; written to the run's config. */
export interface BackendInfo {
  readonly requested: BackendName;
  readonly backend: ConcreteBackend;
  /** The name tfjs knows it by (`tensorflow` for gpu and node). */
  readonly tfBackend: string;
  /**
   * Whether dense layers should use the hand-written gradient with explicit transposes: wasm's fast XNNPACK
   * matMul runs only when neither operand is flagged transposed, so autodiff's `matMul(dy, W, false, true)` falls
   * to a slow path (~5x). On `cpu` the explicit transpose costs more than it saves, so it is off there.
   */
  readonly customGradients: boolean;
}

/** Thrown for an unknown or unavailable backend; the message says what is allowed or how to install it. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
}

/** npm packages of the optional native backends, tried in this order by `auto`. */
const NATIVE_PACKAGES: Readonly<Record<'gpu' | 'node', string>> = {
  gpu: '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
};

/** Validates a backend name. @throws BackendError naming the allowed values. */
export function parseBackendName(value: unknown): BackendName {
  const res = BackendNameSchema.safeParse(value);
  if (!res.success) throw new BackendError(`unknown backend ${JSON.stringify(value)}: expected one of ${BACKENDS.join(', ')}`);
  return res.data;
}

/** Whether the native package loads; importing it registers tfjs's `tensorflow` backend. */
async function loadNative(which: 'gpu' | 'node'): Promise<boolean> {
  // A variable specifier keeps TypeScript from resolving a package that is usually absent.
  const spec: string = NATIVE_PACKAGES[which];
  try {
    await import(spec);
    return true;
  } catch {
    return false;
  }
}

async function activate(tfName: string): Promise<boolean> {
  // setBackend resolves false (rather than throwing) when a backend fails to initialise.
  try {
    return await tf.setBackend(tfName);
  } catch {
    return false;
  }
}

/**
 * Starts the backend `requested` (validated) and returns what runs. Call once per process before building
 * networks; calling again with another backend switches tfjs globally.
 * @throws BackendError for an unknown name, or when the requested backend cannot start (with how to install it).
 */
export async function initBackend(requested: unknown = 'auto', opts: { quiet?: boolean } = {}): Promise<BackendInfo> {
  const name = parseBackendName(requested);
  // Production mode skips tfjs's per-op debug checks and its "install tfjs-node" console hint.
  tf.enableProdMode();
  const order: ConcreteBackend[] = name === 'auto' ? ['gpu', 'node', 'wasm'] : [name];
  for (const candidate of order) {
    if (candidate === 'gpu' || candidate === 'node') {
      if (!(await loadNative(candidate))) {
        if (name !== 'auto') {
          throw new BackendError(`backend "${candidate}" needs ${NATIVE_PACKAGES[candidate]}, which is not installed: run \`npm install ${NATIVE_PACKAGES[candidate]}@4.22.0\` or use --backend wasm`);
        }
        continue;
      }
      if (await activate('tensorflow')) return report({ requested: name, backend: candidate, tfBackend: 'tensorflow', customGradients: false }, opts);
      if (name !== 'auto') throw new BackendError(`backend "${candidate}": ${NATIVE_PACKAGES[candidate]} is installed but failed to start`);
      continue;
    }
    if (await activate(candidate)) return report({ requested: name, backend: candidate, tfBackend: candidate, customGradients: candidate === 'wasm' }, opts);
    throw new BackendError(`backend "${candidate}" failed to start`);
  }
  throw new BackendError('no TensorFlow.js backend could start');
}

function report(info: BackendInfo, opts: { quiet?: boolean }): BackendInfo {
  if (!opts.quiet) console.log(`tfjs backend: ${info.backend} (requested ${info.requested}, tfjs ${tf.version_core})`);
  return Object.freeze(info);
}
