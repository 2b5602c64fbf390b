import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resolve } from 'node:path';
import { CloudAssembly } from '../local/assembly.ts';
import { LocalDynamo } from '../local/dynamodb.ts';
import { synthesize } from '../local/synth.ts';
import { tablesActive } from '../local/tables-active.ts';
import { recordingTimeline, surveyEntry, ticketEntry, timelineOfEvent, type TimelineEntry } from '../functions/core/timeline.ts';
import { feedbackRepo } from '../functions/data/feedback.ts';
import { revenueRepo } from '../functions/data/revenue.ts';
import { sendLedger } from '../functions/data/sends.ts';
import { engagementRepo } from '../functions/data/email.ts';
import { runRepo } from '../functions/data/runs.ts';
import { scoreRepo } from '../functions/data/scores.ts';
import { timelineRepo } from '../functions/data/timeline.ts';
import { modelResolver } from '../functions/core/score/presets/index.ts';
import type { RevenuePoint } from '../functions/core/revenue-history.ts';
import type { StoredScore } from '../functions/core/types.ts';

const N = 50;
const AT = '2026-03-03T07:00:00.000Z';

/**
 * What the account timeline costs in DynamoDB (local metered table, dynalite's units: base table
 * only, no index): for each source write, its requests and write units with the timeline entry,
 * and the entry's own share; then a page of the timeline read back. Mean of 50 accounts.
 */
