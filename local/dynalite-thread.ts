import type { Server } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { callDynalite, type WireRequest } from './dynalite-call.ts';
import { memoizeDynaliteExpressions } from './dynalite-expressions.ts';
import { readLevelInPlace } from './level-sync-reads.ts';

/**
 * dynalite on a thread of its own (started by LocalDynamo): validation, expression parsing, the
 * store and their garbage run beside the functions' SDK work instead of between it, on a second
 * core. Messages: `{ id, request }` answered `{ id, response }`; `'stop'` closes the store, answered `'stopped'`.
 */
type Message = { id: number; request: WireRequest } | 'stop';

memoizeDynaliteExpressions();
readLevelInPlace();
const port = parentPort!;
const server = dynalite({ path: (workerData as { path?: string }).path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
const listener = server.listeners('request')[0] as (req: unknown, res: unknown) => void;
// dynalite's close() closes its store after its HTTP server: that server listens on a port nobody uses.
server.listen(0, '127.0.0.1', () => port.postMessage('ready'));
port.on('message', (message: Message) => {
  if (message === 'stop') return void server.close(() => port.postMessage('stopped'));
  void callDynalite(listener, message.request).then((response) => port.postMessage({ id: message.id, response }));
});
