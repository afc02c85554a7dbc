import { readFileSync } from 'node:fs';

/** canopy's version, from package.json (printed by `--version` and written into every run's config.json). */
export function canopyVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
