import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreListing } from '../../functions/core/account-list-entry.ts';
import { parseConfig } from '../../functions/core/config.ts';
import { modelResolver } from '../../functions/core/score/presets/index.ts';
import type { Account, StoredScore } from '../../functions/core/types.ts';
import { listEntryWriter, type ListEntryWriter } from '../../functions/data/account-list-entries.ts';
import { keys } from '../../functions/data/keys.ts';
import { scoreRepo } from '../../functions/data/scores.ts';
import userConfig from '../../tend.config.ts';
import { dailyUsage } from '../support/daily-usage.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const DAY = 86_400_000;
const start = Date.parse('2026-04-06T00:00:00Z');
const ID = 'listed-1';

/**
 * The score order's entry is the score item itself: its one write moves it. The other three
 * entries are written, before the score, only when band or flags changed, and the score item
 * records what they hold (`lst`); a lost race or a failed entry write leaves the item vouching
 * for nothing, so the next score writes all of them.
 */
describe('score writes and the list entries they move', () => {
  let rt: TestRuntime;
  const modelFor = modelResolver(parseConfig(userConfig).scoreModel);
  let writer: ListEntryWriter;
  let scores: ReturnType<typeof scoreRepo>;
  const scoreItem = async () => (await rt.items(ID, keys.score(ID).sk))[0]!;
  /** The account's four entries: three of their own, and the score item (the score order's). */
  const entries = async (): Promise<Record<string, Record<string, unknown>>> => ({
    ...Object.fromEntries((await rt.items(ID, 'LIST#')).map((e) => [String(e.sk).slice(5), e])),
    score: await scoreItem(),
  });
  /** UpdateItems: the score item's write is one. */
  const updates = () => rt.dynamo.operations.UpdateItem ?? 0;
  /** The stored score moved to `at`, with changes. */
  const next = async (at: number, change: Partial<StoredScore>): Promise<StoredScore> => ({
    ...(await scores.get(ID))!,
    computedAt: new Date(at).toISOString(),
    ...change,
  });

  /** The listed account as POST /v1/accounts takes it, under `name`. */
  const listedAccount = (name: string) => ({
    id: ID,
    name,
    seats: 4,
    arr: 12_000,
    startDate: new Date(start - 400 * DAY).toISOString(),
    paymentStatus: 'current',
    primaryContact: { email: 'cs@listed.example' },
  });

  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true, schedules: true });
    const res = await rt.request('POST', '/v1/accounts', listedAccount('Listed One'));
    expect(res.status).toBe(201);
    expect((await rt.request('POST', '/v1/events', { events: dailyUsage(ID, start, 0, 3) })).status).toBe(202);
    rt.clock.advanceTo(start + 7 * 3_600_000);
    await rt.idle();
    writer = listEntryWriter(rt.db, rt.tableName);
    scores = scoreRepo(rt.db, rt.tableName, modelFor, { listEntries: writer });
  }, 120_000);
  afterAll(() => rt?.stop());

  it('the scoring run records what the entries hold, and they hold it', async () => {
    const item = await scoreItem();
    const stored = (await scores.get(ID))!;
    expect(item.lst).toBe(scoreListing(stored));
    const e = await entries();
    expect(e.score!.gsi2sk).toBe(`${stored.score!.toFixed(2).padStart(6, '0')}\u0001${ID}`);
    for (const order of ['name', 'arr', 'score', 'renewalDate']) expect(e[order]).toMatchObject({ band: stored.band, risk: expect.any(Boolean) });
  });

  it('writes the score item alone when band and flags did not change, its entry keys moved with it when the score did', async () => {
    let item = await scoreItem();
    const same = await next(start + DAY, {});
    let before = updates();
    expect(await scores.put(same, { previousComputedAt: String(item.computedAt), listing: String(item.lst) })).toBe(true);
    expect(updates() - before).toBe(1);
    expect(await scoreItem()).toMatchObject({ gsi2pk: item.gsi2pk, gsi2sk: item.gsi2sk, computedAt: same.computedAt });

    item = await scoreItem();
    const was = await entries();
    const moved = await next(start + 2 * DAY, { score: (same.score ?? 0) + 1 });
    before = updates();
    expect(await scores.put(moved, { previousComputedAt: String(item.computedAt), listing: String(item.lst) })).toBe(true);
    expect(updates() - before).toBe(1);
    const now = await entries();
    expect(now.score!.gsi2sk).toBe(`${moved.score!.toFixed(2).padStart(6, '0')}\u0001${ID}`);
    expect(now.name).toEqual(was.name);
    expect((await scoreItem()).lst).toBe(scoreListing(moved));

    item = await scoreItem();
    const flagged = await next(start + 3 * DAY, { flags: { ...moved.flags, 'usage-drop': { kind: 'risk', since: new Date(start).toISOString() } } as never });
    before = updates();
    expect(await scores.put(flagged, { previousComputedAt: String(item.computedAt), listing: String(item.lst) })).toBe(true);
    expect(updates() - before).toBe(4);
    for (const e of Object.values(await entries())) expect(e).toMatchObject({ flags: expect.arrayContaining(['usage-drop']), risk: true });
    // The score's own flags, with when each started, stay on the item beside the list's names.
    expect((await scores.get(ID))!.flags).toHaveProperty('usage-drop');
  });

  it('a lost race leaves the item vouching for nothing, and the next score writes all four entries', async () => {
    const item = await scoreItem();
    const loser = await next(start + 4 * DAY, { score: 3, flags: {} });
    expect(await scores.put(loser, { previousComputedAt: 'an older score', listing: String(item.lst) })).toBe(false);
    const after = await scoreItem();
    expect(after.computedAt).toBe(item.computedAt);
    expect(after.lst).toBeUndefined();
    // The entries may hold the loser's score now; the next write (its listing unknown) puts all four right.
    const winner = await next(start + 5 * DAY, {});
    const before = updates();
    expect(await scores.put(winner, { previousComputedAt: String(after.computedAt), listing: undefined })).toBe(true);
    expect(updates() - before).toBe(4);
    const e = await entries();
    expect(e.score!.gsi2sk).toBe(`${winner.score!.toFixed(2).padStart(6, '0')}\u0001${ID}`);
    for (const entry of Object.values(e)) expect(entry.flags).toEqual(Object.keys(winner.flags).sort());
    expect((await scoreItem()).lst).toBe(scoreListing(winner));
  });

  it('a failed entry write stores no score and leaves the item vouching for nothing', async () => {
    const item = await scoreItem();
    const failing = scoreRepo(rt.db, rt.tableName, modelFor, {
      listEntries: {
        ...writer,
        scoreChanged: async () => {
          throw new Error('throttled');
        },
      },
    });
    const score = await next(start + 6 * DAY, { score: 1 });
    await expect(failing.put(score, { previousComputedAt: String(item.computedAt), listing: String(item.lst) })).rejects.toThrow('throttled');
    const after = await scoreItem();
    expect(after.computedAt).toBe(item.computedAt);
    expect(after.lst).toBeUndefined();
  });

  it('a score put that fails after its entries were written leaves the item vouching for nothing', async () => {
    // Vouching again first: a write that lists everything afresh.
    let item = await scoreItem();
    await scores.put(await next(start + 6 * DAY + 3_600_000, { score: 7 }), { previousComputedAt: String(item.computedAt), listing: undefined });
    item = await scoreItem();
    expect(item.lst).toBeDefined();
    // The entries move; then the score item's write times out (throttled past its retries, the Lambda killed...).
    const scoreWrite = (command: unknown) => command instanceof UpdateCommand && String(command.input.ConditionExpression).includes('#computedAt');
    const failingPut = {
      send: (command: unknown) => (scoreWrite(command) ? Promise.reject(new Error('timed out')) : rt.db.send(command as never)),
    } as unknown as DynamoDBDocumentClient;
    const failing = scoreRepo(failingPut, rt.tableName, modelFor, { listEntries: listEntryWriter(failingPut, rt.tableName) });
    const flagged = await next(start + 6 * DAY + 7_200_000, {
      score: 2,
      flags: { 'usage-drop': { kind: 'risk', since: new Date(start).toISOString() } } as never,
    });
    await expect(failing.put(flagged, { previousComputedAt: String(item.computedAt), listing: String(item.lst) })).rejects.toThrow('timed out');
    const after = await scoreItem();
    expect(after.computedAt).toBe(item.computedAt);
    // Without this, a next score listed as the old one would write nothing and leave the flagged entries standing.
    expect(after.lst).toBeUndefined();
  });

  it("an account's score item holds its list entry before its first score, and account writes change only the account's fields", async () => {
    const res = await rt.request('POST', '/v1/accounts', {
      id: 'listed-2',
      name: 'Listed Two',
      seats: 2,
      startDate: new Date(start).toISOString(),
      primaryContact: { email: 'cs@listed2.example' },
    });
    expect(res.status).toBe(201);
    const [stub] = await rt.items('listed-2', keys.score('listed-2').sk);
    expect(stub).toMatchObject({ gsi2pk: expect.stringMatching(/^LIST#score#1#/), gsi2sk: 'listed-2', band: 'unscored', nm: 'listed two' });
    expect(stub!.computedAt).toBeUndefined();
    expect(await scores.get('listed-2')).toBeUndefined();

    const item = await scoreItem();
    const renamed = await rt.request('POST', '/v1/accounts', listedAccount('Listed Renamed'));
    expect(renamed.status).toBe(200);
    const after = await scoreItem();
    expect(after).toMatchObject({ nm: 'listed renamed', score: item.score, computedAt: item.computedAt, gsi2sk: item.gsi2sk });
    expect(after.lst).toBe(item.lst);
  });

  it("a first score of an account whose entry was never written (before the backfill) lists it with the account's fields as read", async () => {
    const id = 'listed-3';
    const account = { id, name: 'Listed Three', segment: 'tech-touch', startDate: new Date(start).toISOString(), owner: 'kim' } as Account;
    const first = { ...(await next(start + 8 * DAY, { score: 55 })), accountId: id };
    expect(await scores.put(first, { previousComputedAt: undefined, listing: undefined, account })).toBe(true);
    const [item] = await rt.items(id, keys.score(id).sk);
    expect(item).toMatchObject({ nm: 'listed three', own: 'kim', gsi2sk: `055.00\u0001${id}`, computedAt: first.computedAt });
    // A second first score (a retry that read no item) is refused: the item holds a score now.
    expect(await scores.put({ ...first, score: 60 }, { previousComputedAt: undefined, listing: undefined, account })).toBe(false);
    expect((await scores.get(id))!.score).toBe(55);
  });

  it('a retried write of a score that landed changes nothing the list shows', async () => {
    let item = await scoreItem();
    // The item vouches for nothing after the failure above: this write puts all four right.
    const score = await next(start + 7 * DAY, { score: 42 });
    const attempt = { previousComputedAt: String(item.computedAt), listing: item.lst === undefined ? undefined : String(item.lst) };
    expect(await scores.put(score, attempt)).toBe(true);
    const listed = await entries();
    item = await scoreItem();
    // The same write again (a retry that read the item before its first attempt landed): refused, the entries as they were.
    expect(await scores.put(score, attempt)).toBe(false);
    expect(await entries()).toEqual(listed);
    expect((await scoreItem()).computedAt).toBe(item.computedAt);
    expect(listed.score!.gsi2sk).toBe(`042.00\u0001${ID}`);
  });
});
