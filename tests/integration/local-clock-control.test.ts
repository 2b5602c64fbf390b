import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

// Monday 2 March 2026, midnight UTC; the clock stays paused between steps, so every time below is exact.
const START = new Date('2026-03-02T00:00:00Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(START.getTime() + ms).toISOString();

interface Outbox {
  time: string;
  paused: boolean;
  emails: { at: string; accountId?: string; play?: string; step?: string; destination: { to: string[] }; subject: string }[];
}

describe('the local clock: set, pause, resume and step, with the schedules and waits due on the way', () => {
  let rt: TestRuntime;
  const clock = async (body?: unknown) => {
    const res = await fetch(
      `${rt.url}/local/clock`,
      body === undefined ? {} : { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) },
    );
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const outbox = async (query = '') => {
    const res = await fetch(`${rt.url}/local/outbox${query}`);
    return { status: res.status, body: (await res.json()) as Outbox & { details?: { field: string }[] } };
  };
  const firedOf = (fired: Record<string, number>, prefix: string) => Object.entries(fired).find(([name]) => name.startsWith(prefix))?.[1] ?? 0;

  beforeAll(async () => {
    rt = await testRuntime({ start: START, paused: true, schedules: true });
    for (const [id, email] of [
      ['acme', 'ana@acme.example'],
      ['globex', 'bo@globex.example'],
    ])
      expect(
        (
          await rt.request('POST', '/v1/accounts', {
            id,
            name: `${id} Inc`,
            seats: 10,
            arr: 6000,
            startDate: START.toISOString(),
            primaryContact: { email, name: 'Ana' },
          })
        ).status,
      ).toBe(201);
    await rt.idle();
  });
  afterAll(() => rt?.stop());

  it('steps two days at once: the daily and hourly schedules fire for each due moment, and a welcome goes out at its own time', async () => {
    const { status, body } = await clock({ step: '2d' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ time: at(2 * DAY), paused: true, stepped: { from: at(0), to: at(2 * DAY) } });
    expect(firedOf(body.stepped.fired, 'ScoringDaily')).toBe(2);
    expect(firedOf(body.stepped.fired, 'ScoringRescore')).toBe(48);
    // Onboarding's welcome is due a day after the start, at midnight: it waits for the send window (9:00 UTC) and goes then, not at the step's end.
    const acme = (await outbox('?account=acme')).body.emails;
    expect(acme.map((e) => [e.step, e.at])).toEqual([['welcome', '2026-03-03T09:00:00.000Z']]);
    // Scored on the way, by the last daily run (06:00 UTC on the second day).
    expect((await rt.request('GET', '/v1/accounts/acme')).body?.health).toMatchObject({ computedAt: '2026-03-03T06:00:00.000Z' });
  });

  it("shows the outbox in virtual time, with each email's account, filtered by address (any case) and by account", async () => {
    const all = await outbox();
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ time: at(2 * DAY), paused: true });
    expect(all.body.emails.map((e) => e.accountId).sort()).toEqual(['acme', 'globex']);
    const toAna = await outbox('?to=ANA@Acme.example');
    expect(toAna.body.emails.map((e) => e.destination.to)).toEqual([['ana@acme.example']]);
    expect((await outbox('?account=globex')).body.emails.map((e) => e.accountId)).toEqual(['globex']);
    expect((await outbox('?account=globex&to=ana@acme.example')).body.emails).toEqual([]);
  });

  it.each([
    ['?priority=urgent', 'priority'],
    ['?to=', 'to'],
    ['?account=acme&accountId=acme', 'accountId'],
  ])('refuses the outbox filter %s with a 400 naming %s', async (query, field) => {
    const { status, body } = await outbox(query);
    expect(status).toBe(400);
    expect(body.details?.map((d) => d.field)).toEqual([field]);
  });

  it('pauses and resumes; a paused clock shows the same time everywhere', async () => {
    expect((await clock({ resume: true })).body).toMatchObject({ paused: false });
    const paused = await clock({ pause: true });
    expect(paused.body.paused).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    const health = (await (await fetch(`${rt.url}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', time: paused.body.time, paused: true });
    expect((await clock()).body.time).toBe(paused.body.time);
  });

  it('sets the clock forward as a step (what is due runs), and refuses to move it back, naming set', async () => {
    const now = Date.parse((await clock()).body.time);
    const target = new Date(Math.ceil(now / DAY) * DAY + DAY).toISOString().slice(0, 10);
    const forward = await clock({ set: target });
    expect(forward.status).toBe(200);
    expect(forward.body.time).toBe(`${target}T00:00:00.000Z`);
    expect(firedOf(forward.body.stepped.fired, 'ScoringDaily')).toBeGreaterThanOrEqual(1);
    const back = await clock({ set: '2026-03-01' });
    expect(back.status).toBe(400);
    expect(back.body.details.map((d: { field: string }) => d.field)).toEqual(['set']);
    expect(back.body.message).toContain('--from');
    expect((await clock()).body.time).toBe(forward.body.time);
  });

  it.each([
    ['{"jump":"1d"}', 'jump'],
    ['{"step":"1y"}', 'step'],
    ['{"step":"367d"}', 'step'],
    ['{"step":"1d","pause":true}', 'body'],
    ['not json', 'body'],
  ])('refuses the body %s with a 400 naming %s, and the clock does not move', async (raw, field) => {
    const before = (await clock()).body.time;
    const { status, body } = await clock(raw);
    expect(status).toBe(400);
    expect(body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect((await clock()).body.time).toBe(before);
  });
});
