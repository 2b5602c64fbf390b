import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ensureWebApp, WEB_DIST } from '../../web/build.ts';
import { launchChromium } from './support/chromium.ts';
import { demoRuntime, type DemoRuntime } from './support/demo-runtime.ts';
import { axeViolations, clickBar, openTab, signedInContext, type OpenedPage } from './support/app-session.ts';
import { signIn } from '../support/sign-in.ts';
import { parseConfig } from '../../functions/core/config.ts';
import userConfig from '../../tend.config.ts';

const SHOTS = join(import.meta.dirname, '../../docs/screenshots');
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const DAY = 86_400_000;

/**
 * The web app in headless Chromium (Debian's package, installed when missing) against one local
 * runtime with the demo's data (`tend demo`'s runDemo on a small book), shared by every test of the file: each page loads without
 * console errors and without serious or critical axe-core violations, shows the API's figures,
 * and lets a CSM work while a viewer only reads. People sign in on the local issuer's login page,
 * as on AWS on Cognito's. Screenshots of each page go to docs/screenshots.
 */
describe('web app in a browser', () => {
  let demo: DemoRuntime;
  let browser: Browser;
  /** A signed-in session per person: the head of CS (admin), a CSM (the owner of the task the tests complete) and a viewer. */
  const as: Record<'admin' | 'csm' | 'viewer', BrowserContext> = {} as never;
  const opened: Page[] = [];

  const api = async (path: string, key: string | null = demo.adminKey, init: RequestInit = {}) => {
    const res = await fetch(demo.url + path, { ...init, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.headers ?? {}) } });
    return { status: res.status, body: (await res.json()) as any };
  };
  const open = async (path: string, who: keyof typeof as = 'admin'): Promise<OpenedPage> => {
    const o = await openTab(as[who]);
    opened.push(o.page);
    await o.page.goto(demo.url + path);
    return o;
  };
  /** An open task of a CSM on an account with a play running, found in the demo's data: the CSM signs in as its owner. */
  let target: { accountId: string; taskId: string; play: string; csmEmail: string };
  const findTarget = async (): Promise<typeof target> => {
    const csms = parseConfig(userConfig).csms;
    const tasks = (await api('/v1/tasks?status=open&limit=100')).body.tasks as { id: string; accountId: string; owner?: string }[];
    for (const t of tasks) {
      const csm = csms.find((c) => c.id === t.owner);
      if (!csm) continue;
      const view = (await api(`/v1/accounts/${t.accountId}`)).body;
      const running = (view.plays as { play: string; status: string }[]).find((r) => r.status === 'running');
      if (running) return { accountId: t.accountId, taskId: t.id, play: running.play, csmEmail: csm.email };
    }
    throw new Error("the demo's book gave no CSM an open task on an account with a play running");
  };

  beforeAll(async () => {
    await ensureWebApp();
    browser = await launchChromium();
    demo = await demoRuntime({ assemblyDir: inject('assemblyDir'), webDir: WEB_DIST });
    as.admin = await signedInContext(browser, demo.url, 'admin@tend.local', demo.passwords['admin@tend.local']!);
    target = await findTarget();
    as.csm = await signedInContext(browser, demo.url, target.csmEmail, demo.passwords[target.csmEmail]!);
    as.viewer = await signedInContext(browser, demo.url, 'viewer@tend.local', demo.passwords['viewer@tend.local']!);
    mkdirSync(SHOTS, { recursive: true });
  }, 600_000);
  afterAll(async () => {
    for (const p of opened) await p.close().catch(() => {});
    await browser?.close();
    await demo?.stop();
  });

  const PAGES: { name: string; path: () => string; ready: string; who?: 'csm' }[] = [
    { name: 'overview', path: () => '/', ready: '[data-testid=health-table]' },
    { name: 'renewals', path: () => '/renewals', ready: '[data-testid=renewals-list]' },
    { name: 'accounts', path: () => '/accounts', ready: '[data-testid=accounts-table] tbody tr' },
    { name: 'account', path: () => `/accounts/${demo.exampleAccount}`, ready: '[data-testid=account-score]' },
    { name: 'my-day', path: () => '/my-day', ready: '#h-changed + *', who: 'csm' },
    { name: 'plays', path: () => '/plays/renewal', ready: '[data-testid=steps-table]' },
  ];
  for (const p of PAGES)
    it(`${p.name}: loads without console errors or serious axe violations; screenshot`, async () => {
      const { page, errors } = await open(p.path(), p.who);
      await page.locator(p.ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(errors).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SHOTS, `${p.name}.png`), fullPage: p.name !== 'account' && p.name !== 'accounts' });
    });

  it('Overview shows the API figures: accounts and ARR by band', async () => {
    const { page } = await open('/');
    await page.locator('[data-testid=health-table]').waitFor();
    const { body } = await api('/v1/metrics');
    for (const band of ['green', 'yellow', 'red', 'unscored']) {
      expect(await page.getByTestId(`health-${band}-accounts`).textContent()).toBe(body.whole.health[band].accounts.toLocaleString('en-US'));
      expect(await page.getByTestId(`health-${band}-arr`).textContent()).toBe(money.format(body.whole.health[band].arr));
    }
    expect(await page.getByTestId('kpi-accounts').textContent()).toBe(String(body.whole.accounts));
  });

  it('Accounts lists the API page in its order; Renewals lists what the API lists', async () => {
    const { page } = await open('/accounts');
    await page.locator('[data-testid=accounts-table] tbody tr').first().waitFor();
    const listed = await page.locator('[data-testid=accounts-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-account')));
    const { body } = await api('/v1/accounts?limit=50');
    expect(listed).toEqual(body.accounts.map((a: { customer: { id: string } }) => a.customer.id));

    const renewals = await open('/renewals');
    await renewals.page.locator('[data-testid=renewals-list]').waitFor();
    const asOf = (await api('/v1/metrics')).body.asOf as string;
    const to = new Date(Date.parse(asOf) + 180 * DAY).toISOString().slice(0, 10);
    const due = (await api(`/v1/renewals?from=${asOf}&to=${to}&limit=500`)).body;
    const rows = await renewals.page.locator('[data-testid=renewals-list] tbody tr').evaluateAll((r) => r.map((x) => x.getAttribute('data-account')));
    expect(rows).toEqual(due.renewals.map((r: { accountId: string }) => r.accountId));
    expect(await renewals.page.getByTestId('renewals-total').textContent()).toContain(`${due.total.accounts} accounts, ${money.format(due.total.arr)}`);
  });

  it('Accounts keeps its view in the URL: filtered and sorted by the API, exported as CSV', async () => {
    const { page } = await open('/accounts?band=red&sort=-arr');
    await page.locator('[aria-busy=false] [data-testid=accounts-table] tbody tr').first().waitFor();
    const listed = await page.locator('[data-testid=accounts-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-account')));
    const { body } = await api('/v1/accounts?band=red&sort=-arr&limit=50');
    expect(listed).toEqual(body.accounts.map((a: { customer: { id: string } }) => a.customer.id));
    expect(listed.length).toBeGreaterThan(0);
    await page.getByRole('button', { name: /^Arr|^ARR/ }).click();
    await page.waitForURL(/sort=arr/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('id,name,band,score,arr,plan,segment,owner,stage,renewalDate,flags');
    const ascending = (await api('/v1/accounts?band=red&sort=arr&limit=200')).body.accounts.map((a: { customer: { id: string } }) => a.customer.id);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(ascending);
  });

  it('Plays cuts the outcomes by segment, plan or owner: a group shows the API’s figures for it', async () => {
    const { page } = await open('/plays');
    await page.getByTestId('plays-table').waitFor();
    // The heading names the period once the API's today is known (a loaded machine renders the table first).
    const heading = page.locator('h2', { hasText: /^Every play, \d{4}-Q[1-4]$/ });
    await heading.waitFor();
    const period = (await heading.textContent())!.replace('Every play, ', '');
    await page.locator('select[name=cut]').selectOption('segment');
    const { body } = await api(`/v1/metrics/outcomes?period=${period}&cut=segment`);
    const groups = body.groups as Record<string, { plays: { play: string; started: number; completed: number }[] }>;
    const [group, figures] = Object.entries(groups).find(([, g]) => g.plays.some((p) => p.play === 'onboarding' && p.started > 0))!;
    await page.locator('select[name=group]').selectOption(group);
    await page.locator('h2', { hasText: `Every play, ${period} · segment ${group}` }).waitFor();
    const onboarding = figures.plays.find((p) => p.play === 'onboarding')!;
    const cells = page.locator('[data-play=onboarding] td.num');
    expect(await cells.nth(0).textContent()).toBe(onboarding.started.toLocaleString('en-US'));
    expect(await cells.nth(2).textContent()).toBe(onboarding.completed.toLocaleString('en-US'));
    // The cut and group follow to a play's page.
    await page.locator('nav[aria-label=Plays] a', { hasText: 'onboarding' }).click();
    await page.locator('h2', { hasText: `Outcomes, ${period} · segment ${group}` }).waitFor();
  });

  it('Plays shows the API figures at each step, and drills down to the accounts waiting at one', async () => {
    const { page } = await open('/plays/onboarding');
    await page.getByTestId('play-runs').waitFor();
    const { body } = await api('/v1/plays/onboarding/steps');
    for (const s of body.steps as { step: string; waiting: number }[])
      expect(await page.getByTestId(`waiting-${s.step}`).textContent()).toBe(String(s.waiting));
    const busiest = (body.steps as { step: string; waiting: number; accounts: string[] }[]).sort((a, b) => b.waiting - a.waiting)[0]!;
    expect(busiest.waiting).toBeGreaterThan(0);
    await page.locator(`[data-step="${busiest.step}"] button`).click();
    const listed = await page.locator('[data-testid=step-accounts] a').allTextContents();
    expect(listed).toEqual(busiest.accounts);
    // The lift panel says what the API says: tend.config.ts gives onboarding no holdout.
    expect((await api('/v1/plays/onboarding/lift')).body.holdout).toBeNull();
    await page.getByTestId('lift-none').waitFor();
  });

  it('a drill-down from the renewals chart reaches an account', async () => {
    const { page } = await open('/renewals');
    await page.locator('[data-testid=renewals-list]').waitFor();
    // The chart's six months, by band, as the API gives them; the bar clicked is the first month's with
    // ARR renewing in the most at-risk band that has some (red in most books; the demo's data decides).
    const asOf = (await api('/v1/metrics')).body.asOf as string;
    const months: Record<string, { accounts: number; arr: number }>[] = [];
    for (let i = 0; i < 6; i++) {
      const from = i === 0 ? asOf : new Date(Date.UTC(Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7)) - 1 + i, 1)).toISOString().slice(0, 10);
      const to = new Date(Date.UTC(Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7)) + i, 1)).toISOString().slice(0, 10);
      months.push((await api(`/v1/renewals?from=${from}&to=${to}&limit=1`)).body.byBand);
    }
    const CHART_BANDS = ['green', 'yellow', 'red', 'unscored'];
    const band = ['red', 'yellow', 'green', 'unscored'].find((b) => months.some((m) => m[b]!.arr > 0));
    expect(band).toBeDefined();
    const month = months.findIndex((m) => m[band!]!.arr > 0);
    await clickBar(page, 'canvas[aria-label^="ARR renewing"]', CHART_BANDS.indexOf(band!), month);
    await page.waitForURL(new RegExp(`band=${band}`));
    await page.locator('[aria-busy=false] [data-testid=renewals-list]').waitFor();
    const first = page.locator('[data-testid=renewals-list] tbody tr a').first();
    const id = await page.locator('[data-testid=renewals-list] tbody tr').first().getAttribute('data-account');
    await first.click();
    await page.waitForURL(new RegExp(`/accounts/${id}$`));
    await expect.poll(() => page.getByTestId('account-score').textContent()).toMatch(/\d/);
  });

  it('a CSM completes a task and pauses a play', async () => {
    const { page, errors } = await open(`/accounts/${target.accountId}`, 'csm');
    await page.locator(`[data-task="${target.taskId}"] button`, { hasText: 'Complete' }).click();
    await expect
      .poll(async () => (await api(`/v1/accounts/${target.accountId}`)).body.tasks.find((t: { id: string }) => t.id === target.taskId)?.status)
      .toBe('done');
    await page.locator(`[data-task="${target.taskId}"]`).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: `Pause ${target.play}` }).click();
    await expect
      .poll(async () => (await api(`/v1/accounts/${target.accountId}`)).body.plays.find((r: { play: string }) => r.play === target.play)?.status)
      .toBe('paused');
    await page.getByTestId(`play-status-${target.play}`).filter({ hasText: 'paused' }).first().waitFor();
    await page.getByRole('button', { name: `Resume ${target.play}` }).waitFor();
    expect(errors).toEqual([]);
  });

  it('a viewer cannot pause a play: the button is absent and the API answers 403', async () => {
    const running = ((await api('/v1/plays/onboarding/runs?status=running&limit=100')).body.runs as { accountId: string }[])[0]!;
    const { page } = await open(`/accounts/${running.accountId}`, 'viewer');
    await page.getByTestId('play-status-onboarding').first().waitFor();
    expect(await page.getByRole('button', { name: /^(Pause|Cancel|Resume) / }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Complete|Snooze)/ }).count()).toBe(0);
    const { accessToken } = await signIn(demo.url, 'viewer@tend.local', demo.passwords['viewer@tend.local']!);
    const res = await api(`/v1/accounts/${running.accountId}/plays/onboarding/pause`, accessToken, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect((await api(`/v1/plays/onboarding/runs?status=running&limit=100`, accessToken)).status).toBe(200);
  });

  it('a request without a token gets 401', async () => {
    expect((await api('/v1/accounts', null)).status).toBe(401);
    expect((await api('/v1/metrics', null)).status).toBe(401);
  });
});
