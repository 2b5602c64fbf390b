import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ChangeMessageVisibilityBatchCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { deadLetterParameterName, type DeadLetterQueueEntry } from '../lib/operations/dead-letter-names.ts';
import { parseStage, stackNamesOf } from '../lib/stage.ts';
import { formatDepths, parseIndex, planReplay, type QueueDepth, type Replay, type Source } from './redrive-plan.ts';

/** `tend redrive`: the dead-letter queues of a deployed stage, their depth, and a safe replay (docs/operations.md). */

export interface RedriveClients {
  ssm: SSMClient;
  sqs: SQSClient;
  lambda: LambdaClient;
  sfn: SFNClient;
}

/** A replayed function may run up to its 15-minute timeout: the message stays hidden a little longer than that. */
const REPLAY_VISIBILITY_SECONDS = 16 * 60;

export function awsClients(region?: string): RedriveClients {
  return {
    ssm: new SSMClient({ region }),
    sqs: new SQSClient({ region }),
    // The replay waits for the function's answer (RequestResponse): no socket timeout below its 15 minutes.
    lambda: new LambdaClient({ region, requestHandler: { requestTimeout: REPLAY_VISIBILITY_SECONDS * 1000 } }),
    sfn: new SFNClient({ region }),
  };
}

/** The stage's dead-letter index, from the SSM parameter its app stack writes. */
export async function loadIndex(clients: RedriveClients, stage: string): Promise<DeadLetterQueueEntry[]> {
  const name = deadLetterParameterName(stackNamesOf(stage).app);
  try {
    const out = await clients.ssm.send(new GetParameterCommand({ Name: name }));
    return parseIndex(out.Parameter?.Value ?? '', name);
  } catch (err) {
    if ((err as Error).name === 'ParameterNotFound')
      throw new Error(`no ${name}: stage ${stage} is not deployed in this region (deploy it, or pass --stage and --region)`);
    throw err;
  }
}

export async function queueDepths(clients: RedriveClients, entries: DeadLetterQueueEntry[]): Promise<QueueDepth[]> {
  return Promise.all(
    entries.map(async (e) => {
      const out = await clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: e.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
      );
      const n = (name: 'ApproximateNumberOfMessages' | 'ApproximateNumberOfMessagesNotVisible') => Number(out.Attributes?.[name] ?? 0);
      return {
        consumer: e.consumer,
        kind: e.kind,
        target: e.target,
        visible: n('ApproximateNumberOfMessages'),
        inFlight: n('ApproximateNumberOfMessagesNotVisible'),
      };
    }),
  );
}

export interface MessageOutcome {
  consumer: string;
  messageId: string;
  source?: Source;
  outcome: 'replayed' | 'would-replay' | 'failed' | 'skipped';
  /** Why it was dead-lettered (error code and message, or the failed invocation's answer). */
  error?: string;
  detail: string;
}

