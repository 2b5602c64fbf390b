import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OutcomeCut } from '../../functions/core/metrics/outcome-cuts.ts';
import { outcomesQuerySchema, type OutcomeFigures } from '../../functions/core/metrics/outcomes.ts';
import { loadOutcomeFigures, rebuildOutcomeCounters } from '../../functions/data/outcome-figures.ts';
import { devSession, openTable } from '../local-state.ts';
import type { MetricsOptions } from './command.ts';
import { outcomesCsv, outcomesText } from './outcomes-format.ts';

/**
 * `tend metrics outcomes --period 2026-Q1 [--cut owner]`: play, email and onboarding outcomes (and each group's), from an API
 * (--url/--key, TEND_URL/TEND_API_KEY, or the running `tend dev`), else the table read directly
 * (local data on disk, or --table), as `tend metrics renewals` does.
 */
export async function outcomesCommand(options: MetricsOptions & { period: string; cut?: string; rebuild?: boolean }) {
  const checked = outcomesQuerySchema.safeParse({ period: options.period, ...(options.cut ? { cut: options.cut } : {}) });
  if (!checked.success) throw new Error(checked.error.issues.map((i) => `--${String(i.path[0] ?? 'period')}: ${i.message}`).join('; '));
  const figures = await load(options, checked.data.period, checked.data.cut);
  console.log(options.json ? JSON.stringify(figures, null, 2) : options.csv ? outcomesCsv(figures) : outcomesText(figures));
}

async function load(options: MetricsOptions & { rebuild?: boolean }, period: string, cut?: OutcomeCut): Promise<OutcomeFigures> {
  const dev = options.table ? undefined : devSession(options.data);
  if (options.rebuild && options.url) throw new Error('--rebuild reads the table directly: leave out --url (the running tend dev, or --table)');
  // A rebuild reads the table itself: the running tend dev's through its DynamoDB endpoint (openTable).
  const url = options.table || options.rebuild ? undefined : (options.url ?? process.env.TEND_URL ?? dev?.url);
  if (url) {
    const key = options.key ?? process.env.TEND_API_KEY ?? (url === dev?.url ? dev?.key : undefined);
    if (!key) throw new Error(`no API key for ${url}: pass --key (a read key from \`tend keys create --scope read\`) or set TEND_API_KEY`);
    const res = await fetch(`${url}/v1/metrics/outcomes?${new URLSearchParams({ period, ...(cut ? { cut } : {}) })}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const body = (await res.json()) as OutcomeFigures & { message?: string };
    if (!res.ok) throw new Error(`${res.status}: ${body.message ?? JSON.stringify(body)}`);
    return body;
  }
  const t = await openTable({ ...options, mustExist: true });
  try {
    const db = DynamoDBDocumentClient.from(t.client);
    if (options.rebuild) {
      const out = await rebuildOutcomeCounters(db, t.table);
      console.error(`rebuilt ${out.items} outcome counters from ${out.scanned} run, send and task items (${out.deleted} stale removed)`);
    }
    return await loadOutcomeFigures(db, t.table, period, cut);
  } finally {
    await t.close();
  }
}
