import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';
import { scoreItem } from '../../functions/data/scores.ts';
import { taskRepo } from '../../functions/data/tasks.ts';
import type { CsmTask, StoredScore } from '../../functions/core/types.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-03-02T09:00:00Z').getTime();
const iso = (ms: number) => new Date(ms).toISOString();
const dayOf = (ms: number) => iso(ms).slice(0, 10);

/**
 * Owners, the task queue and notes through the API, with the synthesized save play on the local
 * runtime (tend.config.ts lists the CSMs `alex` and `sam`): a play's task lands in its owner's
 * queue, is completed through the API, and the completion changes the play's next branch.
 */
describe('owners, tasks and notes on the local runtime', () => {
  let rt: TestRuntime;
  let bus: string;

  const advance = async (toMs: number) => {
    while (rt.clock.nowMs() < toMs) {
      rt.clock.advanceTo(Math.min(toMs, rt.clock.nowMs() + 6 * 3_600_000));
      await rt.idle();
    }
  };
  const account = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    name: `${id} Inc`,
    arr: 6000,
    startDate: iso(T0 - 200 * DAY),
    primaryContact: { email: `pat@${id}.example` },
    ...extra,
  });
  const putRedScore = async (id: string) => {
    const now = rt.clock.nowMs();
    await rt.db.send(
      new PutCommand({
        TableName: rt.tableName,
        Item: scoreItem({
          accountId: id,
          score: 30,
          tier: 'red',
          band: 'red',
          color: '#d00000',
          coverage: 1,
          modelId: 'seed-002',
          modelVersion: '1',
          computedAt: iso(now),
          segment: 'tech-touch',
          churnRisk: null,
          trend: { change7d: null, change30d: null, fallingFast: false },
          recent: [60, 30].map((score, i) => ({ day: dayOf(now - (1 - i) * DAY), score })),
          flags: {},
          signals: {},
          components: [],
          driversDown: [],
          driversUp: [],
        } as StoredScore),
      }),
    );
  };
  const turnRed = async (id: string) => {
    await putRedScore(id);
    rt.events.put([
      { EventBusName: bus, Source: 'tend', DetailType: 'tier.changed', Detail: JSON.stringify({ accountId: id, fromBand: 'yellow', band: 'red' }) },
    ]);
    await rt.idle();
  };
  const tasks = async (query: string) => {
    const res = await rt.request('GET', `/v1/tasks?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body!.tasks as (CsmTask & { overdue: boolean })[];
  };
  const saveRun = async (id: string) =>
    (
      (await rt.request('GET', `/v1/accounts/${id}`)).body!.plays as {
        play: string;
        steps: Record<string, { outcome: string; detail?: string; actions?: { detail?: string }[] }>;
      }[]
    ).find((r) => r.play === 'save')!;

  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(T0), speed: 86_400, paused: true });
    bus = rt.events.rules[0]!.bus;
  }, 60_000);
  afterAll(() => rt?.stop());

  it("a save play's review lands in the owner's queue (or the team's); completing it through the API takes the play's other branch", async () => {
    expect((await rt.request('POST', '/v1/accounts', account('kept', { owner: 'alex' }))).status).toBe(201);
    expect((await rt.request('POST', '/v1/accounts', account('dropped'))).status).toBe(201);
    await rt.idle();
    await turnRed('kept');
    await turnRed('dropped');
    await advance(T0 + 3 * 3_600_000);

    const [review] = (await tasks('owner=alex')).filter((t) => t.play === 'save');
    expect(review).toMatchObject({ accountId: 'kept', owner: 'alex', status: 'open', step: 'review', priority: 'urgent', overdue: false });
    const [teamReview] = (await tasks('owner=unassigned&play=save')).filter((t) => t.accountId === 'dropped');
    expect(teamReview).toMatchObject({ step: 'review', status: 'open' });
    expect(teamReview!.owner).toBeUndefined();
    // Listed across every queue too.
    expect((await tasks('play=save')).map((t) => t.accountId).sort()).toEqual(['dropped', 'kept']);

    const done = await rt.request('POST', `/v1/tasks/kept/${review!.id}/complete`, { outcome: 'Called the champion; plan agreed', by: 'alex' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body!.task).toMatchObject({ status: 'done', outcome: 'Called the champion; plan agreed', doneBy: 'alex' });
    expect((await tasks('owner=alex&status=done')).map((t) => t.id)).toEqual([review!.id]);
    expect((await tasks('owner=alex')).filter((t) => t.play === 'save')).toEqual([]);
    // On the account's timeline once, however often it is completed.
    await rt.request('POST', `/v1/tasks/kept/${review!.id}/complete`, {});
    const doneEntries = (await rt.request('GET', '/v1/accounts/kept/timeline?kinds=task.done')).body!.items as { ref: string }[];
    expect(doneEntries.map((e) => e.ref)).toEqual([review!.id]);

    await advance(T0 + 4 * DAY);
    const kept = await saveRun('kept');
    expect(kept.steps['review-check']).toMatchObject({ outcome: 'done', detail: 'option 1: the review task done' });
    expect(kept.steps['review-check']!.actions!.map((a) => a.detail)).toEqual(['play.save-review-done']);
    const dropped = await saveRun('dropped');
    expect(dropped.steps['review-check']).toMatchObject({ outcome: 'done', detail: 'option 2: always' });
    expect(dropped.steps['review-check']!.actions!.map((a) => a.detail)).toEqual([
      'Save review not done in 3 days: escalate to the CS lead',
      'play.save-review-overdue',
    ]);
    // One open task per account, play and step, whatever the retries and the rechecks.
    const droppedTasks = (await tasks('accountId=dropped')).filter((t) => t.play === 'save');
    expect(droppedTasks.map((t) => t.step).sort()).toEqual(['review', 'review-check']);
    expect((await tasks('owner=unassigned&overdue=true')).map((t) => t.id)).toContain(teamReview!.id);

    // The card: the earliest open task is the next action; an overdue urgent task makes it urgent.
    const card = (await rt.request('GET', '/v1/accounts/dropped/card')).body!;
    expect(card.nextAction).toMatch(/^task: Urgent review: .*overdue since/);
    expect(card.priority).toBe('urgent');
  }, 120_000);

  it('refuses bad task requests with a clear 4xx and changes nothing', async () => {
    const [open] = (await tasks('owner=unassigned&accountId=dropped')).filter((t) => t.step === 'review');
    const [doneTask] = await tasks('owner=alex&status=done');
    const again = await rt.request('POST', `/v1/tasks/kept/${doneTask!.id}/complete`, {});
    expect(again.status).toBe(409);
    expect(again.body!.error).toBe('TaskAlreadyDone');
    // A task id of another account: not found there.
    expect((await rt.request('POST', `/v1/tasks/kept/${open!.id}/complete`)).status).toBe(404);
    const past = await rt.request('POST', `/v1/tasks/dropped/${open!.id}/snooze`, { until: iso(rt.clock.nowMs() - DAY) });
    expect(past.status).toBe(400);
    expect(past.body!.details).toEqual([{ field: 'until', message: 'must be in the future' }]);
    const unknown = await rt.request('POST', `/v1/tasks/dropped/${open!.id}/reassign`, { owner: 'nobody' });
    expect(unknown.status).toBe(400);
    expect(unknown.body!.message).toMatch(/^owner: "nobody" is not a CSM/);
    expect((await rt.request('POST', `/v1/tasks/kept/${doneTask!.id}/snooze`, { until: iso(rt.clock.nowMs() + DAY) })).status).toBe(409);
    const unchanged = (await tasks('accountId=dropped')).find((t) => t.id === open!.id)!;
    expect(unchanged).toMatchObject({ status: 'open', overdue: true });
    expect(unchanged.owner).toBeUndefined();
    expect(unchanged.snoozedUntil).toBeUndefined();
  });

  it('snoozes, reassigns and comments on a task', async () => {
    const [open] = (await tasks('owner=unassigned&accountId=dropped')).filter((t) => t.step === 'review');
    const until = iso(rt.clock.nowMs() + 2 * DAY);
    expect((await rt.request('POST', `/v1/tasks/dropped/${open!.id}/snooze`, { until })).body!.task).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    expect((await tasks('owner=unassigned&status=snoozed')).map((t) => t.id)).toEqual([open!.id]);
    expect((await tasks('owner=unassigned&status=open')).map((t) => t.id)).not.toContain(open!.id);
    // The card skips a snoozed task for its next action.
    expect((await rt.request('GET', '/v1/accounts/dropped/card')).body!.nextAction).not.toMatch(/Urgent review/);

    const moved = await rt.request('POST', `/v1/tasks/dropped/${open!.id}/reassign`, { owner: 'sam@acme.example' });
    expect(moved.body!.task).toMatchObject({ owner: 'sam', status: 'snoozed' });
    expect((await tasks('owner=sam&status=snoozed')).map((t) => t.id)).toEqual([open!.id]);
    expect((await tasks('owner=unassigned&status=snoozed')).map((t) => t.id)).toEqual([]);

    const comment = { id: 'c1', author: 'sam', text: 'Left a voicemail' };
    expect((await rt.request('POST', `/v1/tasks/dropped/${open!.id}/comments`, comment)).body!.added).toBe(true);
    const replay = await rt.request('POST', `/v1/tasks/dropped/${open!.id}/comments`, comment);
    expect(replay.body!.added).toBe(false);
    expect(replay.body!.task.comments).toEqual([{ ...comment, at: expect.any(String) }]);

    // Priority sort across every queue: urgent first.
    const sorted = await tasks('sort=priority&status=snoozed');
    expect(sorted.map((t) => t.priority)).toEqual([...sorted.map((t) => t.priority)].sort((a, b) => rank(b) - rank(a)));
  });

  it("owners: set through the API (an unknown one is a 400 and writes nothing), each CSM's book listed, moved with the owner", async () => {
    const bad = await rt.request('POST', '/v1/accounts', account('ghost', { owner: 'nobody' }));
    expect(bad.status).toBe(400);
    expect(bad.body!.details).toEqual([{ field: 'owner', message: 'unknown CSM' }]);
    expect((await rt.request('GET', '/v1/accounts/ghost')).status).toBe(404);

    const csms = async () =>
      Object.fromEntries(((await rt.request('GET', '/v1/csms')).body!.csms as { id: string; accounts: number }[]).map((c) => [c.id, c.accounts]));
    const book = async (csm: string) => ((await rt.request('GET', `/v1/csms/${csm}/accounts`)).body!.accounts as { id: string }[]).map((a) => a.id);
    expect(await csms()).toEqual({ alex: 1, sam: 0, dana: 0 });
    expect(await book('alex')).toEqual(['kept']);
    // Open work on the account: one task with alex, one handed to dana by hand (the done review stays alex's).
    const repo = taskRepo(rt.db, rt.tableName);
    const openTask = (id: string, owner: string): CsmTask => ({
      id,
      accountId: 'kept',
      title: `call ${id}`,
      priority: 'high',
      status: 'open',
      dueAt: iso(rt.clock.nowMs() + 2 * DAY),
      createdAt: iso(rt.clock.nowMs()),
      owner,
      play: 'save',
      step: 'review',
      executionName: `handover-${id}`,
    });
    await repo.create(openTask('follow-up', 'alex'));
    await repo.create(openTask('dana-call', 'dana'));
    // The owner's email names them too; the account's csm follows (high-touch emails are signed by them).
    const moved = await rt.request('POST', '/v1/accounts', account('kept', { owner: 'SAM@acme.example' }));
    expect(moved.body!.account).toMatchObject({ owner: 'sam', csm: { name: 'Sam Lee', email: 'sam@acme.example' } });
    expect(await book('alex')).toEqual([]);
    expect(await book('sam')).toEqual(['kept']);
    expect(await csms()).toEqual({ alex: 0, sam: 1, dana: 0 });
    // The work follows the account: alex's open task is now sam's; dana's and the done review stay.
    const owners = Object.fromEntries((await repo.forAccount('kept')).map((t) => [t.id, `${t.owner}:${t.status}`]));
    expect(owners['follow-up']).toBe('sam:open');
    expect(owners['dana-call']).toBe('dana:open');
    expect(Object.entries(owners).filter(([, o]) => o === 'alex:done')).toHaveLength(1);
    expect((await tasks('owner=sam')).map((t) => t.id)).toContain('follow-up');
    expect((await tasks('owner=alex')).map((t) => t.id)).not.toContain('follow-up');
    // A replay moves nothing and counts nothing.
    expect(
      (await rt.request('POST', '/v1/accounts', account('kept', { owner: 'sam', csm: { name: 'Sam Lee', email: 'sam@acme.example' } }))).body!.outcome,
    ).toBe('unchanged');
    expect(await csms()).toEqual({ alex: 0, sam: 1, dana: 0 });
    expect((await rt.request('GET', '/v1/csms/nobody/accounts')).status).toBe(404);
  });

  it('owners from Segment group traits: traits.owner, an unknown one rejects that message alone', async () => {
    const groupCall = (groupId: string, owner: string) => ({
      type: 'group',
      groupId,
      userId: `u-${groupId}`,
      messageId: `grp-${groupId}`,
      timestamp: iso(rt.clock.nowMs()),
      traits: { name: `${groupId} Inc`, email: `it@${groupId}.example`, owner },
    });
    const res = await rt.request('POST', '/v1/segment', { batch: [groupCall('seg-ok', 'alex@acme.example'), groupCall('seg-bad', 'nobody')] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body!.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected']);
    expect(res.body!.results[1].reason).toMatch(/^traits\.owner: "nobody" is not a CSM/);
    expect((await rt.request('GET', '/v1/accounts/seg-ok')).body!.account.owner).toBe('alex');
    expect((await rt.request('GET', '/v1/accounts/seg-bad')).status).toBe(404);
  });

  it('notes: created once per id, listed newest first, pinned on the card; a note over the limit is a 413 and writes nothing', async () => {
    const first = await rt.request('POST', '/v1/accounts/kept/notes', { noteId: 'n1', author: 'sam', text: 'Champion is leaving in May' });
    expect(first.status).toBe(201);
    expect(first.body!.note).toMatchObject({ id: 'n1', pinned: false, at: first.body!.note.createdAt });
    await advance(rt.clock.nowMs() + 3_600_000);
    const replay = await rt.request('POST', '/v1/accounts/kept/notes', { noteId: 'n1', author: 'sam', text: 'Champion is leaving in May' });
    expect(replay.status).toBe(200);
    expect(replay.body!.note).toEqual(first.body!.note);
    const keyed = { author: 'alex', text: 'QBR moved to June' };
    const k1 = await rt.request('POST', '/v1/accounts/kept/notes', keyed, undefined, { headers: { 'idempotency-key': 'req-42' } });
    const k2 = await rt.request('POST', '/v1/accounts/kept/notes', keyed, undefined, { headers: { 'idempotency-key': 'req-42' } });
    expect([k1.status, k2.status]).toEqual([201, 200]);

    const tooLong = await rt.request('POST', '/v1/accounts/kept/notes', { noteId: 'n-big', author: 'sam', text: 'é'.repeat(4097) });
    expect(tooLong.status).toBe(413);
    expect(tooLong.body).toMatchObject({ error: 'NoteTooLarge', details: [{ field: 'text', message: 'at most 8192 bytes' }] });
    const listed = (await rt.request('GET', '/v1/accounts/kept/notes')).body!.notes as { id: string }[];
    expect(listed.map((n) => n.id)).toEqual([k1.body!.note.id, 'n1']);
    expect((await rt.items('kept', 'NOTE')).filter((i) => String(i.sk).includes('n-big'))).toEqual([]);

    expect((await rt.request('POST', '/v1/accounts/kept/notes/n1/pin')).body!.note).toMatchObject({ pinned: true });
    expect((await rt.request('GET', '/v1/accounts/kept/card')).body!.notes[0]).toBe('pinned: Champion is leaving in May (sam)');
    expect((await rt.request('POST', '/v1/accounts/kept/notes/n1/unpin')).body!.note).toMatchObject({ pinned: false });
    expect((await rt.request('POST', '/v1/accounts/kept/notes/nope/pin')).status).toBe(404);
    // Keyed for the timeline: on the account's partition, by creation time, each with `at`.
    const items = await rt.items('kept', 'NOTE#');
    expect(items.map((i) => String(i.sk))).toEqual([`NOTE#${first.body!.note.createdAt}#n1`, `NOTE#${k1.body!.note.createdAt}#${k1.body!.note.id}`]);
    expect(items.every((i) => typeof i.at === 'string')).toBe(true);
    // And on the timeline, newest first, once each (the replays wrote the same entries again).
    const timeline = (await rt.request('GET', '/v1/accounts/kept/timeline?kinds=note')).body!.items as { ref: string }[];
    expect(timeline.map((e) => e.ref)).toEqual([k1.body!.note.id, 'n1']);
  });
});

const rank = (p: string) => ['low', 'medium', 'high', 'urgent'].indexOf(p);
