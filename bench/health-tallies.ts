import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resolve } from 'node:path';
import { CloudAssembly } from '../local/assembly.ts';
import { LocalDynamo } from '../local/dynamodb.ts';
import { synthesize } from '../local/synth.ts';
import { tablesActive } from '../local/tables-active.ts';
import type { Counters } from '../functions/core/metrics/contribution.ts';
import { tallyAccount, type ScoredAccount } from '../functions/core/metrics/health-days.ts';
import { healthDays } from '../functions/data/health-days.ts';
import { PRICE } from './scoring-batch.ts';

const SHARDS = 16;
const SEGMENTS = ['high-touch', 'medium-touch', 'tech-touch'];
const PLANS = ['Starter', 'Pro', 'Enterprise'];
const BANDS = ['green', 'yellow', 'red', null] as const;

/** A book's accounts as the daily run tallies them: every band, ARR in the tens of thousands, people, and groups by cut. */
function book(accounts: number, owners: number): (ScoredAccount & { shard: number })[] {
  return Array.from({ length: accounts }, (_, i) => ({
    shard: i % SHARDS,
    band: BANDS[i % 4]!,
    score: i % 4 === 3 ? null : 20 + ((i * 37) % 80),
    arr: 5_000 + ((i * 7_919) % 95_000),
    activation: { known: 3 + (i % 20), active: i % 17 },
    groups: { segment: SEGMENTS[i % 3]!, plan: PLANS[(i >> 2) % 3]!, owner: i % 5 === 0 ? 'none' : `csm-${String(i % owners).padStart(2, '0')}` },
  }));
}

/**
 * The health tallies' daily write cost, measured on the local metered table (dynalite's units):
 * the 16 shard items a daily run sets, for the whole book only and with each segment, plan and
 * owner group's counters beside it (health-days.ts), for a few book sizes and owner counts.
 */
export async function healthTalliesBench() {
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
    const repo = healthDays(DynamoDBDocumentClient.from(dynamo.client), dynamo.tables[0]!.name);
    console.log(`\nHealth tallies: the daily run's ${SHARDS} shard items (local metered table), whole book only vs with segment, plan and owner groups`);
    console.log(`  ${'book'.padEnd(36)} ${'whole only'.padStart(22)} ${'with the cuts'.padStart(22)}`);
    let day = 1;
    for (const [accounts, owners] of [
      [10_000, 10],
      [100_000, 10],
      [100_000, 50],
    ] as const) {
      const measure = async (grouped: boolean) => {
        const tallies = new Map<number, Counters>();
        for (const { shard, groups, ...a } of book(accounts, owners))
          tallies.set(shard, tallyAccount(tallies.get(shard) ?? {}, grouped ? { ...a, groups } : a));
        const before = dynamo.totals().writeUnits;
        const date = `2026-03-${String(day++).padStart(2, '0')}`;
        for (const [shard, tally] of tallies) await repo.put(date, shard, tally);
        return dynamo.totals().writeUnits - before;
      };
      const [whole, cut] = [await measure(false), await measure(true)];
      const cell = (wru: number) => `${wru} WRU/day, ${(wru / accounts).toFixed(5)}/acct`;
      console.log(`  ${`${accounts.toLocaleString('en-US')} accounts, ${owners} owners`.padEnd(36)} ${cell(whole).padStart(22)} ${cell(cut).padStart(22)}`);
      if (accounts === 100_000 && owners === 50)
        console.log(
          `  (${cut} WRU a day is $${(cut * 30 * PRICE.wru).toFixed(4)} a month on demand; the daily run's own scoring writes are ~1 WRU per account)`,
        );
    }
  } finally {
    await dynamo.stop();
  }
}
