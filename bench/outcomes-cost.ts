import { resolve } from 'node:path';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalRuntime } from '../local/runtime.ts';
import { synthesize } from '../local/synth.ts';
import { keys } from '../functions/data/keys.ts';
import { runRepo } from '../functions/data/runs.ts';
import { sendLedger } from '../functions/data/sends.ts';
import { sendOutcomes } from '../functions/data/outcome-sends.ts';
import { countSendOutcome, countTaskDone } from '../functions/data/outcome-counters.ts';
import { loadOutcomeFigures, rebuildOutcomeCounters } from '../functions/data/outcome-figures.ts';
import { comboKey, type OutcomeGroups } from '../functions/core/metrics/outcome-cuts.ts';

/**
 * What the outcome counters cost in DynamoDB (local metered table, dynalite's units: base table
 * only, a write refused by its condition at 1 WRU). Per transition: the write that makes it and
 * the counter's ADD, against the same write replayed (no ADD). Per period: the reads of a month,
 * a quarter and a year of counters, which do not grow with the number of accounts. With a cut
 * (segment, plan, owner), each counted transition also adds to its combination of groups' item, and
 * a cut's read also Queries the month's combination items, whose number grows with the book's
 * combinations of groups: measured on a simulated book of 10,000 and 100,000 accounts.
 */
const N = 100;
const PLAYS = ['onboarding', 'renewal', 'save', 'adoption', 'expansion', 'advocacy', 'reengagement', '(none)'];
const TEMPLATES = 40;

