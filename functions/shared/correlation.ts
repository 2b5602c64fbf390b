import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The correlation id of the work in progress: an API request's (its `x-correlation-id` header, or
 * API Gateway's request id), carried in the events it publishes (`detail.correlationId`), into
 * the play runs they start (the execution input's `correlationId`) and the sends of their steps.
 * Held per invocation in AsyncLocalStorage rather than a module variable: the local runtime runs
 * several invocations of one bundle at once in one process.
 *
 * One store per process, shared by every bundle loaded in it (the local runtime loads seven):
 * on Node 20 each AsyncLocalStorage adds its own step to every promise the process creates, so
 * seven stores cost seven times what one does. The store only ever holds a string.
 */
const STORE = Symbol.for('tend.correlation-store');
const current = ((globalThis as { [STORE]?: AsyncLocalStorage<string> })[STORE] ??= new AsyncLocalStorage<string>());

/** What a client may send as its own correlation id: short, and safe in logs, tags and headers. */
export const CORRELATION_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

export const correlationId = (): string | undefined => current.getStore();

/** Runs `work` with `id` as the correlation id (an invalid or missing id falls back to `fallback`). */
export function withCorrelationId<T>(id: unknown, fallback: string, work: () => Promise<T>): Promise<T> {
  return current.run(typeof id === 'string' && CORRELATION_ID.test(id) ? id : fallback, work);
}