/** Replays one message: ok only when the function answered without error, or the execution started (now or by an earlier replay). */
export async function replay(clients: RedriveClients, r: Replay): Promise<{ ok: boolean; detail: string }> {
  try {
    if (r.kind === 'invoke') {
      const out = await clients.lambda.send(
        new InvokeCommand({ FunctionName: r.functionArn, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(r.payload) }),
      );
      if (out.FunctionError) return { ok: false, detail: `${out.FunctionError}: ${new TextDecoder().decode(out.Payload ?? new Uint8Array()).slice(0, 300)}` };
      return { ok: true, detail: `invoked ${r.functionArn}` };
    }
    await clients.sfn.send(new StartExecutionCommand({ stateMachineArn: r.stateMachineArn, name: r.name, input: r.input }));
    return { ok: true, detail: `started ${r.name}` };
  } catch (err) {
    // The name is the message's: it exists because an earlier replay of this message started it.
    if (r.kind === 'start-execution' && (err as Error).name === 'ExecutionAlreadyExists')
      return { ok: true, detail: `${r.name} was started by an earlier replay` };
    return { ok: false, detail: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

/**
 * Replays up to `limit` messages of one queue, one at a time: each is deleted only after its replay
 * succeeded; a refused or failed one is made visible again at the end (for the next try and the
 * depth alarm). With `dryRun`, nothing is replayed or deleted.
 */
export async function redriveQueue(
  clients: RedriveClients,
  entry: DeadLetterQueueEntry,
  options: { limit: number; dryRun: boolean },
): Promise<MessageOutcome[]> {
  const outcomes: MessageOutcome[] = [];
  const seen = new Set<string>();
  const release: string[] = [];
  try {
    while (outcomes.length < options.limit) {
      const { Messages = [] } = await clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: entry.queueUrl,
          MaxNumberOfMessages: 1,
          // Long polling asks every SQS server: an empty answer means an empty queue.
          WaitTimeSeconds: 2,
          VisibilityTimeout: REPLAY_VISIBILITY_SECONDS,
          MessageAttributeNames: ['All'],
        }),
      );
      const message = Messages[0];
      if (!message?.MessageId || !message.ReceiptHandle || seen.has(message.MessageId)) break;
      seen.add(message.MessageId);
      const base = { consumer: entry.consumer, messageId: message.MessageId };
      const plan = planReplay(entry, message);
      if (!plan.ok) {
        outcomes.push({ ...base, source: plan.source, outcome: 'skipped', detail: plan.reason });
        release.push(message.ReceiptHandle);
        continue;
      }
      const what = plan.replay.kind === 'invoke' ? `invoke ${plan.replay.functionArn}` : `start ${plan.replay.name} of ${plan.replay.stateMachineArn}`;
      if (options.dryRun) {
        outcomes.push({ ...base, source: plan.source, error: plan.error, outcome: 'would-replay', detail: what });
        release.push(message.ReceiptHandle);
        continue;
      }
      const result = await replay(clients, plan.replay);
      if (result.ok) await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: entry.queueUrl, ReceiptHandle: message.ReceiptHandle }));
      else release.push(message.ReceiptHandle);
      outcomes.push({ ...base, source: plan.source, error: plan.error, outcome: result.ok ? 'replayed' : 'failed', detail: result.detail });
    }
  } finally {
    for (let i = 0; i < release.length; i += 10) {
      const chunk = release.slice(i, i + 10);
      await clients.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: entry.queueUrl,
          Entries: chunk.map((ReceiptHandle, j) => ({ Id: String(i + j), ReceiptHandle, VisibilityTimeout: 0 })),
        }),
      );
    }
  }
  return outcomes;
}

export interface RedriveOptions {
  stage?: string;
  region?: string;
  replay?: boolean;
  limit: number;
  dryRun?: boolean;
  json?: boolean;
}

export async function redriveCommand(consumer: string | undefined, options: RedriveOptions, clients = awsClients(options.region)): Promise<void> {
  const stage = parseStage(options.stage, '--stage');
  const index = await loadIndex(clients, stage);
  const entries = consumer ? index.filter((e) => e.consumer === consumer) : index;
  if (consumer && !entries.length)
    throw new Error(`stage ${stage} has no dead-letter queue for ${consumer}; known: ${index.map((e) => e.consumer).join(', ')}`);
  if (!options.replay) {
    const depths = await queueDepths(clients, entries);
    console.log(options.json ? JSON.stringify(depths) : formatDepths(stage, depths));
    return;
  }
  const outcomes: MessageOutcome[] = [];
  for (const entry of entries) outcomes.push(...(await redriveQueue(clients, entry, { limit: options.limit, dryRun: Boolean(options.dryRun) })));
  if (options.json) console.log(JSON.stringify(outcomes));
  else {
    for (const o of outcomes)
      console.log(
        `${o.outcome.padEnd(12)} ${o.consumer} ${o.messageId} (${o.source ?? '?'}): ${o.detail}${o.error ? `\n             dead-lettered for: ${o.error}` : ''}`,
      );
    const count = (k: MessageOutcome['outcome']) => outcomes.filter((o) => o.outcome === k).length;
    console.log(
      options.dryRun
        ? `${count('would-replay')} would be replayed, ${count('skipped')} refused (dry run: nothing replayed or deleted).`
        : `${count('replayed')} replayed and deleted, ${count('failed')} failed, ${count('skipped')} refused; those are still in their queue.`,
    );
  }
  if (outcomes.some((o) => o.outcome === 'failed')) process.exitCode = 1;
}
