import { EsbuildMissingError, ensurePage, PAGE_DIR } from '../viewer/page/build-page.js';
import type { CliIo } from './cli-io.js';
import { CliError, oneLine } from './errors.js';

/**
 * The viewer page's folder, built first when missing or older than its sources (a clean clone has no
 * `viewer/dist`, and the server would serve its placeholder). Without esbuild (an install without dev
 * dependencies) it warns and serves what there is; a build error is the user's to see.
 */
export async function viewerPageDir(io: CliIo, outDir: string = PAGE_DIR): Promise<string> {
  try {
    return await ensurePage(outDir);
  } catch (err) {
    if (err instanceof EsbuildMissingError) {
      io.stderr.write(`warning: ${err.message}\n`);
      return outDir;
    }
    throw new CliError(`viewer page: the build failed: ${oneLine((err as Error).message)}`);
  }
}
