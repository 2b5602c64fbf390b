import { StateMachine } from 'aws-local-stepfunctions';

export type RunEvent = { type: string; timestamp: number; state?: { name: string; type: string; input: unknown; output?: unknown }; [k: string]: unknown };
export interface RunHooks {
  onEvent(event: RunEvent): void;
}

type ExecuteOptions = { runOptions?: { tendRun?: RunHooks }; eventLogger: { dispatch(event: RunEvent): void } };
type Execute = (this: StateMachine, input: unknown, options: ExecuteOptions, cleanup: () => void) => Promise<unknown>;

/**
 * aws-local-stepfunctions, with one addition: a run's events reach the runtime synchronously.
 * The library hands each run's event logger to its (internal) execute step; wrapping the
 * logger's dispatch there lets the runtime know a Wait state's input at the moment the state
 * is entered, which it needs to checkpoint the run and compute the wait on its own clock.
 * Everything else (paths, Choice, Retry, Catch, Parameters) is the library's.
 */
export class ClockedStateMachine extends StateMachine {}

const proto = StateMachine.prototype as unknown as { execute: Execute };
const original = proto.execute;
(ClockedStateMachine.prototype as unknown as { execute: Execute }).execute = function (input, options, cleanup) {
  const hooks = options.runOptions?.tendRun;
  if (hooks) {
    const logger = options.eventLogger;
    const dispatch = logger.dispatch.bind(logger);
    logger.dispatch = (event) => {
      hooks.onEvent(event);
      dispatch(event);
    };
  }
  return original.call(this, input, options, cleanup);
};

// The library uses Promise.withResolvers (Node 22+); Tend runs on Node 20 too.
if (typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
