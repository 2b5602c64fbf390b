import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, inject } from 'vitest';
import { startLocalRuntime } from '../../local/runtime.ts';

const DAY = 86_400_000;

/** A copy of the test assembly with its app template edited: how the runtime meets definitions Tend does not ship. */
function variant(edit: (template: string) => string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'tend-variant-')), 'cdk.out');
  cpSync(inject('assemblyDir'), dir, { recursive: true });
  const file = join(dir, 'Tend.template.json');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

describe('the local runtime on edited definitions', () => {
  it('times a run out at its TimeoutSeconds while it waits, on the local clock', async () => {
    // Onboarding (120 days) limited to 10 days: the wait for day 14 passes the deadline.
    const dir = variant((t) => t.replace('TimeoutSeconds\\":10368000', 'TimeoutSeconds\\":864000'));
    // Monday 10:00 UTC: every step falls inside the default send window (the clock jumps whole days).
    const start = Date.parse('2026-02-02T10:00:00Z');
    const rt = await startLocalRuntime({ assemblyDir: dir, start: new Date(start), paused: true, schedules: false });
    try {
      const key = await rt.createKey(['ingest']);
      const res = await fetch(`${rt.url}/v1/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ id: 'slow', name: 'Slow', startDate: new Date(start).toISOString(), primaryContact: { email: 'a@slow.example' } }),
      });
      expect(res.status).toBe(201);
      // The run starts from account.created on the bus: let it start before time moves.
      await rt.idle();
      for (let d = 1; d <= 15; d++) {
        rt.clock.advanceTo(start + d * DAY);
        await rt.idle();
      }
      const [run] = [...rt.sfn.executions.values()];
      expect(run).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      expect(run!.stopDate!.getTime()).toBe(start + 10 * DAY);
      // Welcome and day 7 went out before the deadline; nothing after it.
      expect(rt.ses.outbox()).toHaveLength(2);
    } finally {
      await rt.stop();
    }
  });

  it('refuses to load a state machine with a Task it cannot run, naming the state', async () => {
    // The first Task of the template becomes an SQS integration the runtime has no stand-in for.
    const dir = variant((t) => t.replace(':states:::lambda:invoke', ':states:::sqs:sendMessage'));
    await expect(startLocalRuntime({ assemblyDir: dir, paused: true, schedules: false })).rejects.toThrow(
      /has Tasks the local runtime cannot run: [A-Za-z -]+ \(arn:aws:states:::sqs:sendMessage\)/,
    );
  });
});
