import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { devKey } from '../../cli/dev-key.ts';
import { DEMO_START, DemoRefused, prepareDataDir, runDemo, type DemoResult } from '../../cli/demo/start.ts';
import { startLocalRuntime } from '../../local/runtime.ts';

const DAY = 86_400_000;
const BUILT_IN_PLAYS = ['onboarding', 'renewal', 'save', 'adoption', 'expansion', 'advocacy', 'reengagement'];
const DAYS = 5;

/**
 * `tend demo` as README's first command runs it, on a small book (12 accounts, 5 days): every
 * built-in play runs, renewals are won and lost, NPS is answered; the data stays in its folder,
 * where the local runtime (as `tend dev` opens it) answers the printed key afterwards.
 */
describe('the demo: a small book of customers, its data kept for tend dev', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tend-demo-'));
  let demo: DemoResult;
  beforeAll(async () => {
    demo = await runDemo({ accounts: 12, days: DAYS, seed: 42, dataDir, assemblyDir: inject('assemblyDir') });
  }, 180_000);
  afterAll(async () => {
    await demo?.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every built-in play, wins and loses renewals, collects NPS answers and raises the flags of its profiles', () => {
    const { summary } = demo;
    for (const play of BUILT_IN_PLAYS) expect(summary.plays[play]?.started, play).toBeGreaterThan(0);
    expect(summary.playsNotRun).toEqual([]);
    expect(summary.renewals.won).toBeGreaterThan(0);
    expect(summary.renewals.lost).toBeGreaterThan(0);
    expect(Object.values(summary.renewals.reasons).reduce((n, x) => n + x, 0)).toBe(summary.renewals.lost);
    expect(summary.sentiment.npsResponses).toBeGreaterThan(0);
    for (const flag of [
      'no-login-7d',
      'usage-drop',
      'low-adoption',
      'payment-trouble',
      'ticket-spike',
      'nps-detractor',
      'promoter',
      'champion-left',
      'premium-interest',
    ])
      expect(summary.flagsRaised[flag], flag).toBeGreaterThan(0);
    expect(summary.lookAround).toMatchObject({ apiUrl: demo.apiUrl, key: demo.key, outboxUrl: `${demo.apiUrl}/local/outbox` });
  });

  it('answers GET /v1/accounts/{id} with the printed key while it serves, and refuses its folder to a second demo', async () => {
    const res = await fetch(`${demo.apiUrl}/v1/accounts/${demo.summary.lookAround!.exampleAccount}`, { headers: { authorization: `Bearer ${demo.key}` } });
    expect(res.status).toBe(200);
    expect(() => prepareDataDir(dataDir, true)).toThrow(DemoRefused); // it runs on the folder (as tend dev would)
  });

  it('keeps its data: the runtime reopened on the folder (as tend dev opens it) answers the same key, with the clock where the demo left it', async () => {
    const id = demo.summary.lookAround!.exampleAccount;
    const before = (await (await fetch(`${demo.apiUrl}/v1/accounts/${id}`, { headers: { authorization: `Bearer ${demo.key}` } })).json()) as Record<
      string,
      any
    >;
    await demo.stop();
    expect(() => prepareDataDir(dataDir, false)).toThrow(/already holds Tend data.*--fresh/);

    const rt = await startLocalRuntime({ assemblyDir: inject('assemblyDir'), dataDir: join(dataDir, 'state'), paused: true, schedules: false });
    try {
      expect(await devKey(rt, dataDir)).toBe(demo.key);
      expect(rt.clock.now().getTime()).toBeGreaterThanOrEqual(DEMO_START.getTime() + DAYS * DAY);
      const res = await fetch(`${rt.url}/v1/accounts/${id}`, { headers: { authorization: `Bearer ${demo.key}` } });
      expect(res.status).toBe(200);
      const after = (await res.json()) as Record<string, any>;
      expect(after.account).toEqual(before.account);
      expect(after.health.score).toBe(before.health.score);
      expect(after.plays.length).toBe(before.plays.length);
    } finally {
      await rt.stop();
    }
    prepareDataDir(dataDir, true);
    expect(existsSync(join(dataDir, 'state'))).toBe(false);
    expect(existsSync(join(dataDir, 'dev-key.json'))).toBe(false);
  });
});
