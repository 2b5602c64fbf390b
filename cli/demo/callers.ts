import { AsyncLocalStorage } from 'node:async_hooks';
import type { LocalRuntime } from '../../local/runtime.ts';

/** DynamoDB requests of one caller: in all, and by operation. */
export interface CallerRequests {
  invocations: number;
  requests: number;
  byOperation: Record<string, number>;
}

/**
 * What each invocation is, for counting: the function (its logical id without CDK's hash) and
 * what it was asked (the API's route, a play task's action and step, a scoring run's kind, an
 * event's detail-type). Names only, never ids: a thousand accounts stay one line.
 */
export function callerOf(logicalId: string, event: unknown): string {
  const fn = logicalId.replace(/[0-9A-F]{8}$/, '');
  const e = (event ?? {}) as Record<string, unknown>;
  const detail =
    typeof e.routeKey === 'string'
      ? e.routeKey
      : typeof e.action === 'string'
        ? [e.action, typeof e.play === 'string' ? e.play : '', typeof e.step === 'string' ? e.step : ''].filter(Boolean).join(' ')
        : typeof e['detail-type'] === 'string'
          ? e['detail-type']
          : 'dirty' in e
            ? e.dirty
              ? 'dirty'
              : 'all'
            : Array.isArray(e.Items) || Array.isArray(e.shards)
              ? 'shards'
              : '';
  return detail ? `${fn} ${detail}` : fn;
}

/**
 * Counts the local DynamoDB's requests by the Lambda invocation that made them (`tend demo
 * --callers`): each invocation runs in an async context naming it, and every request served is
 * counted against the context it came from ("(runtime)" for the demo's and the runtime's own).
 * A measuring tool: the async context costs some CPU, so timings are compared with it on or off alike.
 */
export function meterCallers(rt: Pick<LocalRuntime, 'lambdas' | 'dynamo'>): () => Record<string, CallerRequests> {
  const context = new AsyncLocalStorage<string>();
  const counts: Record<string, CallerRequests> = {};
  const entry = (caller: string) => (counts[caller] ??= { invocations: 0, requests: 0, byOperation: {} });
  const invoke = rt.lambdas.invoke.bind(rt.lambdas);
  rt.lambdas.invoke = (arnOrName, event) => {
    const caller = callerOf(rt.lambdas.get(arnOrName).logicalId, event);
    entry(caller).invocations++;
    return context.run(caller, () => invoke(arnOrName, event));
  };
  const serve = rt.dynamo.serve.bind(rt.dynamo);
  rt.dynamo.serve = (request) => {
    const op = request.headers['x-amz-target']?.split('.')[1] ?? '';
    const c = entry(context.getStore() ?? '(runtime)');
    c.requests++;
    c.byOperation[op] = (c.byOperation[op] ?? 0) + 1;
    return serve(request);
  };
  return () => Object.fromEntries(Object.entries(counts).sort((a, b) => b[1].requests - a[1].requests));
}
