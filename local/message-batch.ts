/**
 * Messages to another thread, sent together: everything queued in one turn of this thread's
 * event loop (up to the end of its microtasks) goes in one postMessage. The play steps and
 * scoring batches issue their requests to the local DynamoDB's thread in bursts, and each
 * postMessage wakes the other thread (a system call, and a context switch on a busy machine).
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
