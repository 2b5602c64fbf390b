import { existsSync, readFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { parse } from 'csv-parse/sync';
import { formatPath } from '../../functions/core/config.ts';
import { accountUpsertSchema, contactUpsertSchema, MAX_FEEDBACK_PER_BATCH } from '../../functions/core/schemas.ts';
import { devSession } from '../local-state.ts';
import { columnFields, parseMappings, rowToInput, type ImportKind } from './mapping.ts';

export interface ImportOptions {
  map: string[];
  dryRun?: boolean;
  json?: boolean;
  url?: string;
  key?: string;
  data: string;
  concurrency: number;
}

export interface RowReport {
  line: number;
  id?: string;
  status: 'valid' | 'created' | 'updated' | 'unchanged' | 'stored' | 'invalid' | 'rejected';
  error?: string;
}

/** The API to import through: --url/--key, TEND_URL/TEND_API_KEY, or the running `tend dev`. */
function target(options: ImportOptions): { url: string; key: string } {
  const dev = devSession(options.data);
  const url = options.url ?? process.env.TEND_URL ?? dev?.url;
  const key = options.key ?? process.env.TEND_API_KEY ?? (url === dev?.url ? dev?.key : undefined);
  if (!url) throw new Error('no Tend API to import into: start `tend dev`, or pass --url and --key (or set TEND_URL and TEND_API_KEY)');
  if (!key) throw new Error(`no API key for ${url}: pass --key (an ingest key from \`tend keys create --scope ingest\`) or set TEND_API_KEY`);
  return { url: url.replace(/\/$/, ''), key };
}

async function call(api: { url: string; key: string }, path: string, body: unknown): Promise<{ status: number; body: Record<string, any> }> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.key}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    // Rate limited or a passing server error: wait and send again (every write is an upsert).
    if ((res.status === 429 || res.status >= 500) && attempt < 5) {
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 0) * 1000 || 250 * 2 ** attempt));
      continue;
    }
    if (res.status === 401 || res.status === 403) throw new Error(`${api.url} refused the key (${res.status}): ${text}`);
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
  }
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/**
 * `tend import accounts|contacts FILE`: every row is validated here with the API's own schemas
 * (errors name the line and the field), then sent through the HTTP API: accounts one upsert each,
 * contacts in batches of 100. Every write is an upsert that skips what is unchanged, so a re-run
 * changes nothing.
 */
export async function importCommand(kind: ImportKind, file: string, options: ImportOptions) {
  if (!existsSync(file)) throw new Error(`no file ${file}`);
  const records = parse(readFileSync(file), { columns: true, bom: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: true }) as {
    record: Record<string, string>;
    info: { lines: number };
  }[];
  const header = records.length ? Object.keys(records[0]!.record) : [];
  const { fields, ignored } = columnFields(kind, header, parseMappings(kind, options.map));
  const schema = kind === 'accounts' ? accountUpsertSchema : contactUpsertSchema;

  const reports: RowReport[] = [];
  const valid: { line: number; input: any; report: RowReport }[] = [];
  for (const { record, info } of records) {
    const input = rowToInput(record, fields);
    const id = String(kind === 'accounts' ? (input.id ?? '') : (input.email ?? '')) || undefined;
    const parsed = schema.safeParse(input);
    const report: RowReport = { line: info.lines, id, status: 'valid' };
    if (!parsed.success) {
      report.status = 'invalid';
      report.error = parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
    } else valid.push({ line: info.lines, input: parsed.data, report });
    reports.push(report);
  }

  if (!options.dryRun && valid.length) {
    const api = target(options);
    const bar =
      process.stderr.isTTY && !options.json
        ? new SingleBar({ format: `importing ${kind} [{bar}] {value}/{total} rows`, stream: process.stderr, hideCursor: true })
        : undefined;
    bar?.start(valid.length, 0);
    if (kind === 'accounts') {
      await inParallel(valid, options.concurrency, async (row) => {
        // Marked as an import on the revenue history; a row's effectiveDate dates a past change.
        const res = await call(api, '/v1/accounts', { ...row.input, source: 'import' });
        if (res.status === 201) row.report.status = 'created';
        else if (res.status === 200) row.report.status = res.body.unchanged ? 'unchanged' : 'updated';
        else Object.assign(row.report, { status: 'rejected', error: res.body.message ?? `HTTP ${res.status}` });
        bar?.increment();
      });
    } else {
      const batches: (typeof valid)[] = [];
      for (let i = 0; i < valid.length; i += MAX_FEEDBACK_PER_BATCH) batches.push(valid.slice(i, i + MAX_FEEDBACK_PER_BATCH));
      await inParallel(batches, options.concurrency, async (batch) => {
        const res = await call(api, '/v1/contacts', { contacts: batch.map((r) => r.input) });
        const rejected = new Map<number, string>((res.body.rejected ?? []).map((r: { index: number; error: string }) => [r.index, r.error]));
        batch.forEach((row, i) => {
          if (res.status !== 202) Object.assign(row.report, { status: 'rejected', error: res.body.message ?? `HTTP ${res.status}` });
          else if (rejected.has(i)) Object.assign(row.report, { status: 'rejected', error: rejected.get(i) });
          else row.report.status = 'stored';
        });
        bar?.increment(batch.length);
      });
    }
    bar?.stop();
  }

  const counts = reports.reduce<Record<string, number>>((c, r) => ({ ...c, [r.status]: (c[r.status] ?? 0) + 1 }), {});
  const failed = (counts.invalid ?? 0) + (counts.rejected ?? 0);
  if (failed) process.exitCode = 1;
  if (options.json)
    return console.log(JSON.stringify({ kind, file, dryRun: !!options.dryRun, rows: reports.length, counts, ignoredColumns: ignored, report: reports }));
  const mapped = [...fields].map(([c, f]) => (c === f ? c : `${c}→${f}`)).join(', ');
  console.log(`${file}: ${reports.length} rows of ${kind}; columns ${mapped}${ignored.length ? `; ignored ${ignored.join(', ')}` : ''}`);
  for (const r of reports.filter((r) => r.error)) console.log(`  line ${r.line}${r.id ? ` (${r.id})` : ''}: ${r.status}: ${r.error}`);
  console.log(
    `${options.dryRun ? 'dry run, nothing sent: ' : ''}${Object.entries(counts)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ')}`,
  );
}
