/** A broken invariant of the `ParallelEnv` contract; the message says which check, agent and step, and what differed. */
export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
}

/** Throws a {@link ConformanceError} with `message` unless `ok`. */
export function ensure(ok: boolean, message: string | (() => string)): asserts ok {
  if (!ok) throw new ConformanceError(typeof message === 'string' ? message : message());
}
