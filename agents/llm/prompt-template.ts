/**
 * Prompt templates in files with named placeholders (`{{inventory}}`). A template declares nothing: its
 * placeholders are read from the text and checked against what the caller says it provides, at load time (a typo in
 * the file fails before any call) and at render time (a value missing or one the template does not use).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LlmConfigError } from './llm-config.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The folder of the shipped templates. */
export const SHIPPED_PROMPTS = join(dirname(fileURLToPath(import.meta.url)), 'prompts');

export class PromptTemplate {
  /** The placeholders the text uses, sorted. */
  readonly placeholders: readonly string[];

  /**
   * @param source names the template in errors (its file path).
   * @param provided the placeholders the caller fills: the text may use these and no other.
   * @throws LlmConfigError naming the file and the unknown placeholder.
   */
  constructor(readonly text: string, readonly source: string, readonly provided: readonly string[]) {
    const used = new Set<string>();
    for (const m of text.matchAll(PLACEHOLDER)) used.add(m[1]!);
    const unknown = [...used].filter((p) => !provided.includes(p));
    if (unknown.length > 0) {
      throw new LlmConfigError(`${source}: unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}; this template may use ${provided.map((p) => `{{${p}}}`).join(', ') || 'none'}`);
    }
    this.placeholders = Object.freeze([...used].sort());
  }

  /** Reads `<name>.md` from `dir` (falling back to the shipped folder) and checks its placeholders. */
  static load(name: string, provided: readonly string[], dir?: string): PromptTemplate {
    const path = dir !== undefined && existsSync(join(dir, `${name}.md`)) ? join(dir, `${name}.md`) : join(SHIPPED_PROMPTS, `${name}.md`);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new LlmConfigError(`prompt template "${name}": cannot read ${path}`);
    }
    return new PromptTemplate(text.trim(), path, provided);
  }

  /**
   * The text with every placeholder replaced.
   * @throws LlmConfigError when a value is missing or one is given that the caller did not declare.
   */
  render(values: Readonly<Record<string, string | number>>): string {
    const extra = Object.keys(values).filter((k) => !this.provided.includes(k));
    if (extra.length > 0) throw new LlmConfigError(`${this.source}: values given for undeclared placeholder(s) ${extra.join(', ')}`);
    const missing = this.placeholders.filter((p) => values[p] === undefined);
    if (missing.length > 0) throw new LlmConfigError(`${this.source}: no value for placeholder(s) ${missing.map((m) => `{{${m}}}`).join(', ')}`);
    return this.text.replace(PLACEHOLDER, (_m, name: string) => String(values[name]));
  }
}
