import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

describe('local runtime stand-ins', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-02-01T00:00:00Z'), paused: true });
  });
  afterAll(() => rt?.stop());

  it('creates the table from the template and sweeps items whose TTL has passed', async () => {
    const now = Math.floor(rt.clock.nowMs() / 1000);
    await rt.db.send(new PutCommand({ TableName: rt.tableName, Item: { pk: 'ACCOUNT#ttl', sk: 'DAY#old', expiresAt: now - 1 } }));
    await rt.db.send(new PutCommand({ TableName: rt.tableName, Item: { pk: 'ACCOUNT#ttl', sk: 'DAY#new', expiresAt: now + 3600 } }));
    expect(await rt.dynamo.sweep(rt.clock.nowMs())).toBe(1);
    expect((await rt.items('ttl')).map((i) => i.sk)).toEqual(['DAY#new']);
  });

  it('loads every Lambda, route, schedule and state machine of the assembly', () => {
    // API, scoring, play steps, play starter, unsubscribe, SES events.
    expect(rt.lambdas.functions.size).toBe(6);
    expect(rt.routes.map((r) => r.routeKey).sort()).toEqual([
      'GET /v1/accounts',
      'GET /v1/accounts/{id}',
      'GET /v1/accounts/{id}/card',
      'GET /v1/openapi.json',
      'GET /v1/plays',
      'GET /v1/plays/{play}/runs',
      'GET /v1/unsubscribe',
      'POST /v1/accounts',
      'POST /v1/accounts/{id}/milestones',
      'POST /v1/accounts/{id}/plays/{play}/{action}',
      'POST /v1/contacts',
      'POST /v1/events',
      'POST /v1/segment',
      'POST /v1/surveys',
      'POST /v1/tickets',
      'POST /v1/unsubscribe',
    ]);
    // The daily scoring run and the plays' daily sweep, and rescoring.
    expect(rt.scheduler.schedules.map((s) => s.expression).sort()).toEqual(['cron(0 6 * * ? *)', 'cron(0 6 * * ? *)', 'rate(1 hour)']);
    // The daily scoring run and one machine per play.
    expect(rt.sfn.machines.size).toBe(8);
  });

  it('starts an execution name once: same name and input returns the run, another input is refused', async () => {
    const machine = [...rt.sfn.machines.values()].find((m) => m.name.includes('Playonboarding'));
    const input = JSON.stringify({ accountId: 'nobody', play: 'onboarding', cycle: '2026-02-01', anchor: '2026-02-01T00:00:00Z', trigger: { on: 'manual', at: '2026-02-01T00:00:00Z' } });
    const first = rt.sfn.start(machine!.arn, 'dup-test', input);
    expect(rt.sfn.start(machine!.arn, 'dup-test', input)).toBe(first);
    expect(() => rt.sfn.start(machine!.arn, 'dup-test', JSON.stringify({ accountId: 'other' }))).toThrow(/Execution Already Exists/);
    await first.done;
    // The account does not exist: Begin's failure is caught and recorded, not lost.
    expect(first.status).toBe('FAILED');
    expect(first.history.map((h) => h.state)).toContain('Record failure');
  });
});

describe('stopping the local runtime', () => {
  it('waits for a TTL sweep under way instead of closing the database under it', async () => {
    const rt = await testRuntime({ start: new Date('2026-02-01T00:00:00Z'), paused: true });
    const expired = Math.floor(rt.clock.nowMs() / 1000) - 1;
    for (let i = 0; i < 200; i++) await rt.db.send(new PutCommand({ TableName: rt.tableName, Item: { pk: 'ACCOUNT#ttl', sk: `DAY#${i}`, expiresAt: expired } }));
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', record);
    try {
      const sweep = rt.sweepExpired();
      while (!rt.dynamo.operations.DeleteItem) await new Promise((r) => setTimeout(r, 1));
      await rt.stop();
      const deleted = await sweep;
      // The sweep stopped part-way, after the request it had sent, and nothing failed behind it.
      expect(deleted).toBeGreaterThan(0);
      expect(deleted).toBeLessThan(200);
      await new Promise((r) => setTimeout(r, 50));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
  });
});
