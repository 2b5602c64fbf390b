import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * The run's correlation id in every play step and its sends (docs/observability.md), and held sends
 * whose run is gone, settled by the hourly sweep (docs/email.md, "Orphaned held sends").
 */

// Monday 2 March 2026, 10:00 UTC: inside the send window.
const START = new Date('2026-03-02T10:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Tags = Record<string, string[]>;

/** Every SES event's tags, as the local SES publishes them (it keeps forwarding them to the runtime's EventBridge). */
function sesEventTags(rt: TestRuntime): { type: string; tags: Tags }[] {
  const seen: { type: string; tags: Tags }[] = [];
  const forward = rt.ses.onEvent;
  rt.ses.onEvent = (detailType, detail) => {
    seen.push({ type: String(detail.eventType), tags: (detail.mail as { tags: Tags }).tags });
    forward?.(detailType, detail);
  };
  return seen;
}

/** An account whose onboarding welcome (day 1) falls due 10 minutes after START. */
async function createAccount(rt: TestRuntime, id: string, headers: Record<string, string> = {}) {
  const res = await rt.request(
    'POST',
    '/v1/accounts',
    { id, name: `${id} Inc`, seats: 5, startDate: new Date(START.getTime() - DAY + 10 * 60_000).toISOString(), primaryContact: { email: `pat@${id}.example` } },
    undefined,
    { headers },
  );
  expect(res.status).toBe(201);
}

async function runUntil(rt: TestRuntime, virtualMs: number) {
  rt.clock.resume();
  while (rt.clock.nowMs() < virtualMs) await new Promise((r) => setTimeout(r, 20));
  rt.clock.pause();
  await rt.idle();
}

const welcomes = (rt: TestRuntime, to: string) => rt.ses.outbox().filter((e) => /welcome/i.test(e.subject) && e.destination.to[0] === to);

describe("the run's correlation id in every step", () => {
  it("a run started through the API tags its sends with the request's correlation id", async () => {
    const rt = await testRuntime({ start: START, speed: 3600, paused: true });
    try {
      const events = sesEventTags(rt);
      await createAccount(rt, 'corr-api', { 'x-correlation-id': 'crm-sync-77' });
      await rt.idle();
      await runUntil(rt, START.getTime() + HOUR);
      const sends = events.filter((e) => e.type === 'Send' && e.tags.account?.[0] === 'corr-api');
      expect(sends).toHaveLength(1);
      expect(sends[0]!.tags.correlation).toEqual(['crm-sync-77']);
    } finally {
      await rt.stop();
    }
  }, 60_000);

  it('an execution started by hand without any correlation id runs to its end, its steps correlated by the execution name', async () => {
    // Two virtual days a second: the onboarding's 60 days in half a minute.
    const rt = await testRuntime({ start: START, speed: 2 * 86_400, paused: true });
    try {
      const events = sesEventTags(rt);
      await createAccount(rt, 'by-hand');
      await rt.idle();
      // The run the API started makes way (cancelled), then one is started by hand, as an operator would, with no correlationId anywhere.
      expect((await rt.request('POST', '/v1/accounts/by-hand/plays/onboarding/cancel', { by: 'tests' })).status).toBe(200);
      const [started] = [...rt.sfn.executions.values()];
      const machineArn = started!.arn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, '');
      const input = {
        accountId: 'by-hand',
        play: 'onboarding',
        // A cycle of its own: the cancelled run's record stays as it was.
        cycle: '2026-03-02',
        anchor: new Date(START.getTime() - DAY + 10 * 60_000).toISOString(),
        trigger: { on: 'manual', at: START.toISOString() },
      };
      const execution = rt.sfn.start(machineArn, 'onboarding-by-hand-manual', JSON.stringify(input));
      await runUntil(rt, START.getTime() + 62 * DAY);
      expect({ status: execution.status, error: execution.error }).toEqual({ status: 'SUCCEEDED', error: undefined });
      const sends = events.filter((e) => e.type === 'Send' && e.tags.account?.[0] === 'by-hand');
      const run = (await rt.items('by-hand', 'RUN#onboarding#2026-03-02'))[0];
      expect(sends.length, JSON.stringify(run)).toBeGreaterThan(0);
      for (const s of sends) expect(s.tags.correlation).toEqual(['onboarding-by-hand-manual']);
    } finally {
      await rt.stop();
    }
  }, 120_000);
});

