import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testRuntime } from '../support/runtime.ts';

const DAY = 86_400_000;
const start = new Date('2026-03-02T09:00:00Z');
const dataDir = mkdtempSync(join(tmpdir(), 'tend-restart-'));

describe('a run waiting for days survives a restart of the local runtime', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('resumes at its Wait after the restart, on the saved clock, and sends nothing twice', async () => {
    const first = await testRuntime({ dataDir, start, speed: 5 * 86_400, paused: true });
    const created = await first.request('POST', '/v1/accounts', {
      id: 'durable',
      name: 'Durable Ltd',
      seats: 5,
      startDate: start.toISOString(),
      primaryContact: { email: 'dee@durable.example', name: 'Dee' },
    });
    expect(created.status).toBe(201);
    await first.idle();
    // Step to day 9 a day at a time (a running clock could overshoot day 14 on a loaded machine):
    // the welcome (day 1) and the day-7 check-in are out; day 14 is days away.
    for (let d = 1; d <= 9; d++) {
      first.clock.advanceTo(start.getTime() + d * DAY);
      await first.idle();
    }
    const before = first.ses.outbox().map((e) => e.subject);
    const [running] = [...first.sfn.executions.values()];
    expect(running?.status).toBe('RUNNING');
    expect(running?.waitingUntil?.toISOString()).toBe(new Date(start.getTime() + 14 * DAY).toISOString());
    await first.stop();

    // A new process: no start date given, so the clock goes on from where it stopped.
    const second = await testRuntime({ dataDir, speed: 5 * 86_400 });
    try {
      expect(second.clock.nowMs()).toBeGreaterThanOrEqual(start.getTime() + 9 * DAY);
      const resumed = second.sfn.executions.get(running!.arn);
      expect(resumed?.status).toBe('RUNNING');
      await second.sfn.settled();
      expect({ status: resumed?.status, error: resumed?.error }).toEqual({ status: 'SUCCEEDED', error: undefined });
      const after = second.ses.outbox().map((e) => e.subject);
      expect(before).toHaveLength(2);
      expect(after).toHaveLength(3);
      const sends = await second.items('durable', 'SEND#');
      expect(sends.map((s) => s.step).sort()).toEqual(['day-14', 'day-30', 'day-7', 'review', 'welcome']);
      const run = (await second.request('GET', '/v1/accounts/durable')).body?.plays[0];
      expect(run).toMatchObject({ play: 'onboarding', status: 'completed' });
      expect(Object.values(run.steps as Record<string, { outcome: string }>).map((s) => s.outcome)).toEqual(['done', 'done', 'done', 'done', 'done']);
    } finally {
      await second.stop();
    }
  }, 120_000);
});
