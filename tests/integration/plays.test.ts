import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';
import { keys } from '../../functions/data/keys.ts';
import { scoreItem } from '../../functions/data/scores.ts';
import type { StoredScore } from '../../functions/core/types.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-01-05T09:00:00Z').getTime();
const iso = (ms: number) => new Date(ms).toISOString();
const dayOf = (ms: number) => iso(ms).slice(0, 10);

/**
 * Every built-in play on the synthesized machines, in one local runtime on a paused clock that
 * the test moves forward: the same scene gives the same result on every run.
 */
describe('built-in plays on the local runtime', () => {
  let rt: TestRuntime;
  let bus: string;

  const advance = async (toMs: number) => {
    while (rt.clock.nowMs() < toMs) {
      rt.clock.advanceTo(Math.min(toMs, rt.clock.nowMs() + 6 * 3_600_000));
      await rt.idle();
    }
  };
  const createAccount = async (id: string, extra: Record<string, unknown> = {}) => {
    const res = await rt.request('POST', '/v1/accounts', {
      id,
      name: `${id} Inc`,
      seats: 10,
      arr: 6000,
      startDate: iso(rt.clock.nowMs()),
      primaryContact: { email: `pat@${id}.example`, name: 'Pat Lee' },
      ...extra,
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    await rt.idle();
  };
  /** A stored score, as scoring writes it: today's band and the bands of the days before (newest last). */
  const putScore = async (id: string, days: number[]) => {
    const today = days[days.length - 1]!;
    const band = today >= 76 ? 'green' : today >= 50 ? 'yellow' : 'red';
    const now = rt.clock.nowMs();
    await rt.db.send(
      new PutCommand({
        TableName: rt.tableName,
        Item: scoreItem({
          accountId: id,
          score: today,
          tier: band,
          band,
          color: '#000000',
          coverage: 1,
          modelId: 'seed-002',
          modelVersion: '1',
          computedAt: iso(now),
          segment: 'tech-touch',
          churnRisk: null,
          trend: { change7d: null, change30d: null, fallingFast: false },
          recent: days.map((score, i) => ({ day: dayOf(now - (days.length - 1 - i) * DAY), score })),
          flags: {},
          signals: {},
          components: [],
          driversDown: [],
          driversUp: [],
        } as StoredScore),
      }),
    );
  };
  const publish = async (type: string, accountId: string, detail: Record<string, unknown>) => {
    rt.events.put([{ EventBusName: bus, Source: 'tend', DetailType: type, Detail: JSON.stringify({ accountId, at: iso(rt.clock.nowMs()), ...detail }) }]);
    await rt.idle();
  };
  const runsOf = async (id: string) =>
    (await rt.request('GET', `/v1/accounts/${id}`)).body?.plays as {
      play: string;
      status: string;
      reason?: string;
      cycle: string;
      steps: Record<string, { outcome: string; detail?: string; actions?: { kind: string; template?: string; outcome: string; detail?: string }[] }>;
    }[];
  const runOf = async (id: string, play: string) => (await runsOf(id)).find((r) => r.play === play)!;
  /** Templates sent to the account, oldest first, from the send ledger (subjects are the templates' to change). */
  const mail = async (id: string) =>
    (await rt.items(id, 'SEND#'))
      .filter((s) => s.status === 'sent')
      .sort((a, b) => String(a.sentAt).localeCompare(String(b.sentAt)))
      .map((s) => String(s.template));
  const executions = (prefix: string) => [...rt.sfn.executions.values()].filter((e) => e.name.startsWith(prefix));

  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(T0), speed: 86_400, paused: true });
    bus = rt.events.rules[0]!.bus;
  }, 60_000);
  afterAll(() => rt?.stop());

  it('renewal: starts from the daily sweep 90 days out, and its approach follows the health band', async () => {
    // An existing customer (started a year ago: no onboarding) renewing in 95 days, healthy.
    await createAccount('evergreen', { startDate: iso(T0 - 300 * DAY), renewalDate: iso(T0 + 95 * DAY) });
    await putScore('evergreen', [82, 84, 85]);
    expect(executions('onboarding-evergreen')).toEqual([]);
    await rt.lambdas.invoke(rt.lambdas.byLogicalId('PlaysStarter').arn, { sweep: true });
    expect(executions('renewal-evergreen')).toEqual([]); // 95 days out: not yet in the window
    await advance(T0 + 6 * DAY);
    const swept = await rt.lambdas.invoke(rt.lambdas.byLogicalId('PlaysStarter').arn, { sweep: true });
    expect(swept).toMatchObject({ 'renewal:started': 1 });
    await rt.lambdas.invoke(rt.lambdas.byLogicalId('PlaysStarter').arn, { sweep: true }); // the next day's sweep starts nothing more
    await rt.idle();
    expect(executions('renewal-evergreen')).toHaveLength(1);
    await advance(T0 + 96 * DAY);
    const run = await runOf('evergreen', 'renewal');
    expect(run.status).toBe('completed');
    expect(run.cycle).toBe(dayOf(T0 + 95 * DAY));
    expect(Object.fromEntries(Object.entries(run.steps).map(([k, s]) => [k, s.actions?.map((a) => a.template ?? a.detail)]))).toEqual({
      'health-review': ['Renewal in 90 days: review health and stakeholders', 'retention'],
      'value-review': ['renewal-value-review', 'Healthy renewal: open the expansion conversation'],
      notice: ['renewal-notice'],
      close: ['Close the renewal'],
    });
    expect(await mail('evergreen')).toHaveLength(2);
  }, 60_000);

  it('renewal: an at-risk account gets the save approach, and a renewed account leaves the run', async () => {
    const now = rt.clock.nowMs();
    await createAccount('atrisk', { startDate: iso(now - 400 * DAY), renewalDate: iso(now + 80 * DAY) });
    await createAccount('renewing', { startDate: iso(now - 400 * DAY), renewalDate: iso(now + 80 * DAY) });
    await putScore('atrisk', [40, 38, 35]);
    await putScore('renewing', [70, 71, 72]);
    await rt.lambdas.invoke(rt.lambdas.byLogicalId('PlaysStarter').arn, { sweep: true });
    await advance(now + 30 * DAY);
    // The customer signs early: the renewal date moves a year on, and the run ends at its next step.
    await rt.request('POST', '/v1/accounts', {
      id: 'renewing',
      name: 'renewing Inc',
      renewalDate: iso(now + 445 * DAY),
      primaryContact: { email: 'pat@renewing.example' },
    });
    await advance(now + 81 * DAY);
    const atrisk = await runOf('atrisk', 'renewal');
    expect(atrisk.status).toBe('completed');
    expect(atrisk.steps['health-review']!.actions!.map((a) => a.detail ?? a.template)).toEqual([
      'Renewal in 90 days and at risk: start a save plan',
      'play.renewal-at-risk',
      'at-risk',
    ]);
    expect(atrisk.steps['value-review']!.actions!.map((a) => a.detail)).toEqual(['Renewal at risk: value review call with the champion']);
    const renewing = await runOf('renewing', 'renewal');
    expect({ status: renewing.status, reason: renewing.reason }).toEqual({ status: 'exited', reason: 'renewed' });
    expect(Object.keys(renewing.steps)).toEqual(['health-review', 'value-review']);
  }, 60_000);

  it('save: an account that turns red during onboarding gets champion outreach, an urgent review and a daily watch until it recovers', async () => {
    await createAccount('wobbly');
    await advance(rt.clock.nowMs() + 3 * DAY);
    await putScore('wobbly', [60, 45]);
    // Delivered twice (EventBridge is at-least-once): one run.
    await publish('tier.changed', 'wobbly', { from: 'yellow', to: 'red', fromBand: 'yellow', band: 'red', score: 45 });
    await publish('tier.changed', 'wobbly', { from: 'yellow', to: 'red', fromBand: 'yellow', band: 'red', score: 45 });
    expect(executions('save-wobbly')).toHaveLength(1);
    expect(executions('onboarding-wobbly')[0]!.status).toBe('RUNNING');
    await advance(rt.clock.nowMs() + 2 * DAY);
    expect(await mail('wobbly')).toContain('save-outreach');
    const save = await runOf('wobbly', 'save');
    expect(save.steps.outreach!.outcome).toBe('done');
    expect(save.steps.review!.actions!.map((a) => a.kind)).toEqual(['task', 'event']);
    // Nobody completed the review yet: the play waits for it (up to 3 days) before its watch.
    expect(save.steps['review-check']).toMatchObject({ outcome: 'waiting' });
    // Seven healthy days in a row: recovered.
    await putScore('wobbly', [45, 60, 62, 65, 70, 72, 74, 78]);
    await advance(rt.clock.nowMs() + 2 * DAY);
    const recovered = await runOf('wobbly', 'save');
    expect({ status: recovered.status, reason: recovered.reason }).toEqual({ status: 'exited', reason: 'recovered' });
    expect(executions('save-wobbly')[0]!.status).toBe('SUCCEEDED');
  }, 60_000);

  it('save: without recovery, escalates after 14 days and exits gracefully after 60', async () => {
    await createAccount('sinking', { startDate: iso(rt.clock.nowMs() - 200 * DAY) });
    await putScore('sinking', [30, 28]);
    await publish('tier.changed', 'sinking', { fromBand: 'yellow', band: 'red' });
    await advance(rt.clock.nowMs() + 62 * DAY);
    const run = await runOf('sinking', 'save');
    expect({ status: run.status, reason: run.reason }).toEqual({ status: 'exited', reason: 'gave-up' });
    expect(run.steps.watch!.actions!.map((a) => a.detail)).toEqual([
      'Not recovered after 14 days: executive escalation',
      'play.save-escalated',
      'Not recovered after 60 days: plan a graceful exit (churn can be the right outcome)',
    ]);
  }, 60_000);

  it('re-engagement, low adoption, expansion and advocacy start from their flags', async () => {
    for (const id of ['quiet', 'narrow', 'growing', 'fan']) await createAccount(id, { startDate: iso(rt.clock.nowMs() - 200 * DAY) });
    for (const id of ['quiet', 'narrow', 'growing', 'fan']) await putScore(id, [85, 86]);
    await publish('flag.started', 'quiet', { flag: 'no-login-7d', kind: 'risk' });
    await publish('flag.started', 'narrow', { flag: 'low-adoption', kind: 'risk' });
    await publish('flag.started', 'growing', { flag: 'near-seat-limit', kind: 'expansion' });
    await publish('flag.started', 'fan', { flag: 'promoter', kind: 'advocacy' });
    await publish('flag.started', 'fan', { flag: 'usage-drop', kind: 'risk' }); // starts nothing
    await advance(rt.clock.nowMs() + 50 * DAY);
    expect(await mail('quiet')).toEqual(['reengagement']);
    expect((await runOf('quiet', 'reengagement')).steps['check-in']!.actions![0]!.detail).toBe('No login for 14 days: check in and find the blocker');
    expect(await mail('narrow')).toEqual(['feature-spotlight', 'training-offer', 'feature-spotlight']);
    expect(await mail('growing')).toEqual(['expansion-offer']);
    expect(await mail('fan')).toEqual(['referral-request']);
    expect((await runsOf('fan')).map((r) => r.play)).toEqual(['advocacy']);
    // The advocacy cool-down: a promoter again 50 days later is not asked again.
    await publish('flag.started', 'fan', { flag: 'promoter', kind: 'advocacy' });
    expect(executions('advocacy-fan')).toHaveLength(1);
  }, 60_000);

  it('churn stops every live play of the account', async () => {
    await createAccount('leaving');
    await putScore('leaving', [40]);
    await publish('tier.changed', 'leaving', { fromBand: 'yellow', band: 'red' });
    await publish('flag.started', 'leaving', { flag: 'no-login-7d', kind: 'risk' });
    await advance(rt.clock.nowMs() + 1 * DAY);
    expect(
      (await runsOf('leaving'))
        .filter((r) => r.status === 'running')
        .map((r) => r.play)
        .sort(),
    ).toEqual(['onboarding', 'reengagement', 'save']);
    await rt.request('POST', '/v1/accounts', { id: 'leaving', name: 'leaving Inc', status: 'churned', primaryContact: { email: 'pat@leaving.example' } });
    await rt.idle();
    const runs = await runsOf('leaving');
    expect(runs.map((r) => [r.play, r.status, r.reason]).sort()).toEqual([
      ['onboarding', 'exited', 'churned'],
      ['reengagement', 'exited', 'churned'],
      ['save', 'exited', 'churned'],
    ]);
    expect(
      executions('')
        .filter((e) => e.name.includes('-leaving-'))
        .map((e) => e.status),
    ).toEqual(['ABORTED', 'ABORTED', 'ABORTED']);
    const sent = (await mail('leaving')).length;
    await advance(rt.clock.nowMs() + 40 * DAY);
    expect(await mail('leaving')).toHaveLength(sent);
  }, 60_000);

  it('a CSM pauses, resumes and cancels a run through the API', async () => {
    await createAccount('handled');
    const pause = await rt.request('POST', '/v1/accounts/handled/plays/onboarding/pause', { by: 'csm@acme.example' });
    expect(pause.status).toBe(200);
    expect(pause.body?.run).toMatchObject({ status: 'paused', pausedBy: 'csm@acme.example' });
    await advance(rt.clock.nowMs() + 9 * DAY);
    expect(await mail('handled')).toEqual([]);
    expect((await rt.request('POST', '/v1/accounts/handled/plays/onboarding/resume')).body?.run.status).toBe('running');
    await advance(rt.clock.nowMs() + 1 * DAY);
    // Both steps fell due while paused and are past their grace (welcome 7 days, day 7 a day): skipped as late, and said so.
    expect(await mail('handled')).toEqual([]);
    const run = await runOf('handled', 'onboarding');
    for (const step of ['welcome', 'day-7']) {
      expect(run.steps[step]).toMatchObject({ outcome: 'skipped', late: true });
      expect(run.steps[step]!.detail).toMatch(/hours after it was due; this step is skipped when late/);
    }
    const cancel = await rt.request('POST', '/v1/accounts/handled/plays/onboarding/cancel');
    expect(cancel.body?.run).toMatchObject({ status: 'cancelled' });
    await rt.idle();
    expect(executions('onboarding-handled')[0]!.status).toBe('ABORTED');
    expect((await rt.request('POST', '/v1/accounts/handled/plays/onboarding/pause')).status).toBe(404);
    expect((await rt.request('POST', '/v1/accounts/handled/plays/nope/pause')).status).toBe(404);
    const listed = await rt.request('GET', '/v1/plays/onboarding/runs?status=cancelled');
    expect(listed.body?.runs.map((r: { accountId: string }) => r.accountId)).toEqual(['handled']);
  }, 60_000);

  it('the team records onboarding checklist milestones: the first date stands, an unknown one is refused', async () => {
    await createAccount('checked');
    const first = await rt.request('POST', '/v1/accounts/checked/milestones', { milestone: 'kickoff-held', at: '2026-01-02T15:00:00Z' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ recorded: true, milestones: { 'kickoff-held': '2026-01-02T15:00:00.000Z' } });
    const again = await rt.request('POST', '/v1/accounts/checked/milestones', { milestone: 'kickoff-held' });
    expect(again.body).toMatchObject({ recorded: false, milestones: { 'kickoff-held': '2026-01-02T15:00:00.000Z' } });
    const unknown = await rt.request('POST', '/v1/accounts/checked/milestones', { milestone: 'party-thrown' });
    expect(unknown.status).toBe(400);
    expect(unknown.body?.message).toMatch(/^milestone: "party-thrown" is not in the checklist/);
    expect((await rt.request('POST', '/v1/accounts/nobody/milestones', { milestone: 'kickoff-held' })).status).toBe(404);
    const view = (await rt.request('GET', '/v1/accounts/checked')).body;
    expect(view?.checklist[0]).toEqual({ milestone: 'kickoff-held', reachedAt: '2026-01-02T15:00:00.000Z' });
    expect(view?.checklist.filter((c: { reachedAt: string | null }) => c.reachedAt === null)).toHaveLength(7);
    expect(rt.events.log.filter((e) => e['detail-type'] === 'milestone.reached' && e.detail.accountId === 'checked').map((e) => e.detail.milestone)).toEqual([
      'kickoff-held',
    ]);
  });

  it('a step that keeps failing is retried, then caught; a retry of the run redoes nothing that was done', async () => {
    await createAccount('broken', { startDate: iso(rt.clock.nowMs() - 200 * DAY) });
    await putScore('broken', [30, 28]);
    await publish('tier.changed', 'broken', { fromBand: 'yellow', band: 'red' });
    await advance(rt.clock.nowMs() + 30 * 60_000);
    expect(await mail('broken')).toEqual(['save-outreach']);
    // Then the score item is damaged (its history is not a list): every attempt of the next step fails the same way.
    await rt.db.send(
      new PutCommand({
        TableName: rt.tableName,
        Item: { ...keys.score('broken'), computedAt: iso(rt.clock.nowMs()), segment: 'tech-touch', score: 20, band: 'red', history: 'garbage', flags: {} },
      }),
    );
    await advance(rt.clock.nowMs() + 1 * DAY);
    const [execution] = executions('save-broken');
    expect({ status: execution!.status, error: execution!.error }).toEqual({ status: 'FAILED', error: 'PlayStepFailed' });
    // Three retries on the clock, then the Catch: four attempts of the step.
    expect(execution!.history.filter((h) => h.state === 'Run review').map((h) => h.type)).toEqual([
      'StateEntered',
      ...Array.from({ length: 3 }, () => ['StateFailed', 'StateRetried']).flat(),
      'StateFailed',
      'StateCaught',
      'StateExited',
    ]);
    expect(execution!.history.filter((h) => h.type === 'StateEntered' && h.state === 'Record failure')).toHaveLength(1);
    // Read from the table: the account view reads the damaged score item too (and refuses it).
    const [run] = (await rt.items('broken', 'RUN#save#')) as Awaited<ReturnType<typeof runOf>>[];
    expect(run!.status).toBe('failed');
    expect(run!.steps.outreach).toMatchObject({ outcome: 'done' });
    expect(run!.steps.review).toMatchObject({ outcome: 'failed' });
    expect(run!.steps.review!.detail).toMatch(/TypeError|not a function|map|forEach/);

    // The data is repaired; a CSM retries the run: the failed step runs again, the outreach is not redone.
    await putScore('broken', [30, 28]);
    const retried = await rt.request('POST', '/v1/accounts/broken/plays/save/retry');
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body?.run).toMatchObject({ status: 'running', attempt: 2, executionName: `${execution!.name}-r2` });
    await advance(rt.clock.nowMs() + 1 * DAY);
    const again = await runOf('broken', 'save');
    expect(again.steps.review).toMatchObject({ outcome: 'done' });
    expect(again.steps['review-check']).toMatchObject({ outcome: 'waiting' });
    expect(await mail('broken')).toEqual(['save-outreach']);
    expect((await rt.request('GET', '/v1/accounts/broken')).body?.tasks.filter((t: { title: string }) => t.title.startsWith('Urgent review'))).toHaveLength(1);
    // Retried again while it is live: refused, nothing started.
    expect((await rt.request('POST', '/v1/accounts/broken/plays/save/retry')).status).toBe(409);
    expect(executions('save-broken')).toHaveLength(2);
  }, 60_000);
});
