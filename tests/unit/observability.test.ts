import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventBridgePublisher } from '../../functions/adapters/eventbridge-publisher.ts';
import { stepFunctionsRunner } from '../../functions/adapters/sfn-runner.ts';
import { correlationId, withCorrelationId } from '../../functions/shared/correlation.ts';
import { observability } from '../../functions/shared/observability.ts';
import { requestCorrelationId } from '../../functions/shared/http-correlation.ts';
import { tracer, traced } from '../../functions/shared/tracer.ts';
import type { HttpEvent } from '../../functions/shared/http.ts';

describe('correlation id', () => {
  it.each([
    ['a valid id is kept', 'import-2026-03-02:batch.7', 'import-2026-03-02:batch.7'],
    ['none: the fallback', undefined, 'req-1'],
    ['not a string: the fallback', 42, 'req-1'],
    ['a space or a newline (log injection): the fallback', 'a b\nc', 'req-1'],
    ['over 128 characters: the fallback', 'x'.repeat(129), 'req-1'],
  ])('%s', async (_, sent, expected) => {
    expect(await withCorrelationId(sent, 'req-1', async () => correlationId())).toBe(expected);
  });

  it('is per invocation: two at once in one process keep their own', async () => {
    const tick = () => new Promise((r) => setTimeout(r, 5));
    const seen = await Promise.all(
      ['a', 'b'].map((id) => withCorrelationId(id, 'x', async () => [correlationId(), await tick(), correlationId()].filter(Boolean).join('|'))),
    );
    expect(seen).toEqual(['a|a', 'b|b']);
    expect(correlationId()).toBeUndefined();
  });

  it('is one store per process: another copy of the module (another bundle in the local runtime) reads and nests the same ids', async () => {
    vi.resetModules();
    const other = await import('../../functions/shared/correlation.ts');
    expect(other.correlationId).not.toBe(correlationId);
    const seen = await withCorrelationId('outer', 'x', async () => [
      other.correlationId(),
      await other.withCorrelationId('inner', 'x', async () => [correlationId(), other.correlationId()].join('|')),
      correlationId(),
    ]);
    expect(seen).toEqual(['outer', 'inner|inner', 'outer']);
  });

  it.each([
    ['the client header when valid', { 'x-correlation-id': 'crm-sync-42' }, 'crm-sync-42'],
    ['the request id when the header is invalid', { 'x-correlation-id': '<script>' }, 'apigw-req'],
    ['the request id without a header', {}, 'apigw-req'],
  ])("an API request's: %s", (_, headers, expected) => {
    expect(requestCorrelationId({ headers, requestContext: { requestId: 'apigw-req' } } as unknown as HttpEvent)).toBe(expected);
  });
});

/** The exact shape of the AWS calls is the point here: the correlation id must ride in them. */
describe('the correlation id travels with what an invocation starts', () => {
  const eventBridge = mockClient(EventBridgeClient);
  const sfn = mockClient(SFNClient);
  afterEach(() => {
    eventBridge.reset();
    sfn.reset();
  });

  it("in each event's detail, and into the input of the runs it starts", async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    sfn.on(StartExecutionCommand).resolves({});
    await withCorrelationId('req-9', 'x', async () => {
      await eventBridgePublisher('bus').publish([{ type: 'account.created', accountId: 'acme', at: '2026-03-02T08:00:00Z', detail: { band: 'Pro' } }]);
      await stepFunctionsRunner({ onboarding: 'arn:aws:states:eu-west-1:1:stateMachine:onboarding' }).start('onboarding', 'exec-1', { accountId: 'acme' });
    });
    const detail = JSON.parse(eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!.Detail!);
    expect(detail).toEqual({ accountId: 'acme', at: '2026-03-02T08:00:00Z', band: 'Pro', correlationId: 'req-9' });
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!)).toEqual({ accountId: 'acme', correlationId: 'req-9' });
  });

  it('a run started outside any request (the daily sweep) is correlated by its execution name', async () => {
    sfn.on(StartExecutionCommand).resolves({});
    await stepFunctionsRunner({ onboarding: 'arn:aws:states:eu-west-1:1:stateMachine:onboarding' }).start('onboarding', 'exec-2', {});
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!)).toEqual({ correlationId: 'exec-2' });
  });
});

describe('metrics and tracing', () => {
  it('counters become EMF metrics in the Tend namespace; a zero count adds nothing', () => {
    const { counters, metrics } = observability('tend-test');
    counters.count('EventsIngested', 3);
    counters.count('PlaysStarted');
    counters.count('EmailsSent', 0);
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] };
    };
    expect(emf._aws.CloudWatchMetrics[0]!.Namespace).toBe('Tend');
    expect(emf._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name).sort()).toEqual(['EventsIngested', 'PlaysStarted']);
    expect(emf).toMatchObject({ EventsIngested: 3, PlaysStarted: 1, service: 'tend-test' });
    metrics.clearMetrics();
  });

  it('off Lambda (no AWS_EXECUTION_ENV: tests, the local runtime) tracing is off and clients are left as they are', () => {
    expect(process.env.AWS_EXECUTION_ENV).toBeUndefined();
    expect(tracer).toBeUndefined();
    const client = new SFNClient({});
    expect(traced(client)).toBe(client);
  });

  it('in Lambda the tracer is loaded and captures the clients it is given', async () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs22.x');
    vi.resetModules();
    try {
      const inLambda = await import('../../functions/shared/tracer.ts');
      expect(inLambda.tracer?.isTracingEnabled()).toBe(true);
      const client = inLambda.traced(new SFNClient({}));
      expect(client.middlewareStack.identify().join(' ')).toMatch(/XRay/i);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
