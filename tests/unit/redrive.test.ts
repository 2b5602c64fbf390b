import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Message } from '@aws-sdk/client-sqs';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ChangeMessageVisibilityBatchCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadIndex, queueDepths, redriveCommand, redriveQueue, type RedriveClients } from '../../cli/redrive.ts';
import type { DeadLetterQueueEntry } from '../../lib/operations/dead-letter-names.ts';

/** The exact AWS calls of `tend redrive`: what it reads, what it replays, and when it deletes. */
const STARTER = 'arn:aws:lambda:eu-west-1:123456789012:function:Tend-prod-PlaysStarter-AbC';
const RUN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:ScoringDailyRun-Q1';
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/Tend-prod-dlq-plays-starter';
const starter: DeadLetterQueueEntry = { consumer: 'plays-starter', kind: 'lambda', queueUrl: QUEUE, target: STARTER };
const dailyRun: DeadLetterQueueEntry = { consumer: 'scoring-daily-run', kind: 'state-machine', queueUrl: `${QUEUE}-run`, target: RUN };

const event = JSON.stringify({ 'detail-type': 'tier.changed', time: '2026-11-27T06:00:00Z', detail: { accountId: 'acme' } });
const message = (id: string, body = event): Message => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: body,
  MessageAttributes: { RULE_ARN: { StringValue: 'arn:rule', DataType: 'String' }, TARGET_ARN: { StringValue: STARTER, DataType: 'String' } },
});

