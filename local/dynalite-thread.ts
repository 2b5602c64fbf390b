import type { Server } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { callDynalite, type AnswerBatch, type RequestBatch, type WireResponse } from './dynalite-call.ts';
import { memoizeDynaliteExpressions } from './dynalite-expressions.ts';
import { readLevelInPlace } from './level-sync-reads.ts';

/**
 * dynalite on a thread of its own (started by LocalDynamo): validation, expression parsing, the
 * store and their garbage run beside the functions' SDK work instead of between it, on a second
 * core. Messages: a batch of `{ id, request }` answered by batches of `{ id, response }` (one message per
 * event-loop turn each way); `'stop'` closes the store, answered `'stopped'`.
 */
type Message = RequestBatch | 'stop';

memoizeDynaliteExpressions();
readLevelInPlace();
const port = parentPort!;
const server = dynalite({ path: (workerData as { path?: string }).path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
const listener = server.listeners('request')[0] as (req: unknown, res: unknown) => void;
// dynalite's close() closes its store after its HTTP server: that server listens on a port nobody uses.
server.listen(0, '127.0.0.1', () => port.postMessage('ready'));
port.on('message', (message: Message) => {
  if (message === 'stop') return void server.close(() => port.postMessage('stopped'));
  for (const { id, request } of message) void callDynalite(listener, request).then((response) => answer(id, response));
});

// Answers leave in batches too: those ready within one event-loop turn, in one message.
let answers: AnswerBatch = [];
function answer(id: number, response: WireResponse) {
  answers.push({ id, response });
  if (answers.length === 1) setImmediate(sendAnswers);
}
function sendAnswers() {
  const batch = answers;
  answers = [];
  port.postMessage(batch);
}