export async function outcomesCostBench() {
  const assemblyDir = resolve('.tend/cdk.out');
  await synthesize(assemblyDir);
  const rt = await startLocalRuntime({ assemblyDir, start: new Date('2026-02-02T09:00:00Z'), paused: true, schedules: false });
  try {
    const db = DynamoDBDocumentClient.from(rt.dynamo.client);
    const table = rt.tableName;
    const ledger = sendLedger(db, table);
    const runs = runRepo(db, table);
    const outcomes = sendOutcomes(db, table);
    const at = new Date('2026-02-02T09:00:00Z');
    console.log(`\nOutcome counters: DynamoDB per transition, mean of ${N} (local metered table; counters are 1 small item each)`);
    console.log(`  ${'operation'.padEnd(70)} ${'requests'.padStart(8)} ${'read units'.padStart(10)} ${'write units'.padStart(11)}`);
    const measure = async (label: string, op: (i: number) => Promise<unknown>, n = N) => {
      const before = rt.dynamo.totals();
      for (let i = 0; i < n; i++) await op(i);
      const after = rt.dynamo.totals();
      const per = (x: number) => (x / n).toFixed(2);
      console.log(
        `  ${label.padEnd(70)} ${per(after.requests - before.requests).padStart(8)} ${per(after.readUnits - before.readUnits).padStart(10)} ${per(after.writeUnits - before.writeUnits).padStart(11)}`,
      );
    };
    const send = (i: number) => ({
      accountId: `acc-${i}`,
      sendKey: `onboarding-acc-${i}-run#welcome#pat@acc${i}.example`,
      sendId: `send-${i}`,
      contact: `pat@acc${i}.example`,
      template: `template-${i % TEMPLATES}`,
      play: 'onboarding',
      step: 'welcome',
      status: 'claimed' as const,
      claimedAt: at.toISOString(),
      attempt: 1,
      attemptedAt: at.toISOString(),
      groups: groupsOf(i),
    });
    const ref = (i: number) => ({ accountId: `acc-${i}`, play: PLAYS[i % 7]!, cycle: '2026-02-02' });
    const groupsOf = (i: number): OutcomeGroups => ({ segment: 'tech-touch', plan: `plan-${i % 4}`, owner: `csm-${i % 20}` });

    await measure('the counter ADDs alone (the whole book’s item and the combination’s)', (i) =>
      countSendOutcome(db, table, { accountId: `acc-${i}`, template: `template-${i % TEMPLATES}`, sentAt: at.toISOString(), groups: groupsOf(i) }, 'sent'),
    );
    await measure('the same, an older item without groups (+ its account’s read)', (i) =>
      countSendOutcome(db, table, { accountId: `acc-${i}`, template: `template-${i % TEMPLATES}`, sentAt: at.toISOString() }, 'sent'),
    );
    for (let i = 0; i < N; i++) await ledger.claim(send(i));
    await measure('markSent: claimed -> sent (the update, and the sent count)', (i) => ledger.markSent(`acc-${i}`, send(i).sendKey, `msg-${i}`, at));
    await measure('markSent again (a second confirmation: nothing counted)', (i) => ledger.markSent(`acc-${i}`, send(i).sendKey, `msg-${i}`, at));
    await measure('SES Open: find the send (gsi1), record openedAt, count', (i) => outcomes.record(`msg-${i}`, 'opened', at));
    await measure('the same Open replayed (found, refused: nothing counted)', (i) => outcomes.record(`msg-${i}`, 'opened', at));
    await measure('run begin (first: the started count)', (i) =>
      runs.begin({
        ...ref(i),
        executionName: `exec-${i}`,
        schedule: {},
        startedAt: at.toISOString(),
        trigger: { on: 'account.created', at: at.toISOString() },
        groups: groupsOf(i),
      }),
    );
    await measure('run begin again (a redrive: nothing counted)', (i) =>
      runs.begin({
        ...ref(i),
        executionName: `exec-${i}`,
        schedule: {},
        startedAt: at.toISOString(),
        trigger: { on: 'account.created', at: at.toISOString() },
      }),
    );
    await measure('run finish: running -> exited with its reason (and the counts)', (i) => runs.finish(ref(i), 'exited', at, 'recovered'));
    await measure('run finish again (refused: nothing counted)', (i) => runs.finish(ref(i), 'completed', at));
    await measure('task done hook (countTaskDone, after the task’s own write)', (i) =>
      countTaskDone(db, table, { accountId: `acc-${i}`, groups: groupsOf(i), play: PLAYS[i % 8], dueAt: '2026-02-03T09:00:00Z', doneAt: at.toISOString() }),
    );

    // A year of counters: every play and TEMPLATES templates in every month.
    const months = Array.from({ length: 12 }, (_, m) => `2026-${String(m + 1).padStart(2, '0')}`);
    const items = months.flatMap((m) => [
      ...PLAYS.map((p) => ({
        ...keys.outcomePlay(m, p),
        started: 900,
        completed: 700,
        exited: 150,
        'exit:recovered': 90,
        'exit:churned': 60,
        tasksDone: 400,
        tasksOnTime: 350,
      })),
      ...Array.from({ length: TEMPLATES }, (_, t) => ({
        ...keys.outcomeTemplate(m, `template-${t}`),
        sent: 20_000,
        opened: 9_000,
        clicked: 2_000,
        replied: 300,
        bounced: 100,
      })),
    ]);
    for (let i = 0; i < items.length; i += 25)
      await db.send(new BatchWriteCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    console.log(`\nOutcome figures: reads per request (${PLAYS.length} plays and ${TEMPLATES} templates a month; the same at 1,000 or 100,000 accounts)`);
    for (const period of ['2026-03', '2026-Q1', '2026-01-01..2027-01-01']) {
      const before = rt.dynamo.totals();
      const t = performance.now();
      await loadOutcomeFigures(db, table, period);
      const ms = performance.now() - t;
      const after = rt.dynamo.totals();
      console.log(
        `  ${period.padEnd(24)} ${String(after.requests - before.requests).padStart(3)} requests, ${(after.readUnits - before.readUnits).toFixed(1).padStart(5)} read units, ${ms.toFixed(0)} ms locally`,
      );
    }
    const before = rt.dynamo.totals();
    const rebuilt = await rebuildOutcomeCounters(db, table);
    const after = rt.dynamo.totals();
    console.log(
      `  rebuild (a full Scan: ${rebuilt.scanned} run, send and task items here): ${after.requests - before.requests} requests, ${(after.readUnits - before.readUnits).toFixed(1)} read units, ${(after.writeUnits - before.writeUnits).toFixed(0)} write units`,
    );
    for (const accounts of [10_000, 100_000]) await cutReads(db, table, () => rt.dynamo.totals(), accounts);
  } finally {
    await rt.stop();
  }
}

/** mulberry32: a seeded generator, so the simulated book is the same on every run. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A quarter of combination items for a simulated book, then the reads of the quarter with a cut.
 * The book: one CSM per 250 accounts (at least 10), each in one segment; 2 plans per segment; each
 * month 30% of the accounts start a run of one of the plays, and the tech- and medium-touch ones get
 * 2 emails of the TEMPLATES templates (high-touch accounts get tasks). Only combinations that counted
 * something have an item, as in the table.
 */
async function cutReads(
  db: DynamoDBDocumentClient,
  table: string,
  totals: () => { requests: number; readUnits: number; writeUnits: number },
  accounts: number,
) {
  const random = seeded(accounts);
  const owners = Math.max(10, Math.round(accounts / 250));
  const segments = ['high-touch', 'medium-touch', 'tech-touch'];
  const groupOf = (a: number): OutcomeGroups => {
    const owner = a % owners;
    const segment = segments[owner % 3]!;
    return { segment, plan: `${segment}-plan-${a % 2}`, owner: `csm-${owner}` };
  };
  const year = accounts === 10_000 ? 2031 : 2032;
  const months = [1, 2, 3].map((m) => `${year}-0${m}`);
  let items = 0;
  for (const month of months) {
    const found = new Map<string, { pk: string; sk: string }>();
    for (let a = 0; a < accounts; a++) {
      const g = groupOf(a);
      const combo = comboKey(g);
      if (random() < 0.3) {
        const key = keys.outcomeCutPlay(month, PLAYS[Math.floor(random() * 7)]!, combo);
        found.set(key.sk, key);
      }
      if (g.segment !== 'high-touch')
        for (let e = 0; e < 2; e++) {
          const key = keys.outcomeCutTemplate(month, `template-${Math.floor(random() * TEMPLATES)}`, combo);
          found.set(key.sk, key);
        }
    }
    // The whole book's items of the month too (every play and template), as in the table.
    for (const play of PLAYS) found.set(`whole ${play}`, keys.outcomePlay(month, play));
    for (let t = 0; t < TEMPLATES; t++) found.set(`whole ${t}`, keys.outcomeTemplate(month, `template-${t}`));
    const list = [...found.values()].map((k) =>
      k.sk.startsWith('PLAY#')
        ? { ...k, started: 40, completed: 30, exited: 6, 'exit:recovered': 4, 'exit:churned': 2, tasksDone: 12, tasksOnTime: 10 }
        : { ...k, sent: 60, opened: 27, clicked: 6, replied: 1, bounced: 1 },
    );
    items += list.length - PLAYS.length - TEMPLATES;
    for (let i = 0; i < list.length; i += 25) {
      let batch: Record<string, unknown[]> | undefined = { [table]: list.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
      while (batch && Object.keys(batch).length) batch = (await db.send(new BatchWriteCommand({ RequestItems: batch as never }))).UnprocessedItems as never;
    }
  }
  const book = `${accounts.toLocaleString('en-US')} accounts (${owners} CSMs, ${Math.round(items / 3).toLocaleString('en-US')} combination items a month)`;
  console.log(`\nOutcome figures with a cut, ${year}-Q1 of a simulated book of ${book}:`);
  for (const cut of [undefined, 'segment', 'plan', 'owner'] as const) {
    const before = totals();
    const t = performance.now();
    const f = await loadOutcomeFigures(db, table, `${year}-Q1`, cut);
    const ms = performance.now() - t;
    const after = totals();
    console.log(
      `  ${(cut ? `cut=${cut} (${Object.keys(f.groups ?? {}).length} groups)` : 'no cut (the whole book)').padEnd(30)} ${String(after.requests - before.requests).padStart(3)} requests, ${(after.readUnits - before.readUnits).toFixed(1).padStart(7)} read units, ${ms.toFixed(0)} ms locally`,
    );
  }
}
