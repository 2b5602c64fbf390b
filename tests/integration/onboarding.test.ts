import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';
import { parseConfig } from '../../functions/core/config.ts';
import { inWindow } from '../../functions/core/email/window.ts';
import userConfig from '../../tend.config.ts';

const config = parseConfig(userConfig);

const DAY = 86_400_000;
const start = new Date('2026-01-05T09:00:00Z');

describe('onboarding journey, synthesized state machine on the local runtime', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start, speed: 5 * 86_400, paused: true });
  });
  afterAll(() => rt?.stop());

  it('sends exactly one email per step, in order, on days 1, 7, 14 and 30, chosen by account state', async () => {
    const created = await rt.request('POST', '/v1/accounts', {
      id: 'acme',
      name: 'Acme Corp',
      seats: 10,
      arr: 6000,
      startDate: start.toISOString(),
      primaryContact: { email: 'ana@acme.example', name: 'Ana Ortiz' },
    });
    expect(created.status).toBe(201);

    // Active in the first week only: day 7 finds activity, days 14 and 30 do not.
    const events = [2, 3, 4, 5].flatMap((d) =>
      ['u1', 'u2', 'u3'].map((u, i) => ({
        id: `e-${d}-${u}`,
        accountId: 'acme',
        userId: u,
        name: 'feature_used',
        timestamp: new Date(start.getTime() + d * DAY + i * 60_000).toISOString(),
        properties: { feature: i === 0 ? 'reports' : 'dashboards' },
      })),
    );
    expect((await rt.request('POST', '/v1/events', { events })).status).toBe(202);
    rt.clock.resume();

    await rt.sfn.settled();
    const [execution] = [...rt.sfn.executions.values()];
    expect({ status: execution?.status, error: execution?.error, cause: execution?.cause }).toEqual({ status: 'SUCCEEDED', error: undefined, cause: undefined });

    const outbox = rt.ses.outbox().filter((e) => e.destination.to.includes('ana@acme.example'));
    expect(outbox.map((e) => e.subject)).toEqual([
      'Welcome to Acme Analytics, Acme Corp',
      '3 of your team used Acme Analytics this month',
      'Your Acme Analytics seats are waiting, Ana',
      'Your Acme Analytics seats are waiting, Ana',
    ]);

    const sends = (await rt.items('acme', 'SEND#')).sort((a, b) => String(a.sentAt).localeCompare(String(b.sentAt)));
    expect(sends.map((s) => s.step)).toEqual(['welcome', 'day-7', 'day-14', 'day-30']);
    // Each on its planned day, or at the next opening of the send window (working hours, UTC by
    // default) when the fast clock carried the step past 17:00 or into a weekend.
    const days = sends.map((s) => Math.floor((Date.parse(String(s.sentAt)) - start.getTime()) / DAY));
    [1, 7, 14, 30].forEach((planned, i) => expect(days[i]).toBeGreaterThanOrEqual(planned));
    [1, 7, 14, 30].forEach((planned, i) => expect(days[i]).toBeLessThanOrEqual(planned + 3));
    for (const s of sends) expect(inWindow(Date.parse(String(s.sentAt)), 'UTC', config.email.sendWindow), String(s.sentAt)).toBe(true);
    expect(new Set(sends.map((s) => s.messageId))).toEqual(new Set(outbox.map((e) => e.messageId)));

    const view = await rt.request('GET', '/v1/accounts/acme');
    expect(view.body?.journeys.onboarding.status).toBe('completed');
    expect(Object.keys(view.body?.journeys.onboarding.steps).sort()).toEqual(['day-14', 'day-30', 'day-7', 'welcome']);
  });
});