export async function timelineBench() {
  const assemblyDir = resolve('.tend/cdk.out');
  await synthesize(assemblyDir);
  const dynamo = new LocalDynamo();
  await dynamo.start({});
  try {
    await dynamo.createTables(new CloudAssembly(assemblyDir));
    await tablesActive(
      dynamo.client,
      dynamo.tables.map((t) => t.name),
    );
    const table = dynamo.tables[0]!.name;
    const db = DynamoDBDocumentClient.from(dynamo.client);
    const timeline = timelineRepo(db, table);
    const published = recordingTimeline({ publish: async () => {} }, timeline);
    const id = (i: number) => `tl-${i}`;

    console.log(`\nAccount timeline: DynamoDB per source write, mean of ${N} accounts (local metered table: base-table units)`);
    console.log(`  ${'source write'.padEnd(66)} ${'requests'.padStart(8)} ${'WRU'.padStart(6)} ${'entry WRU'.padStart(9)}  operations`);
    const measure = async (label: string, write: (i: number) => Promise<unknown>, entryOf: (i: number) => TimelineEntry[]) => {
      const ops = { ...dynamo.operations };
      const before = dynamo.totals();
      for (let i = 0; i < N; i++) await write(i);
      const after = dynamo.totals();
      // The entries alone, written under other accounts: their share of the write.
      const mid = dynamo.totals();
      for (let i = 0; i < N; i++) await timeline.record(entryOf(i).map((e) => ({ ...e, accountId: `${e.accountId}-alone` })));
      const alone = dynamo.totals();
      const per = (n: number) => (n / N).toFixed(2);
      const used = Object.entries(dynamo.operations)
        .map(([op, n]) => [op, n - (ops[op] ?? 0)] as const)
        .filter(([, n]) => n > 0);
      // The entries-alone pass added BatchWriteItems of its own: leave them out of the write's breakdown.
      const breakdown = used
        .map(([op, n]) => [op, op === 'BatchWriteItem' ? n - (alone.requests - mid.requests) : n] as const)
        .filter(([, n]) => n > 0)
        .map(([op, n]) => `${op} ${per(n)}`)
        .join(', ');
      console.log(
        `  ${label.padEnd(66)} ${per(after.requests - before.requests).padStart(8)} ${per(after.writeUnits - before.writeUnits).padStart(6)} ${per(alone.writeUnits - mid.writeUnits).padStart(9)}  ${breakdown}`,
      );
    };

    const feedback = feedbackRepo(db, table);
    const survey = (i: number) => ({ id: `s${i}`, accountId: id(i), kind: 'nps' as const, score: 4, answeredAt: AT, comment: 'Exports are too slow lately' });
    await measure(
      'survey answer (same BatchWriteItem as the answer)',
      (i) => feedback.putSurveys([survey(i)]),
      (i) => [surveyEntry(survey(i))],
    );
    const ticket = (i: number) => ({
      id: `k${i}`,
      accountId: id(i),
      status: 'open' as const,
      priority: 'high' as const,
      openedAt: AT,
      subject: 'Exports time out',
    });
    await measure(
      'ticket (same BatchWriteItem)',
      (i) => feedback.putTickets([ticket(i)]),
      (i) => [ticketEntry(ticket(i))],
    );
    const revenue = revenueRepo(db, table);
    const point = (i: number): RevenuePoint =>
      ({
        accountId: id(i),
        at: AT,
        day: AT.slice(0, 10),
        rev: 2,
        arr: 24_000,
        kind: 'expansion',
        source: 'api',
        arrBefore: 20_000,
        arrAfter: 24_000,
        everPaid: true,
        recordedAt: AT,
      }) as RevenuePoint;
    await measure(
      'ARR history point (same BatchWriteItem)',
      (i) => revenue.record([point(i)]),
      (i) => [{ accountId: id(i), kind: 'arr.changed', at: AT, ref: 'x', summary: 'ARR expansion: 20000 → 24000', detail: { movement: 'expansion' } }],
    );
    const ledger = sendLedger(db, table);
    for (let i = 0; i < N; i++)
      await ledger.claim({
        accountId: id(i),
        sendKey: `exec-${i}#outreach#pat@tl-${i}.example`,
        contact: `pat@tl-${i}.example`,
        template: 'save-outreach',
        play: 'save',
        step: 'outreach',
        status: 'claimed',
        claimedAt: AT,
      } as never);
    await measure(
      'email sent (markSent; + a put of the entry)',
      (i) => ledger.markSent(id(i), `exec-${i}#outreach#pat@tl-${i}.example`, `m-${i}`, new Date(AT)),
      (i) => [{ accountId: id(i), kind: 'email.sent', at: AT, ref: `m-${i}`, summary: `Email sent: save-outreach (pat@tl-${i}.example)` }],
    );
    const engagement = engagementRepo(db, table);
    await measure(
      'email opened (engagement; + a put of the entry)',
      (i) => engagement.record(id(i), AT.slice(0, 10), 'opened', `m-${i}`, new Date(AT)),
      (i) => [{ accountId: id(i), kind: 'email.opened', at: AT, ref: `m-${i}`, summary: 'Email opened' }],
    );
    const runs = runRepo(db, table);
    for (let i = 0; i < N; i++)
      await runs.begin({
        accountId: id(i),
        play: 'save',
        cycle: AT.slice(0, 10),
        executionName: `e${i}`,
        schedule: [],
        startedAt: AT,
        trigger: {},
        next: null,
      } as never);
    await measure(
      'play step done (stepDone; + a put of the entry)',
      (i) => runs.stepDone({ accountId: id(i), play: 'save', cycle: AT.slice(0, 10) }, 'review', { outcome: 'done', at: AT, actions: [] }, null),
      (i) => [{ accountId: id(i), kind: 'play.step', at: AT, ref: `save#x#review`, summary: 'Play save, step review: done' }],
    );
    const scores = scoreRepo(db, table, modelResolver('seed-002'));
    const score = (i: number, day: string, value: number, recent: { day: string; score: number }[]): StoredScore =>
      ({
        accountId: id(i),
        score: value,
        tier: value < 50 ? 'red' : 'yellow',
        band: value < 50 ? 'red' : 'yellow',
        color: '#000',
        coverage: 1,
        modelId: 'seed-002',
        modelVersion: '1',
        computedAt: `${day}T06:00:00.000Z`,
        segment: 'tech-touch',
        churnRisk: null,
        trend: { change7d: null, change30d: null, fallingFast: false },
        recent,
        flags: {},
        signals: {},
        components: [],
        driversDown: [],
        driversUp: [],
      }) as StoredScore;
    for (let i = 0; i < N; i++) await scores.put(score(i, '2026-03-02', 60, [{ day: '2026-03-02', score: 60 }]), { previousComputedAt: undefined });
    await measure(
      'daily score that moved 12 points (PutItem; + a put of the entry)',
      (i) =>
        scores.put(
          score(i, '2026-03-03', 48, [
            { day: '2026-03-02', score: 60 },
            { day: '2026-03-03', score: 48 },
          ]),
          { previousComputedAt: '2026-03-02T06:00:00.000Z' },
        ),
      (i) => [{ accountId: id(i), kind: 'score.changed', at: AT, ref: '2026-03-03', summary: 'Score 60 → 48 (-12)', detail: { score: 48 } }],
    );
    const tierAndFlag = (i: number) => [
      { type: 'tier.changed' as const, accountId: id(i), at: AT, detail: { from: 'yellow', to: 'red', band: 'red', score: 48 } },
      { type: 'flag.started' as const, accountId: id(i), at: AT, detail: { flag: 'usage-drop', kind: 'risk' } },
    ];
    await measure(
      'published tier move + flag (one BatchWriteItem before PutEvents)',
      (i) => published.publish(tierAndFlag(i)),
      (i) => tierAndFlag(i).flatMap(timelineOfEvent),
    );

    const before = dynamo.totals();
    let items = 0;
    for (let i = 0; i < N; i++) items += (await timeline.page(id(i), { limit: 25 })).items.length;
    const after = dynamo.totals();
    console.log(
      `  read: a page of the timeline (GET /v1/accounts/{id}/timeline, ${(items / N).toFixed(1)} entries): ${((after.requests - before.requests) / N).toFixed(2)} Query, ${((after.readUnits - before.readUnits) / N).toFixed(2)} RRU`,
    );
  } finally {
    await dynamo.stop();
  }
}
