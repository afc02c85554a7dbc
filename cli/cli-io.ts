/** A stream the CLI writes to: `process.stdout` or anything with `write` (tests capture output this way). */
export interface OutputStream {
  write(text: string): unknown;
  /** True on a terminal: the progress display draws a live bar instead of plain lines. */
  readonly isTTY?: boolean;
}

/** Where the CLI writes: results and progress to `stdout`, errors to `stderr`. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
}

export const PROCESS_IO: CliIo = { stdout: process.stdout, stderr: process.stderr };