describe('tend redrive', () => {
  const ssm = mockClient(SSMClient);
  const sqs = mockClient(SQSClient);
  const lambda = mockClient(LambdaClient);
  const sfn = mockClient(SFNClient);
  const clients = { ssm: new SSMClient({}), sqs: new SQSClient({}), lambda: new LambdaClient({}), sfn: new SFNClient({}) } as RedriveClients;
  afterEach(() => [ssm, sqs, lambda, sfn].forEach((m) => m.reset()));

  /** The queue hands out these messages once each, then is empty. */
  const queueHolds = (...messages: Message[]) => {
    let next = sqs.on(ReceiveMessageCommand);
    for (const m of messages) next = next.resolvesOnce({ Messages: [m] });
    next.resolves({ Messages: [] });
  };

  it("reads the stage's index from its SSM parameter, and each queue's depth", async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify([starter]) } });
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '4', ApproximateNumberOfMessagesNotVisible: '1' } });
    const index = await loadIndex(clients, 'prod');
    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input)).toEqual([{ Name: '/tend/Tend-prod/dead-letter-queues' }]);
    expect(await queueDepths(clients, index)).toEqual([{ consumer: 'plays-starter', kind: 'lambda', target: STARTER, visible: 4, inFlight: 1 }]);
    expect(sqs.commandCalls(GetQueueAttributesCommand)[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    });
  });

  it('says which stage is missing when the parameter is not there', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('not found'), { name: 'ParameterNotFound' }));
    await expect(loadIndex(clients, 'qa')).rejects.toThrow(/stage qa is not deployed in this region/);
  });

  it('replays each message into its function, synchronously, and deletes it only then', async () => {
    queueHolds(message('m1'), message('m2'));
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    const outcomes = await redriveQueue(clients, starter, { limit: 10, dryRun: false });
    expect(outcomes.map((o) => [o.messageId, o.outcome])).toEqual([
      ['m1', 'replayed'],
      ['m2', 'replayed'],
    ]);
    const invokes = lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
    expect(invokes.map((i) => [i.FunctionName, i.InvocationType, new TextDecoder().decode(i.Payload as Uint8Array)])).toEqual([
      [STARTER, 'RequestResponse', event],
      [STARTER, 'RequestResponse', event],
    ]);
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: QUEUE, ReceiptHandle: 'rh-m1' },
      { QueueUrl: QUEUE, ReceiptHandle: 'rh-m2' },
    ]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toMatchObject({
      QueueUrl: QUEUE,
      MaxNumberOfMessages: 1,
      MessageAttributeNames: ['All'],
    });
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(0);
  });

  it('keeps a message whose replay failed, and makes it visible again', async () => {
    queueHolds(message('m1'));
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: new TextEncoder().encode('{"errorMessage":"boom"}') as never });
    const [outcome] = await redriveQueue(clients, starter, { limit: 10, dryRun: false });
    expect(outcome).toMatchObject({ outcome: 'failed', detail: 'Unhandled: {"errorMessage":"boom"}' });
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: QUEUE, Entries: [{ Id: '0', ReceiptHandle: 'rh-m1', VisibilityTimeout: 0 }] },
    ]);
  });

  it('keeps a message when the invoke itself is refused (throttled, no permission)', async () => {
    queueHolds(message('m1'));
    lambda.on(InvokeCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    const [outcome] = await redriveQueue(clients, starter, { limit: 10, dryRun: false });
    expect(outcome).toMatchObject({ outcome: 'failed', detail: 'TooManyRequestsException: Rate exceeded' });
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it('with --dry-run, replays and deletes nothing, and releases what it read', async () => {
    queueHolds(message('m1'), message('m2', 'not json'));
    const outcomes = await redriveQueue(clients, starter, { limit: 10, dryRun: true });
    expect(outcomes.map((o) => o.outcome)).toEqual(['would-replay', 'skipped']);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)[0]!.args[0].input.Entries!.map((e) => e.ReceiptHandle)).toEqual(['rh-m1', 'rh-m2']);
  });

  it('stops at --limit', async () => {
    queueHolds(message('m1'), message('m2'), message('m3'));
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    expect(await redriveQueue(clients, starter, { limit: 2, dryRun: false })).toHaveLength(2);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(2);
  });

  it('restarts a dropped daily run under the message-fixed name, and treats "already exists" as replayed', async () => {
    const scheduled = { ...message('a-1', '{"shards":[0]}'), MessageAttributes: { SCHEDULE_ARN: { StringValue: 'arn:s', DataType: 'String' } } };
    queueHolds(scheduled, { ...scheduled, MessageId: 'a-2', ReceiptHandle: 'rh-a-2' });
    sfn
      .on(StartExecutionCommand)
      .resolvesOnce({ executionArn: 'arn:x', startDate: new Date() })
      .rejects(Object.assign(new Error('exists'), { name: 'ExecutionAlreadyExists' }));
    const outcomes = await redriveQueue(clients, dailyRun, { limit: 10, dryRun: false });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { stateMachineArn: RUN, name: 'redrive-a-1', input: '{"shards":[0]}' },
      { stateMachineArn: RUN, name: 'redrive-a-2', input: '{"shards":[0]}' },
    ]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['replayed', 'replayed']);
    expect(outcomes[1]!.detail).toBe('redrive-a-2 was started by an earlier replay');
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(2);
  });

  it("replays only the named consumer's queue, and names the known ones for an unknown consumer", async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify([starter, dailyRun]) } });
    queueHolds(message('m1'));
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await redriveCommand('plays-starter', { stage: 'prod', replay: true, limit: 5, json: true }, clients);
      expect(JSON.parse(String(log.mock.calls[0]![0]))).toMatchObject([{ consumer: 'plays-starter', messageId: 'm1', outcome: 'replayed' }]);
      expect(sqs.commandCalls(ReceiveMessageCommand).every((c) => c.args[0].input.QueueUrl === QUEUE)).toBe(true);
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
      await expect(redriveCommand('plays', { stage: 'prod', limit: 5 }, clients)).rejects.toThrow('known: plays-starter, scoring-daily-run');
      await expect(redriveCommand(undefined, { stage: 'Prod', limit: 5 }, clients)).rejects.toThrow(/^--stage Prod: a stage is/);
    } finally {
      log.mockRestore();
    }
  });
});
