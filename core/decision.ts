import { from, isObservable } from 'rxjs';
import type { Observable } from 'rxjs';
import type { Decision } from './controller.js';

/** Whether a controller's answer arrives later (a Promise or an Observable) rather than now. */
export function isAsyncDecision<Act>(decision: Decision<Act>): decision is PromiseLike<Act> | Observable<Act> {
  if (decision === null || (typeof decision !== 'object' && typeof decision !== 'function')) return false;
  return isObservable(decision) || typeof (decision as { then?: unknown }).then === 'function';
}

/** An async decision as an Observable. Promises get a rejection handler here, so a discarded one never crashes the process. */
export function decision$<Act>(decision: PromiseLike<Act> | Observable<Act>): Observable<Act> {
  if (isObservable(decision)) return decision;
  const promise = Promise.resolve(decision);
  // A handler now, so that a rejection nobody waits for any more (late, discarded) is not an unhandled rejection.
  promise.catch(() => undefined);
  return from(promise);
}

/** A human-readable message for something a controller threw. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
