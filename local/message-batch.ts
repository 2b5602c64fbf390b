/**
 * Messages to another thread, sent together: what is queued before the microtasks already
 * pending have run goes in one postMessage. Concurrent SDK calls (a scoring batch, the play steps
 * of an hour) step through their middleware in lockstep and reach the request handler within the
 * same run of microtasks, and each postMessage wakes the other thread (a system call, and a
 * context switch on a busy machine).
 */
export function messageBatch<T>(post: (batch: T[]) => void): (message: T) => void {
  let queued: T[] | undefined;
  return (message) => {
    if (queued) return void queued.push(message);
    queued = [message];
    queueMicrotask(() => {
      const batch = queued!;
      queued = undefined;
      post(batch);
    });
  };
}
