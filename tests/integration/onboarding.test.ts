import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';
import { parseConfig } from '../../functions/core/config.ts';
import { inWindow } from '../../functions/core/email/window.ts';
import userConfig from '../../tend.config.ts';

const config = parseConfig(userConfig);

const DAY = 86_400_000;
const start = new Date('2026-01-05T09:00:00Z');

const account = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `${id[0]!.toUpperCase()}${id.slice(1)} Corp`,
  seats: 10,
  arr: 6000,
  startDate: start.toISOString(),
  primaryContact: { email: `ana@${id}.example`, name: 'Ana Ortiz' },
  ...extra,
});

/** Usage on days 2-5: `users` people, the first on reports, the others on dashboards. */
const firstWeek = (accountId: string, users: string[]) =>
  [2, 3, 4, 5].flatMap((d) =>
    users.map((u, i) => ({
      id: `${accountId}-${d}-${u}`,
      accountId,
      userId: u,
      name: 'feature_used',
      timestamp: new Date(start.getTime() + d * DAY + i * 60_000).toISOString(),
      properties: { feature: i === 0 ? 'reports' : 'dashboards' },
    })),
  );

describe('onboarding play: the synthesized state machine on the local runtime', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start, speed: 5 * 86_400, paused: true });
    // acme reaches first value in week one (3 users, 2 features); slow has one user on one feature.
    for (const id of ['acme', 'slow']) expect((await rt.request('POST', '/v1/accounts', account(id))).status).toBe(201);
    await rt.idle();
    const events = [...firstWeek('acme', ['u1', 'u2', 'u3']), ...firstWeek('slow', ['u1'])];
    expect((await rt.request('POST', '/v1/events', { events })).status).toBe(202);
    // The clock moves in 6-hour steps while paused between them: the same scene gives the same
    // times on every run, however busy the machine (a running clock would let slow work drift
    // sends past the send window).
    for (let t = start.getTime(); t <= start.getTime() + 62 * DAY; t += 6 * 3_600_000) {
      rt.clock.advanceTo(t);
      await rt.idle();
    }
    await rt.sfn.settled();
  }, 60_000);
  afterAll(() => rt?.stop());

  const sent = (id: string) => rt.ses.outbox().filter((e) => e.destination.to.includes(`ana@${id}.example`));
  const templates = async (id: string) =>
    (await rt.items(id, 'SEND#'))
      .filter((s) => s.status === 'sent')
      .sort((a, b) => String(a.sentAt).localeCompare(String(b.sentAt)))
      .map((s) => String(s.template));

  it('account.created starts one run per account through the bus, and every run completes', () => {
    const runs = [...rt.sfn.executions.values()];
    expect(runs.map((e) => e.name).sort()).toEqual([expect.stringMatching(/^onboarding-acme-20260105-/), expect.stringMatching(/^onboarding-slow-20260105-/)]);
    expect(runs.map((e) => ({ status: e.status, error: e.error, cause: e.cause }))).toEqual([
      { status: 'SUCCEEDED', error: undefined, cause: undefined },
      { status: 'SUCCEEDED', error: undefined, cause: undefined },
    ]);
  });

  it('an account that activates early gets no nudges: welcome, day 30 and the review only', async () => {
    expect(await templates('acme')).toEqual(['welcome', 'checkin-inactive', 'onboarding-review']);
    const view = await rt.request('GET', '/v1/accounts/acme');
    const run = view.body?.plays.find((r: { play: string }) => r.play === 'onboarding');
    expect(run.status).toBe('completed');
    expect(run.steps['day-7']).toMatchObject({ outcome: 'skipped', detail: 'condition not met: first value not reached' });
    expect(run.steps['day-14']).toMatchObject({ outcome: 'skipped' });
    expect(run.steps['day-30']).toMatchObject({
      outcome: 'done',
      actions: [
        { kind: 'email', template: 'checkin-inactive', outcome: 'sent' },
        { kind: 'task', outcome: 'created' },
      ],
    });
    // Time to first value: reached when day 7's step looked (the first step after the activity).
    expect(Math.floor((Date.parse(view.body?.account.milestones.firstValue) - start.getTime()) / DAY)).toBe(7);
    expect(view.body?.tasks.map((t: { title: string }) => t.title)).toEqual(['Day 30 and not active: call to find what blocks them']);
    expect(view.body?.account.stage).toBe('onboarding');
  });

  it('an account that has not reached first value gets every check-in, chosen by its activity that day', async () => {
    expect(await templates('slow')).toEqual(['welcome', 'checkin-active', 'checkin-inactive', 'checkin-inactive', 'onboarding-review']);
    const sends = (await rt.items('slow', 'SEND#')).sort((a, b) => String(a.sentAt).localeCompare(String(b.sentAt)));
    expect(sends.map((s) => s.step)).toEqual(['welcome', 'day-7', 'day-14', 'day-30', 'review']);
    expect(sends.map((s) => Math.floor((Date.parse(String(s.sentAt)) - start.getTime()) / DAY))).toEqual([1, 7, 14, 30, 60]);
    // Every planned time falls on a weekday morning: inside the default send window, nothing deferred.
    for (const s of sends) expect(inWindow(Date.parse(String(s.sentAt)), 'UTC', config.email.sendWindow), String(s.sentAt)).toBe(true);
    expect(new Set(sends.map((s) => s.messageId))).toEqual(new Set(sent('slow').map((e) => e.messageId)));
  });

  it('a second account.created for the same account starts nothing', async () => {
    const before = rt.sfn.executions.size;
    expect((await rt.request('POST', '/v1/accounts', account('acme', { name: 'Acme Corporation' }))).status).toBe(200);
    await rt.idle();
    expect(rt.sfn.executions.size).toBe(before);
  });
});
