/**
 * An on-disk cache of chat completions keyed by sha256 over the model, the messages and the sampling parameters
 * (seed included). A rerun of the same seed asks the same questions, so it is answered from here: no HTTP call, no
 * cost, the same replies and hence the same trajectory. One small JSON file per reply (`ab/abcdef....json`), written
 * atomically, so concurrent runs can share one cache folder.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CachedReply {
  readonly text: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** The cache key of a request: the model, the messages and every parameter that shapes the reply. */
export function cacheKey(model: string, messages: readonly { role: string; content: string }[], params: Readonly<Record<string, unknown>>): string {
  const canonical = JSON.stringify({ model, messages: messages.map((m) => [m.role, m.content]), params: Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)) });
  return createHash('sha256').update(canonical).digest('hex');
}

export class LlmCache {
  constructor(readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get(key: string): CachedReply | undefined {
    let raw: string;
    try {
      raw = readFileSync(this.path(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const v = JSON.parse(raw) as Partial<CachedReply>;
      if (typeof v.text !== 'string') return undefined;
      return { text: v.text, promptTokens: v.promptTokens ?? 0, completionTokens: v.completionTokens ?? 0 };
    } catch {
      return undefined; // a torn or foreign file: ask again
    }
  }

  set(key: string, reply: CachedReply): void {
    const path = this.path(key);
    mkdirSync(join(this.dir, key.slice(0, 2)), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(reply));
    renameSync(tmp, path);
  }

  delete(key: string): void {
    rmSync(this.path(key), { force: true });
  }
}