describe('held sends whose run is gone', () => {
  it('a run cancelled while its send is held: after the window the sweep settles it by SES events, sends nothing, leaves nothing claimed', async () => {
    const rt = await testRuntime({ start: START, speed: 3600, paused: true });
    try {
      const accounts = ['held-0', 'held-1'];
      for (const id of accounts) await createAccount(rt, id);
      await rt.idle();
      // One welcome is stored by SES, which then answers 500; the other gets a 500 and was never stored.
      rt.ses.faultNext('error-after-store');
      rt.ses.faultNext('error-before-store');
      // Time steps to just past the welcome's due time and stays there, however slow the machine: a
      // running clock could pass the 15-minute window before the check below (it did at load 19).
      rt.clock.advanceTo(START.getTime() + 11 * 60_000);
      while (rt.ses.pendingFaults > 0) await new Promise((r) => setTimeout(r, 5));
      await rt.idle();
      for (const id of accounts) {
        const [send] = await rt.items(id, 'SEND#');
        expect(send).toMatchObject({ status: 'claimed', unclear: expect.stringMatching(/unclear/) });
        // The run goes while its send is held.
        expect((await rt.request('POST', `/v1/accounts/${id}/plays/onboarding/cancel`, { by: 'tests' })).status).toBe(200);
      }

      // The unclear answers noted the held sends: the hourly sweep reads the index once the notice is due.
      const notice = async () => (await rt.db.send(new GetCommand({ TableName: rt.tableName, Key: { pk: 'HELDNOTICE', sk: 'DUE' } }))).Item;
      expect(await notice()).toMatchObject({ due: new Date(START.getTime() + 26 * 60_000).toISOString(), notes: 2 });

      const sweep = rt.scheduler.schedules.find((s) => s.name.startsWith('EmailSweep'));
      expect(sweep, rt.scheduler.schedules.map((s) => s.name).join(', ')).toBeDefined();
      // Inside the window, the sweep leaves them alone.
      await rt.scheduler.fire(sweep!);
      for (const id of accounts) expect((await rt.items(id, 'SEND#'))[0]!.status).toBe('claimed');
      // None made yet on this table, so that sweep was the full pass, recorded beside the notice once it completed.
      const fullPass = (await rt.db.send(new GetCommand({ TableName: rt.tableName, Key: { pk: 'HELDNOTICE', sk: 'FULLPASS' } }))).Item;
      expect(Date.parse(String(fullPass?.at))).toBeGreaterThanOrEqual(START.getTime() + 11 * 60_000);

      await runUntil(rt, START.getTime() + 2 * HOUR);
      await rt.scheduler.fire(sweep!);
      const settled = Object.fromEntries(await Promise.all(accounts.map(async (id) => [id, (await rt.items(id, 'SEND#'))[0]!] as const)));
      const sent = Object.values(settled).filter((s) => s.status === 'sent');
      const failed = Object.values(settled).filter((s) => s.status === 'failed');
      expect(sent).toHaveLength(1);
      expect(failed).toHaveLength(1);
      expect(sent[0]!.messageId).toEqual(expect.any(String));
      expect(failed[0]!.error).toMatch(
        /^given up: no SES event within 15 min of attempt 1, so it was not sent, and its run .+ is no longer live: not sent again$/,
      );
      // Neither was sent again: the stored one is in the outbox once, the other not at all.
      expect(welcomes(rt, String(sent[0]!.contact))).toHaveLength(1);
      expect(welcomes(rt, String(failed[0]!.contact))).toHaveLength(0);
      // Settled sends leave the held index: the next sweep finds nothing.
      const index = await rt.db.send(
        new ScanCommand({
          TableName: rt.tableName,
          FilterExpression: 'begins_with(gsi1pk, :h)',
          ExpressionAttributeValues: { ':h': 'HELD#' },
        }),
      );
      expect(index.Items).toEqual([]);
      // Nothing left held: the notice is cleared, and the next hours read no shard.
      expect(await notice()).toBeUndefined();
      for (const id of accounts) expect((await rt.items(id, 'RUN#onboarding#'))[0]!.status).toBe('cancelled');
    } finally {
      await rt.stop();
    }
  }, 90_000);
});
