import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordReply } from '../../functions/core/email/replies.ts';
import { countSends } from '../../functions/core/metrics/email-outcomes.ts';
import { outcomeFigures } from '../../functions/core/metrics/outcomes.ts';
import { periodOf } from '../../functions/core/metrics/period.ts';
import { countPlays } from '../../functions/core/metrics/plays.ts';
import { engagementRepo } from '../../functions/data/email.ts';
import { writeIf } from '../../functions/data/items.ts';
import { keys } from '../../functions/data/keys.ts';
import { countTaskDone } from '../../functions/data/outcome-counters.ts';
import { loadOutcomeFigures, readOutcomeSources, rebuildOutcomeCounters } from '../../functions/data/outcome-figures.ts';
import { sendOutcomes } from '../../functions/data/outcome-sends.ts';
import { sendLedger } from '../../functions/data/sends.ts';
import { runRepo } from '../../functions/data/runs.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';
import { advanceTo, sesEvent, until, welcomeOf } from '../support/play-scene.ts';
import { outcomesCommand } from '../../cli/metrics/outcomes.ts';

const DAY = 86_400_000;
// Monday 5 January 2026, 09:00 UTC.
const T0 = Date.parse('2026-01-05T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const ACCOUNTS = ['oc-a1', 'oc-a2', 'oc-a3', 'oc-a4', 'oc-a5'];

/**
 * Plays and their email on the local runtime (bundled handlers, synthesized machines, local SES
 * and EventBridge) for two months of a paused clock, with SES events replayed and steps retried:
 * the counters kept as things happen equal the brute-force count of the items, and a rebuild
 * from the items gives the same counters.
 */
describe('outcome counters on the local runtime', () => {
  let rt: TestRuntime;
  let bus: string;
  const advance = (toMs: number) => advanceTo(rt, toMs);
  const bruteForce = async (period: string) => {
    const sources = await readOutcomeSources(rt.db, rt.tableName);
    const p = periodOf(period);
    return outcomeFigures(p, [], { plays: [countPlays(sources.runs, sources.tasks, p)], email: [countSends(sources.sends, p)] });
  };
  const api = async (period: string) => {
    const res = await rt.request('GET', `/v1/metrics/outcomes?period=${period}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body!;
  };

  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(T0), speed: 86_400, paused: true });
    bus = rt.events.rules[0]!.bus;
  }, 60_000);
  afterAll(() => rt?.stop());

  it('counts each real transition once, through replays and retries, and equals the brute force and a rebuild', { timeout: 240_000 }, async () => {
    for (const id of ACCOUNTS) {
      const res = await rt.request('POST', '/v1/accounts', {
        id,
        name: `${id} Inc`,
        seats: 10,
        arr: 6000,
        startDate: iso(T0),
        primaryContact: { email: `pat@${id}.example`, name: 'Pat Lee' },
      });
      expect(res.status).toBe(201);
    }
    await rt.idle();
    await advance(T0 + 2 * DAY);
    const welcome = Object.fromEntries(await Promise.all(ACCOUNTS.map(async (id) => [id, await welcomeOf(rt, id)] as const)));
    for (const id of ACCOUNTS) expect(welcome[id], id).toMatchObject({ status: 'sent' });

    // SES's events, each sent twice (EventBridge delivers at least once).
    const bounce = { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'pat@oc-a3.example' }] };
    const events = [
      sesEvent('Email Opened', 'Open', welcome['oc-a1']!, { open: {} }),
      sesEvent('Email Opened', 'Open', welcome['oc-a1']!, { open: {} }),
      sesEvent('Email Clicked', 'Click', welcome['oc-a1']!, { click: {} }),
      sesEvent('Email Opened', 'Open', welcome['oc-a2']!, { open: {} }),
      sesEvent('Email Bounced', 'Bounce', welcome['oc-a3']!, { bounce }),
      sesEvent('Email Complaint Received', 'Complaint', welcome['oc-a4']!, { complaint: { complainedRecipients: [{ emailAddress: 'pat@oc-a4.example' }] } }),
    ];
    rt.events.put(events);
    rt.events.put(events);
    await rt.idle();
    expect(await until(async () => (await welcomeOf(rt, 'oc-a4')).complainedAt !== undefined && (await welcomeOf(rt, 'oc-a3')).bouncedAt !== undefined)).toBe(
      true,
    );
    expect(await until(async () => (await welcomeOf(rt, 'oc-a2')).openedAt !== undefined && (await welcomeOf(rt, 'oc-a1')).clickedAt !== undefined)).toBe(true);

    // A reply, delivered twice.
    const replyDeps = { ledger: sendLedger(rt.db, rt.tableName), engagement: engagementRepo(rt.db, rt.tableName), outcomes: sendOutcomes(rt.db, rt.tableName) };
    const headers = [{ name: 'In-Reply-To', value: `<${String(welcome['oc-a5']!.messageId)}@email.amazonses.com>` }];
    expect(await recordReply(replyDeps, headers)).toBeDefined();
    expect(await recordReply(replyDeps, headers)).toBeDefined();

    // An unsubscribe through the welcome's one-click link, posted twice (a mail provider retrying).
    const header = rt.ses
      .outbox()
      .find((e) => e.destination.to.includes('pat@oc-a1.example'))!
      .headers!.find((h) => h.name === 'List-Unsubscribe')!.value;
    const link = header.match(/^<(https?:[^>]+)>/)![1]!;
    for (let i = 0; i < 2; i++) {
      const res = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(res.status).toBe(200);
    }

    // Retries: the step and the run's begin again (a redrive), a confirmation of a send already sent.
    const steps = rt.lambdas.byLogicalId('PlaysSteps');
    const exec = [...rt.sfn.executions.values()].find((e) => e.name.startsWith('onboarding-oc-a1-'))!;
    const input = JSON.parse(exec.input) as Record<string, unknown>;
    await rt.lambdas.invoke(steps.arn, { action: 'begin', ...input, executionName: exec.name });
    await rt.lambdas.invoke(steps.arn, { action: 'step', ...input, executionName: exec.name, step: 'welcome' });
    await sendLedger(rt.db, rt.tableName).markSent('oc-a1', String(welcome['oc-a1']!.sendKey), String(welcome['oc-a1']!.messageId), new Date(T0 + 40 * DAY));

    // A churn ends a2's onboarding early; a save run for a5, cancelled by its CSM.
    await rt.request('POST', '/v1/accounts', { id: 'oc-a2', name: 'oc-a2 Inc', status: 'churned', primaryContact: { email: 'pat@oc-a2.example' } });
    rt.events.put([
      {
        EventBusName: bus,
        Source: 'tend',
        DetailType: 'tier.changed',
        Detail: JSON.stringify({ accountId: 'oc-a5', at: iso(rt.clock.nowMs()), band: 'red', fromBand: 'yellow' }),
      },
    ]);
    await rt.idle();
    await advance(rt.clock.nowMs() + 2 * 3_600_000);
    expect((await rt.request('POST', '/v1/accounts/oc-a5/plays/save/cancel')).status).toBe(200);

    // A task done twice, as the task completion path calls the hook: only the write that moved it counts.
    const [task] = await rt.items('oc-a5', 'TASK#');
    expect(task).toBeDefined();
    for (let i = 0; i < 2; i++) {
      const doneAt = iso(rt.clock.nowMs());
      const moved = await writeIf(
        rt.db,
        new UpdateCommand({
          TableName: rt.tableName,
          Key: { pk: task!.pk, sk: task!.sk },
          UpdateExpression: 'SET #s = :done, doneAt = :t',
          ConditionExpression: '#s = :open',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':done': 'done', ':open': 'open', ':t': doneAt },
        }),
      );
      if (moved)
        await countTaskDone(rt.db, rt.tableName, { accountId: 'oc-a5', play: String(task!.play), dueAt: String(task!.dueAt), doneAt, groups: task!.groups });
    }

    // Through the 60-day review: the other onboarding runs complete, in March.
    await advance(T0 + 62 * DAY);

    const counted = await loadOutcomeFigures(rt.db, rt.tableName, '2026-Q1');
    const brute = await bruteForce('2026-Q1');
    expect({ ...counted, months: [] }).toEqual(brute);
    expect(await api('2026-Q1')).toEqual(JSON.parse(JSON.stringify(counted)));

    // `tend metrics outcomes` asks the same route.
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    try {
      await outcomesCommand({ url: rt.url, key: rt.adminKey, data: '.tend-none', period: '2026-Q1', json: true });
    } finally {
      log.mockRestore();
    }
    expect(JSON.parse(printed.join('\n'))).toEqual(JSON.parse(JSON.stringify(counted)));

    // The figures, worked out by hand from the scene above.
    const play = (id: string) => counted.plays.find((p) => p.play === id);
    expect(play('onboarding')).toMatchObject({ started: 5, completed: 4, exited: 1, exits: { churned: 1 }, live: 0 });
    expect(play('save')).toMatchObject({ started: 1, cancelled: 1, tasksDone: 1, tasksOnTime: 1, save: { saved: 0, lost: 0, rate: null } });
    expect(counted.onboarding).toMatchObject({ started: 5, completed: 4, endedEarly: 1, pending: 0, rate: 0.8 });
    const email = (t: string) => counted.email.find((e) => e.template === t);
    expect(email('welcome')).toMatchObject({ sent: 5, opened: 2, clicked: 1, replied: 1, bounced: 1, complained: 1, unsubscribed: 1 });
    expect(email('welcome')!.rates.opened).toBe(2 / 5);
    // The review went to a5 alone: a1 unsubscribed from onboarding email, a2 churned, a3 and a4 are suppressed.
    expect(email('onboarding-review')).toMatchObject({ sent: 1 });

    // A rebuild from the items gives the same counters; it also repairs drifted ones.
    await rt.db.send(new DeleteCommand({ TableName: rt.tableName, Key: keys.outcomeTemplate('2026-01', 'welcome') }));
    await rt.db.send(new PutCommand({ TableName: rt.tableName, Item: { ...keys.outcomePlay('2026-02', 'ghost'), started: 3 } }));
    expect((await loadOutcomeFigures(rt.db, rt.tableName, '2026-Q1')).plays.map((p) => p.play)).toContain('ghost');
    const rebuilt = await rebuildOutcomeCounters(rt.db, rt.tableName);
    expect(rebuilt.deleted).toBe(1);
    expect(await loadOutcomeFigures(rt.db, rt.tableName, '2026-Q1')).toEqual(counted);
  });

  it('a failed run retried counts by how it ends next; a run that failed before it began counts once it begins', async () => {
    const runs = runRepo(rt.db, rt.tableName);
    const begin = (accountId: string, startedAt: string) =>
      runs.begin({
        accountId,
        play: 'adoption',
        cycle: '2026-05-04',
        executionName: `adoption-${accountId}`,
        schedule: {},
        startedAt,
        trigger: { on: 'flag.started', at: startedAt },
      });
    const ref = (accountId: string) => ({ accountId, play: 'adoption', cycle: '2026-05-04' });
    await begin('rr-1', '2026-05-04T10:00:00Z');
    await runs.finish(ref('rr-1'), 'failed', new Date('2026-05-05T10:00:00Z'), 'States.TaskFailed');
    expect(await runs.reopen(ref('rr-1'), 'adoption-rr-1-r2', 2)).toBe(true);
    expect(await runs.reopen(ref('rr-1'), 'adoption-rr-1-r2', 2)).toBe(false);
    await runs.finish(ref('rr-1'), 'exited', new Date('2026-06-10T10:00:00Z'), 'adopted');
    // Failed before its begin (the execution's first task failed), then begun by a redrive.
    await runs.finish(ref('rr-2'), 'failed', new Date('2026-05-06T10:00:00Z'), 'boom');
    await begin('rr-2', '2026-05-06T11:00:00Z');
    await begin('rr-2', '2026-05-06T12:00:00Z');
    const may = await loadOutcomeFigures(rt.db, rt.tableName, '2026-05');
    expect(may.plays.find((p) => p.play === 'adoption')).toMatchObject({ started: 2, failed: 1, exited: 1, exits: { adopted: 1 }, live: 0 });
    expect({ ...may, months: [] }).toEqual(await bruteForce('2026-05'));
  });

  it('refuses a period that is not whole months, naming the field', async () => {
    const res = await rt.request('GET', '/v1/metrics/outcomes?period=2026-01-15..2026-02-15');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ details: [expect.objectContaining({ field: 'period' })] });
    expect((await rt.request('GET', '/v1/metrics/outcomes')).status).toBe(400);
  });
});
