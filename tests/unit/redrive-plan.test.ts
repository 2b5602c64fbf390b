import { describe, expect, it } from 'vitest';
import { formatDepths, parseIndex, planReplay, replayExecutionName, unqualified, type DeadLetterMessage } from '../../cli/redrive-plan.ts';
import type { DeadLetterQueueEntry } from '../../lib/operations/dead-letter-names.ts';

const STARTER = 'arn:aws:lambda:eu-west-1:123456789012:function:Tend-prod-PlaysStarter-AbC';
const OTHER_FN = 'arn:aws:lambda:eu-west-1:123456789012:function:Tend-prod-EmailEvents-XyZ';
const RUN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:ScoringDailyRun-Q1';
const starter: DeadLetterQueueEntry = { consumer: 'plays-starter', kind: 'lambda', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/q', target: STARTER };
const dailyRun: DeadLetterQueueEntry = {
  consumer: 'scoring-daily-run',
  kind: 'state-machine',
  queueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/r',
  target: RUN,
};

const event = { 'detail-type': 'tier.changed', time: '2026-11-27T06:00:00Z', detail: { accountId: 'acme', band: 'at-risk' } };
const attrs = (a: Record<string, string>) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, { StringValue: v, DataType: 'String' }]));
const lambdaRecord = (functionArn: string, payload: unknown) =>
  JSON.stringify({
    version: '1.0',
    requestContext: { requestId: 'r1', functionArn: `${functionArn}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: payload,
    responsePayload: { errorType: 'TableThrottled', errorMessage: 'slow down' },
  });

describe('planReplay', () => {
  const cases: { name: string; entry: DeadLetterQueueEntry; message: DeadLetterMessage; expected: ReturnType<typeof planReplay> }[] = [
    {
      name: 'an EventBridge rule dead letter re-invokes the target with the event as it was',
      entry: starter,
      message: {
        MessageId: 'm1',
        Body: JSON.stringify(event),
        MessageAttributes: attrs({ RULE_ARN: 'arn:rule', TARGET_ARN: STARTER, ERROR_CODE: 'Throttling' }),
      },
      expected: { ok: true, source: 'eventbridge-rule', error: 'Throttling', replay: { kind: 'invoke', functionArn: STARTER, payload: JSON.stringify(event) } },
    },
    {
      name: 'a schedule dead letter re-invokes the function with the schedule input',
      entry: starter,
      message: {
        MessageId: 'm2',
        Body: '{"sweep":true}',
        MessageAttributes: attrs({ SCHEDULE_ARN: 'arn:schedule', TARGET_ARN: STARTER, ERROR_MESSAGE: 'Rate exceeded' }),
      },
      expected: { ok: true, source: 'schedule', error: 'Rate exceeded', replay: { kind: 'invoke', functionArn: STARTER, payload: '{"sweep":true}' } },
    },
    {
      name: "a Lambda on-failure record replays its requestPayload, not the record, and keeps the function's error",
      entry: starter,
      message: { MessageId: 'm3', Body: lambdaRecord(STARTER, event) },
      expected: {
        ok: true,
        source: 'lambda-async',
        error: 'RetriesExhausted: {"errorType":"TableThrottled","errorMessage":"slow down"}',
        replay: { kind: 'invoke', functionArn: STARTER, payload: JSON.stringify(event) },
      },
    },
    {
      name: 'a scheduled start of the daily run starts it again, under a name fixed by the message',
      entry: dailyRun,
      message: { MessageId: '0f1e-22', Body: '{"shards":[0,1]}', MessageAttributes: attrs({ SCHEDULE_ARN: 'arn:schedule', TARGET_ARN: RUN }) },
      expected: {
        ok: true,
        source: 'schedule',
        error: '',
        replay: { kind: 'start-execution', stateMachineArn: RUN, name: 'redrive-0f1e-22', input: '{"shards":[0,1]}' },
      },
    },
    {
      name: 'a message addressed to another target is refused (a queue replays into its one consumer)',
      entry: starter,
      message: { MessageId: 'm4', Body: JSON.stringify(event), MessageAttributes: attrs({ RULE_ARN: 'arn:rule', TARGET_ARN: OTHER_FN }) },
      expected: { ok: false, source: 'eventbridge-rule', reason: `addressed to ${OTHER_FN}, not to ${STARTER}; left in the queue` },
    },
    {
      name: "another function's invocation record is refused",
      entry: starter,
      message: { MessageId: 'm5', Body: lambdaRecord(OTHER_FN, event) },
      expected: { ok: false, source: 'lambda-async', reason: `an invocation record of ${OTHER_FN}:$LATEST, not of ${STARTER}; left in the queue` },
    },
    {
      name: 'a body that is not JSON is refused',
      entry: starter,
      message: { MessageId: 'm6', Body: 'hello' },
      expected: { ok: false, reason: 'the body is not JSON: not something Tend sent; left in the queue' },
    },
  ];
  for (const c of cases) it(c.name, () => expect(planReplay(c.entry, c.message)).toEqual(c.expected));
});

describe('replay helpers', () => {
  it.each([
    ['0f1e-22', 'redrive-0f1e-22'],
    ['a/b c', 'redrive-a-b-c'],
    ['x'.repeat(100), `redrive-${'x'.repeat(72)}`],
  ])('names the execution of message %s %s', (id, name) => {
    expect(replayExecutionName(id)).toBe(name);
    expect(replayExecutionName(id)).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });

  it.each([
    [`${STARTER}:$LATEST`, STARTER],
    [`${STARTER}:live`, STARTER],
    [STARTER, STARTER],
  ])('drops the qualifier of %s', (arn, expected) => expect(unqualified(arn)).toBe(expected));
});

describe('parseIndex', () => {
  it('reads the index the stack writes', () => {
    expect(parseIndex(JSON.stringify([starter, dailyRun]), '/tend/Tend-prod/dead-letter-queues')).toEqual([starter, dailyRun]);
  });

  it.each([
    ['not json', /is not JSON/],
    [JSON.stringify([{ ...starter, kind: 'topic' }]), /0\.kind/],
    [JSON.stringify([{ ...starter, target: 'Tend-prod-PlaysStarter' }]), /0\.target/],
    [JSON.stringify({ queues: [] }), /not a dead-letter index/],
  ])('refuses %s', (json, error) => expect(() => parseIndex(json, '/p')).toThrow(error));
});

describe('formatDepths', () => {
  it('lists the queues holding messages first, and says what to run next', () => {
    const text = formatDepths('prod', [
      { consumer: 'scoring', kind: 'lambda', visible: 0, inFlight: 0, target: 'arn:a' },
      { consumer: 'plays-starter', kind: 'lambda', visible: 3, inFlight: 1, target: STARTER },
    ]);
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/^plays-starter\s+3\s+1\s+arn:aws:lambda/);
    expect(lines[2]).toMatch(/^scoring\s+0\s+0\s+arn:a$/);
    expect(text).toContain('3 message(s) waiting. Look first: tend redrive --stage prod --replay --dry-run');
  });

  it('says when nothing waits', () => {
    expect(formatDepths('dev', [{ consumer: 'scoring', kind: 'lambda', visible: 0, inFlight: 0, target: 'arn:a' }])).toMatch(/Nothing waiting\.$/);
  });
});
