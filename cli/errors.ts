/**
 * A mistake in what the user asked for (a flag, a config file, an out folder). The CLI prints its message as one
 * line and exits with {@link USAGE_EXIT_CODE}; anything else that is thrown is a bug and keeps its stack trace.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** Exit code for bad input, as most Unix tools use for usage errors. */
export const USAGE_EXIT_CODE = 2;

/** Exit code for an internal error (a bug, or the world/kernel failing). */
export const INTERNAL_EXIT_CODE = 1;

/** `"a", "b" or "c"`, for messages that list what is allowed. */
export function listAllowed(values: readonly string[]): string {
  const quoted = values.map((v) => `"${v}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** A multi-line message (one line per problem) as one line: the CLI's errors are one line each. */
export function oneLine(message: string): string {
  return message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join(' ');
}
