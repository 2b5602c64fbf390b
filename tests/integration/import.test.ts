import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importCommand, type RowReport } from '../../cli/import/command.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const dir = mkdtempSync(join(tmpdir(), 'tend-import-'));
const csv = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('tend import through the HTTP API', () => {
  let rt: TestRuntime;
  let key: string;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-03-02T08:00:00Z') });
    key = await rt.createKey(['ingest'], 'import');
  });
  afterAll(() => rt?.stop());

  const run = async (kind: 'accounts' | 'contacts', file: string, extra: Partial<Parameters<typeof importCommand>[2]> = {}) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await importCommand(kind, file, { map: [], json: true, url: rt.url, key, data: dir, concurrency: 4, ...extra });
      return JSON.parse(String(log.mock.calls.at(-1)?.[0])) as { counts: Record<string, number>; report: RowReport[]; ignoredColumns: string[] };
    } finally {
      log.mockRestore();
      process.exitCode = 0;
    }
  };

  const accounts = csv(
    'accounts.csv',
    'Account ID,Company,ARR,Seats,Renewal Date,Owner,CSM,Email,Region\n' +
      'imp-1,One Ltd,"$12,000",10,2027-01-31,alex,Dana,ana@one.example,EU\n' +
      'imp-2,Two Ltd,60000,40,2026-12-01,sam@acme.example,,bo@two.example,US\n' +
      'imp-3,,100,ten,2026-12-01,alex,Dana,not-an-email,US\n',
  );

  it('validates without sending on --dry-run, naming the line and the field', async () => {
    const out = await run('accounts', accounts, { dryRun: true });
    expect(out.counts).toEqual({ valid: 2, invalid: 1 });
    const bad = out.report.find((r) => r.status === 'invalid')!;
    expect(bad.line).toBe(4);
    expect(bad.error).toContain('name:');
    expect(bad.error).toContain('seats:');
    expect(bad.error).toContain('primaryContact.email:');
    expect(out.ignoredColumns).toEqual(['Region']);
    expect(await rt.items('imp-1')).toEqual([]);
  });

  it('imports with aliases, and a second run changes nothing', async () => {
    const first = await run('accounts', accounts);
    expect(first.counts).toEqual({ created: 2, invalid: 1 });
    const view = await rt.request('GET', '/v1/accounts/imp-1');
    expect(view.body?.account).toMatchObject({
      arr: 12_000,
      seats: 10,
      // The Owner column names a CSM of tend.config.ts (id or email); a CSM column stays the account's contact name.
      owner: 'alex',
      csm: { name: 'Dana' },
      renewalDate: '2027-01-31T00:00:00.000Z',
      primaryContact: { email: 'ana@one.example' },
    });
    expect((await rt.request('GET', '/v1/accounts/imp-2')).body?.account).toMatchObject({ owner: 'sam', csm: { name: 'Sam Lee', email: 'sam@acme.example' } });
    // A new account starts its onboarding run (through the bus): let that settle before comparing.
    await rt.idle();
    const before = await rt.items('imp-1');
    const second = await run('accounts', accounts);
    await rt.idle();
    expect(second.counts).toEqual({ unchanged: 2, invalid: 1 });
    expect(await rt.items('imp-1')).toEqual(before);
  });

  it('imports contacts with --map, reports unknown accounts per line, and re-runs without changes', async () => {
    const file = csv(
      'contacts.csv',
      'Customer,E-mail,Full name,Job role,TZ\nimp-1,cy@one.example,Cy,champion,Europe/Paris\nghost,x@ghost.example,X,admin,UTC\n',
    );
    const first = await run('contacts', file, { map: ['E-mail=email', 'Job role=role'] });
    expect(first.counts).toEqual({ stored: 1, rejected: 1 });
    expect(first.report.find((r) => r.status === 'rejected')).toMatchObject({ line: 3, error: expect.stringContaining('ghost') });
    const before = await rt.items('imp-1', 'S#PERSON#');
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ role: 'champion', timezone: 'Europe/Paris', name: 'Cy' });
    await run('contacts', file, { map: ['E-mail=email', 'Job role=role'] });
    expect(await rt.items('imp-1', 'S#PERSON#')).toEqual(before);
  });
});
