/**
 * Builds the viewer page: esbuild bundles `viewer/page/main.ts` (with socket.io-client, sigma, graphology) into
 * one `app.js`, next to `index.html` and `style.css`, in {@link PAGE_DIR} (git-ignored `viewer/dist/`, where the
 * server's static handler looks by default).
 *
 * The CLI (`canopy run --viewer`, `canopy view`) calls {@link ensurePage} before serving, and the browser tests do too, so a clean clone needs no
 * manual build step; `npm run build:viewer` does the same by hand. esbuild is loaded only when a build is needed.
 */
import type * as Esbuild from 'esbuild';
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(SRC_DIR, '..', '..');

/** Where the built page lives: serve this directory as static files (`index.html`, `app.js`, `style.css`). */
export const PAGE_DIR = join(ROOT, 'viewer', 'dist');

/** Files the server serves, with their content types. Anything else under the page's URL is a 404. */
export const PAGE_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

/** The page must be built but esbuild (a dev dependency) is not installed. */
export class EsbuildMissingError extends Error {}

export interface BuildOptions {
  /** Output directory; default {@link PAGE_DIR}. */
  readonly outDir?: string;
  /** Minify app.js (default true: ~40% smaller page for remote viewers). */
  readonly minify?: boolean;
}

/** Bundles the page into `outDir` and returns the directory. Throws with esbuild's messages on a build error. */
export async function buildPage(options: BuildOptions = {}): Promise<string> {
  const outDir = options.outDir ?? PAGE_DIR;
  let esbuild: typeof Esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new EsbuildMissingError(`viewer page: ${join(outDir, 'app.js')} is missing and esbuild is not installed to build it (npm install --include=dev, then npm run build:viewer)`);
  }
  await mkdir(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(SRC_DIR, 'main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? true,
    sourcemap: 'linked',
    logLevel: 'silent',
    legalComments: 'none',
  });
  await copyFile(join(SRC_DIR, 'index.html'), join(outDir, 'index.html'));
  await copyFile(join(SRC_DIR, 'style.css'), join(outDir, 'style.css'));
  return outDir;
}

async function newestSource(): Promise<number> {
  let newest = 0;
  const dirs = [SRC_DIR, join(ROOT, 'viewer'), join(ROOT, 'core')];
  for (const dir of dirs) {
    for (const name of await readdir(dir)) {
      if (!/\.(ts|html|css)$/.test(name)) continue;
      newest = Math.max(newest, (await stat(join(dir, name))).mtimeMs);
    }
  }
  return newest;
}

/** Builds the page unless `app.js` is newer than every page source; returns the directory to serve. */
export async function ensurePage(outDir: string = PAGE_DIR): Promise<string> {
  const built = await stat(join(outDir, 'app.js')).then((s) => s.mtimeMs, () => -1);
  if (built < 0) return buildPage({ outDir });
  if ((await newestSource()) <= built) return outDir;
  // Sources changed since the build: rebuild, except where esbuild is absent (an install without dev deps), which
  // serves the page it has rather than none.
  return buildPage({ outDir }).catch((err: unknown) => (err instanceof EsbuildMissingError ? outDir : Promise.reject(err)));
}
