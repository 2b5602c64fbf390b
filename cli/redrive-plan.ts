import * as z from '../functions/core/zod.ts';
import type { DeadLetterQueueEntry } from '../lib/operations/dead-letter-names.ts';

/**
 * The pure half of `tend redrive`: what a dead-letter message is, and what replaying it means.
 *
 * Three things write to a Tend dead-letter queue (lib/constructs/dead-letters.ts), each its own way:
 * - an EventBridge rule target: the body is the event; attributes RULE_ARN, TARGET_ARN, ERROR_CODE...
 * - an EventBridge Scheduler schedule: the body is the target's input; attributes SCHEDULE_ARN, TARGET_ARN...
 * - a Lambda on-failure destination: the body is an invocation record whose `requestPayload` is the input.
 * SQS's own redrive (StartMessageMoveTask) moves messages back to a source *queue* only, and none of
 * these sources is one: so a replay re-invokes the function, or starts the state machine, with that input.
 */

const entrySchema = z.object({
  consumer: z.string().check(z.minLength(1)),
  kind: z.enum(['lambda', 'state-machine']),
  queueUrl: z.url(),
  target: z.string().check(z.startsWith('arn:')),
});

/** The dead-letter index the stack writes to SSM, checked: a replay goes only where it names. */
export function parseIndex(json: string, source: string): DeadLetterQueueEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`${source} is not JSON`);
  }
  const parsed = z.array(entrySchema).safeParse(value);
  if (!parsed.success)
    throw new Error(`${source} is not a dead-letter index: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export interface DeadLetterMessage {
  MessageId?: string;
  Body?: string;
  MessageAttributes?: Record<string, { StringValue?: string }>;
}

export type Replay =
  { kind: 'invoke'; functionArn: string; payload: string } | { kind: 'start-execution'; stateMachineArn: string; name: string; input: string };

export type Source = 'eventbridge-rule' | 'schedule' | 'lambda-async' | 'unknown-sender';

export type Plan = { ok: true; source: Source; replay: Replay; error?: string } | { ok: false; source?: Source; reason: string };

const lambdaRecord = z.looseObject({
  requestContext: z.looseObject({ functionArn: z.string(), condition: z.optional(z.string()) }),
  requestPayload: z.unknown(),
  responsePayload: z.optional(z.unknown()),
});

/** A function ARN without its version or alias (`...:function:name:$LATEST` -> `...:function:name`). */
export const unqualified = (arn: string) => arn.split(':').slice(0, 7).join(':');

/**
 * The execution name of a replayed start: fixed by the message, so replaying the same message twice
 * (a delete that failed after the start) is refused by Step Functions instead of running twice.
 */
export const replayExecutionName = (messageId: string) => `redrive-${messageId.replace(/[^A-Za-z0-9_-]/g, '-')}`.slice(0, 80);

const attribute = (m: DeadLetterMessage, name: string) => m.MessageAttributes?.[name]?.StringValue;

/** What replaying one message of `entry`'s queue means, or why it is refused (the message is then kept). */
export function planReplay(entry: DeadLetterQueueEntry, message: DeadLetterMessage): Plan {
  const body = message.Body ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'the body is not JSON: not something Tend sent; left in the queue' };
  }
  const record = lambdaRecord.safeParse(parsed);
  if (record.success) {
    const { functionArn, condition } = record.data.requestContext;
    if (entry.kind !== 'lambda' || unqualified(functionArn) !== unqualified(entry.target))
      return { ok: false, source: 'lambda-async', reason: `an invocation record of ${functionArn}, not of ${entry.target}; left in the queue` };
    const error = [condition, JSON.stringify(record.data.responsePayload ?? null)].filter(Boolean).join(': ');
    return {
      ok: true,
      source: 'lambda-async',
      error,
      replay: { kind: 'invoke', functionArn: entry.target, payload: JSON.stringify(record.data.requestPayload ?? null) },
    };
  }
  const source: Source = attribute(message, 'RULE_ARN') ? 'eventbridge-rule' : attribute(message, 'SCHEDULE_ARN') ? 'schedule' : 'unknown-sender';
  const targetArn = attribute(message, 'TARGET_ARN');
  const sameTarget = entry.kind === 'lambda' ? targetArn && unqualified(targetArn) === unqualified(entry.target) : targetArn === entry.target;
  if (targetArn && !sameTarget) return { ok: false, source, reason: `addressed to ${targetArn}, not to ${entry.target}; left in the queue` };
  const error = [attribute(message, 'ERROR_CODE'), attribute(message, 'ERROR_MESSAGE')].filter(Boolean).join(': ');
  if (entry.kind === 'lambda') return { ok: true, source, error, replay: { kind: 'invoke', functionArn: entry.target, payload: body } };
  if (!message.MessageId) return { ok: false, source, reason: 'no message id to name the execution by' };
  return {
    ok: true,
    source,
    error,
    replay: { kind: 'start-execution', stateMachineArn: entry.target, name: replayExecutionName(message.MessageId), input: body },
  };
}

export interface QueueDepth {
  consumer: string;
  kind: DeadLetterQueueEntry['kind'];
  visible: number;
  inFlight: number;
  target: string;
}

/** The list `tend redrive` prints: one line a queue, the ones holding messages first. */
export function formatDepths(stage: string, depths: QueueDepth[]): string {
  if (!depths.length) return `Stage ${stage} has no dead-letter queues.`;
  const sorted = [...depths].sort((a, b) => b.visible - a.visible || a.consumer.localeCompare(b.consumer));
  const width = Math.max(...sorted.map((d) => d.consumer.length), 'consumer'.length);
  const lines = sorted.map((d) => `${d.consumer.padEnd(width)}  ${String(d.visible).padStart(8)}  ${String(d.inFlight).padStart(9)}  ${d.target}`);
  const total = sorted.reduce((n, d) => n + d.visible, 0);
  const hint = total ? `\n${total} message(s) waiting. Look first: tend redrive --stage ${stage} --replay --dry-run` : '\nNothing waiting.';
  return `${'consumer'.padEnd(width)}  ${'messages'.padStart(8)}  ${'in flight'.padStart(9)}  replays into\n${lines.join('\n')}${hint}`;
}
