import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LocalDynamo } from '../../local/dynamodb.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin', 'tend-cli.js');
/** A line of a stack trace: never printed for a situation a user can be in. */
const STACK_LINE = /\n\s+at \S/;

/** `tend <args>` in a child process, as a user runs it. */
function tend(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 90_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** A data folder whose cdk.out is the test run's assembly (tend dev reuses it: same sources, same hash). */
function dataFolder(dirs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tend-cli-'));
  dirs.push(dir);
  symlinkSync(inject('assemblyDir'), join(dir, 'cdk.out'));
  return dir;
}

describe('every CLI command with tend dev running (through the running instance)', () => {
  const dirs: string[] = [];
  let dir: string;
  let dev: ChildProcess;
  let session: { url: string; key: string };
  let ports: { '--port': string; '--ses-port': string };
  const api = async (method: string, path: string, body?: unknown, key = session.key) => {
    const res = await fetch(`${session.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const ok = async (args: string[]) => {
    const out = await tend([...args, '--data', dir]);
    expect(out.stderr).not.toMatch(STACK_LINE);
    expect(out, out.stderr).toMatchObject({ code: 0 });
    return out;
  };

  beforeAll(async () => {
    dir = dataFolder(dirs);
    // A Monday at midnight, at real speed: the CLI's times below are this day's.
    dev = spawn(process.execPath, [CLI, 'dev', '--data', dir, '--port', '0', '--ses-port', '0', '--from', '2026-03-02'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl-C to stop')) resolve();
      };
      dev.stdout!.on('data', onData);
      dev.stderr!.on('data', onData);
      dev.once('exit', (code) => reject(new Error(`tend dev exited (${code}): ${output}`)));
    });
    session = JSON.parse(readFileSync(join(dir, 'dev.json'), 'utf8')) as typeof session;
    ports = { '--port': new URL(session.url).port, '--ses-port': output.match(/viewer: http:\/\/127\.0\.0\.1:(\d+)/)![1]! };
    const created = await api('POST', '/v1/accounts', {
      id: 'acme',
      name: 'Acme Corp',
      seats: 20,
      arr: 12000,
      startDate: '2026-03-02T00:00:00Z',
      primaryContact: { email: 'ana@acme.example', name: 'Ana Ortiz' },
    });
    expect(created.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    if (dev?.exitCode === null) {
      const exited = new Promise((r) => dev.once('exit', r));
      dev.kill('SIGTERM');
      await exited;
    }
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('tend preview renders from the running instance, at its clock, with links to its port', async () => {
    const out = await ok(['preview', 'welcome', '--account', 'acme', '--json']);
    const preview = JSON.parse(out.stdout) as { at: string; to: string; text: string; source: string };
    expect(preview.at.slice(0, 10)).toBe('2026-03-02');
    expect(preview.to).toBe('ana@acme.example');
    expect(preview.text).toContain(`${session.url}/v1/unsubscribe?token=`);
    expect(preview.source).toContain(session.url);
  });

  it('tend clock pauses, steps a day (the daily scoring fires) and resumes', async () => {
    expect(JSON.parse((await ok(['clock', 'pause', '--json'])).stdout)).toMatchObject({ paused: true });
    const before = JSON.parse((await ok(['clock', '--json'])).stdout) as { time: string };
    const stepped = JSON.parse((await ok(['clock', 'step', '1d', '--json'])).stdout) as { time: string; stepped: { fired: Record<string, number> } };
    expect(Date.parse(stepped.time) - Date.parse(before.time)).toBe(86_400_000);
    expect(Object.entries(stepped.stepped.fired).find(([name]) => name.startsWith('ScoringDaily'))?.[1]).toBe(1);
    expect(JSON.parse((await ok(['clock', 'resume', '--json'])).stdout)).toMatchObject({ paused: false });
    const text = await ok(['clock']);
    expect(text.stdout).toMatch(/^Clock 2026-03-03T\S+ at 1x \(/);
  });

  it('tend score backtest reads the scores the running instance stored', async () => {
    const report = JSON.parse((await ok(['score', 'backtest', '--model', 'seed-002', '--json'])).stdout) as { accounts: number; days: number };
    expect(report.accounts).toBe(1);
    expect(report.days).toBeGreaterThanOrEqual(1);
  });

  it('tend model fit counts the accounts of the running instance (too few outcomes: no model, said in one line)', async () => {
    const result = JSON.parse((await ok(['model', 'fit', '--dry-run', '--json'])).stdout) as { ok: boolean; accounts: number };
    expect(result).toMatchObject({ ok: false, accounts: 1 });
  });

  it('tend keys create and list work on the running instance, and the new key opens its API', async () => {
    const created = JSON.parse((await ok(['keys', 'create', '--scope', 'read', '--name', 'cli-test', '--json'])).stdout) as { key: string; id: string };
    const listed = JSON.parse((await ok(['keys', 'list', '--json'])).stdout) as { id: string; name: string }[];
    expect(listed.map((k) => k.name)).toEqual(expect.arrayContaining(['tend dev', 'cli-test']));
    expect((await api('GET', '/v1/accounts/acme', undefined, created.key)).status).toBe(200);
  });

  it('tend import goes through the running API', async () => {
    const csv = join(dir, 'accounts.csv');
    writeFileSync(csv, 'Account ID,Company,Email\nimp-1,Imported Co,ops@imported.example\n');
    const result = JSON.parse((await ok(['import', 'accounts', csv, '--json'])).stdout) as { counts: Record<string, number> };
    expect(result.counts).toEqual({ created: 1 });
    expect((await api('GET', '/v1/accounts/imp-1')).status).toBe(200);
  });

  it.each([
    [['email', 'status', '--json']],
    [['metrics', 'renewals', '--json']],
    [['metrics', 'outcomes', '--period', '2026-Q1', '--rebuild', '--json']],
    [['metrics', 'rebuild', '--json']],
  ])('tend %j works on the running instance', async (args) => {
    const out = await ok(args);
    expect(() => JSON.parse(out.stdout.slice(out.stdout.indexOf('{')))).not.toThrow();
  });

  it('a second tend dev on the same data says in one line that one runs', async () => {
    const out = await tend(['dev', '--data', dir, '--port', '0', '--ses-port', '0']);
    expect(out.code).toBe(1);
    expect(out.stderr.trim().split('\n').at(-1)).toMatch(/^tend: tend dev already runs on .* \(pid \d+, http:\/\/127\.0\.0\.1:\d+\)/);
    expect(out.stderr).not.toMatch(STACK_LINE);
  });

  it.each(['--port', '--ses-port'] as const)('a tend dev on another folder but the same %s says in one line which port to change', async (flag) => {
    const other = dataFolder(dirs);
    const out = await tend(['dev', '--data', other, '--port', '0', '--ses-port', '0', flag, ports[flag]]);
    expect(out.code).toBe(1);
    expect(out.stderr).not.toMatch(STACK_LINE);
    expect(out.stderr.trim().split('\n').at(-1)).toBe(
      `tend: port ${ports[flag]} is in use (another tend dev or tend demo?): stop it, or pass ${flag} <another port> (0: any free port)`,
    );
  });
});

describe('CLI commands without a running tend dev: one line saying what to do, never a stack trace', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const oneLine = (out: { code: number; stderr: string }, pattern: RegExp) => {
    expect(out.code).toBe(1);
    expect(out.stderr).not.toMatch(STACK_LINE);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(pattern);
  };

  it.each([[['preview', 'welcome', '--account', 'acme']], [['score', 'backtest']], [['model', 'fit']], [['metrics', 'renewals']]])(
    'tend %j on a folder with no data says how to get some',
    async (args) => {
      const dir = mkdtempSync(join(tmpdir(), 'tend-cli-empty-'));
      dirs.push(dir);
      oneLine(await tend([...args, '--data', dir]), /^tend: no local data in .*: run `tend demo`/);
    },
  );

  it.each([[['clock', 'step', '1d']], [['clock', 'pause']], [['slack']]])('tend %j needs the running instance and says so', async (args) => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-cli-empty-'));
    dirs.push(dir);
    oneLine(await tend([...args, '--data', dir]), /tend dev/);
  });

  it('tend clock set with tend dev stopped saves where its clock starts next; show reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-cli-empty-'));
    dirs.push(dir);
    const set = await tend(['clock', 'set', '2026-05-04', '--data', dir]);
    expect(set).toMatchObject({ code: 0, stdout: `Saved: the next tend dev on ${dir} starts its clock at 2026-05-04T00:00:00.000Z.\n` });
    expect(JSON.parse((await tend(['clock', '--json', '--data', dir])).stdout)).toEqual({ time: '2026-05-04T00:00:00.000Z', running: false });
    oneLine(await tend(['clock', 'set', 'soon', '--data', dir]), /^tend: <time>: a day \(2026-03-01\) or an ISO time/);
  });

  it('a data folder another process holds open (no tend dev session to go through) is named, in one line', async () => {
    const dir = dataFolder(dirs);
    mkdirSync(join(dir, 'state', 'dynamodb'), { recursive: true });
    const holder = new LocalDynamo();
    await holder.start({ path: join(dir, 'state', 'dynamodb') });
    try {
      for (const args of [
        ['keys', 'list'],
        ['model', 'fit'],
      ])
        oneLine(await tend([...args, '--data', dir]), /is open in another process/);
    } finally {
      await holder.stop();
    }
  });
});
