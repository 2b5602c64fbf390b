import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';
import { ttlIn } from '../../functions/data/items.ts';
import { keys } from '../../functions/data/keys.ts';
import { claimAndRecord } from '../../functions/data/usage-claims.ts';
import { rollupOf } from '../../functions/data/usage-rollup.ts';
import { usageRepo } from '../../functions/data/usage.ts';

/**
 * Replay storm through the bundled API on the local runtime: the same ids replayed, racing
 * batches with overlapping ids, and replays whose body (user, feature, properties) changed. The
 * storm's rollup must be the one a single clean delivery gives, and each id accepted exactly once.
 */
type Event = { id: string; accountId: string; userId: string; name: string; timestamp: string; properties: Record<string, unknown> };
type Answer = { status: number; body?: { accepted: number; duplicates: number; results: { id: string; status: string }[] } };

const DAY = '2026-03-02';
const ACCOUNTS = 3;
const EVENTS = 60;
const features = ['reports', 'alerts', 'dashboards', 'exports', 'sharing'];

/** The events of one account as first sent: 10 users, 5 features, sessions, API use, two trainings. */
function original(accountId: string): Event[] {
  return Array.from({ length: EVENTS }, (_, i) => ({
    id: `ev-${i}`,
    accountId,
    userId: `u${i % 10}`,
    name: i % 17 === 0 ? 'training.completed' : i % 13 === 0 ? 'api.export' : 'feature_used',
    timestamp: `${DAY}T${String(8 + (i % 10)).padStart(2, '0')}:00:00Z`,
    properties:
      i % 17 === 0 ? { course: `course-${i}` } : { feature: features[(i * 7) % features.length], sessionId: `s${i % 4}`, durationSeconds: 60 * (i % 5) },
  }));
}

/** The same id with another body: another user, feature, session, department and course. */
const changed = (e: Event, k: number): Event => ({
  ...e,
  userId: `intruder-${k}`,
  name: k % 2 ? 'training.completed' : 'api.changed',
  properties: { feature: `feature-${k}`, sessionId: `changed-${k}`, durationSeconds: 9999, department: `dept-${k}`, course: `course-x${k}`, source: 'api' },
});

/** A fixed permutation, so the storm is the same every run. */
const shuffled = <T>(xs: T[], seed: number) =>
  xs
    .map((x, i) => ({ x, k: (i * 7919 + seed * 104729) % 9973 }))
    .sort((a, b) => a.k - b.k)
    .map((p) => p.x);

describe('ingest replay storm on the local runtime', () => {
  let rt: TestRuntime;
  const post = (events: Event[]) => rt.request('POST', '/v1/events', { events }) as Promise<Answer>;
  const day = async (accountId: string) => {
    const [item] = await rt.items(accountId, keys.usageDay(accountId, DAY).sk);
    const sorted = (k: string) => [...((item?.[k] as Set<string> | undefined) ?? [])].sort();
    return Object.fromEntries(['users', 'features', 'userFeatures', 'sessions', 'sessionSeconds', 'departments', 'apiUsers'].map((k) => [k, sorted(k)]));
  };
  const trainings = async (accountId: string) =>
    [...(((await rt.items(accountId, keys.account(accountId).sk))[0]?.trainingsCompleted as Set<string> | undefined) ?? [])].sort();

  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(`${DAY}T20:00:00Z`) });
    for (let a = 0; a < ACCOUNTS; a++) {
      for (const id of [`clean-${a}`, `storm-${a}`])
        expect((await rt.request('POST', '/v1/accounts', { id, name: id, primaryContact: { email: `cs@${id}.example` } })).status).toBe(201);
    }
    // The reference: one clean delivery.
    for (let a = 0; a < ACCOUNTS; a++) expect((await post(original(`clean-${a}`))).body).toMatchObject({ accepted: EVENTS, duplicates: 0 });
  });
  afterAll(() => rt?.stop());

  it('counts each id once across racing batches, replays and changed bodies; the rollup is the clean one', async () => {
    const storm = Array.from({ length: ACCOUNTS }, (_, a) => original(`storm-${a}`));
    const answers: Answer[] = [];
    // 1. Racing batches with overlapping ids: each of 8 concurrent requests carries 30 of an
    //    account's 60 events (every id in 4 of them), over all accounts, in its own order.
    const racing = Array.from({ length: 8 }, (_, r) =>
      shuffled(
        storm.flatMap((events) => [...events, ...events].slice(r * 15, r * 15 + 30)),
        r,
      ),
    );
    answers.push(...(await Promise.all(racing.map(post))));
    // 2. The same ids again with changed bodies, racing each other and plain replays.
    const tampered = Array.from({ length: 4 }, (_, r) =>
      shuffled(
        storm.flat().map((e, i) => (i % 3 === r % 3 ? changed(e, r) : e)),
        r + 10,
      ),
    );
    answers.push(...(await Promise.all(tampered.map(post))));
    // 3. A whole replay; a known id twice in one request, with another body, then another hour.
    const twice = [changed(storm[0]![0]!, 7), { ...storm[0]![0]!, timestamp: `${DAY}T23:00:00Z` }];
    answers.push(await post(storm.flat()));
    answers.push(await post(twice));

    for (const answer of answers) expect(answer.status).toBe(202);
    // Per account and id, the acceptances over every request: exactly one.
    const counts = new Map<string, number>();
    const sent = [...racing, ...tampered, storm.flat(), twice];
    answers.forEach(({ body }, k) =>
      body!.results.forEach(
        (r, i) => r.status === 'accepted' && counts.set(`${sent[k]![i]!.accountId}/${r.id}`, (counts.get(`${sent[k]![i]!.accountId}/${r.id}`) ?? 0) + 1),
      ),
    );
    expect(counts.size).toBe(ACCOUNTS * EVENTS);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(answers.reduce((s, a) => s + a.body!.accepted, 0)).toBe(ACCOUNTS * EVENTS);

    for (let a = 0; a < ACCOUNTS; a++) {
      expect(await day(`storm-${a}`)).toEqual(await day(`clean-${a}`));
      expect(await trainings(`storm-${a}`)).toEqual(await trainings(`clean-${a}`));
      // Nothing of the changed bodies anywhere.
      expect(JSON.stringify(await rt.items(`storm-${a}`), (_, v) => (v instanceof Set ? [...v] : v))).not.toMatch(
        /intruder|feature-\d|changed-|dept-|course-x/,
      );
      // The claims live in the rollup item: no item per event.
      expect(await rt.items(`storm-${a}`, 'EVENT#')).toEqual([]);
    }
    const [clean] = await rt.items('clean-0', keys.usageDay('clean-0', DAY).sk);
    expect((clean!.users as Set<string>).size).toBe(10);
    expect((clean!.ids as Set<string>).size).toBe(EVENTS);
  });

  it('answers a replayed Segment track with a changed body duplicate, and adds nothing of it', async () => {
    const track = (properties: Record<string, unknown>, userId = 'seg-user') => ({
      type: 'track',
      messageId: 'seg-msg-1',
      event: 'feature_used',
      userId,
      timestamp: `${DAY}T12:00:00Z`,
      context: { groupId: 'clean-0' },
      properties,
    });
    const first = await rt.request('POST', '/v1/segment', track({ feature: 'reports' }));
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 0 });
    const replay = await rt.request('POST', '/v1/segment', track({ feature: 'seg-other-feature' }, 'seg-intruder'));
    expect(replay.body).toMatchObject({ accepted: 0, duplicates: 1 });
    const { users, features: used } = await day('clean-0');
    expect(users).toContain('seg-user');
    expect(users).not.toContain('seg-intruder');
    expect(used).not.toContain('seg-other-feature');
  });

  it('resolves concurrent writes of overlapping ids to the same item: each id returned to exactly one writer', async () => {
    const usage = usageRepo(rt.db, rt.tableName);
    const events = original('storm-0').map((e) => ({ ...e, id: `race-${e.id}`, timestamp: '2026-03-04T10:00:00Z' }));
    const gets = rt.dynamo.operations.GetItem ?? 0;
    // 10 writers at once, each 20 of the 60 ids (every id in 3 or 4 of them): all but the first to
    // reach the item find some of their ids claimed, whatever the timing.
    const firsts = await Promise.all(
      Array.from({ length: 10 }, (_, w) => usage.record('storm-0', '2026-03-04', [...events, ...events].slice(w * 6, w * 6 + 20))),
    );
    expect(firsts.flat().sort()).toEqual(events.map((e) => e.id).sort());
    expect((rt.dynamo.operations.GetItem ?? 0) - gets).toBeGreaterThanOrEqual(9);
    const [item] = await rt.items('storm-0', keys.usageDay('storm-0', '2026-03-04').sk);
    expect((item!.ids as Set<string>).size).toBe(events.length);
  });

  it('after a crash between the usage write and the account write, the retry adds the completed training', async () => {
    await rt.request('POST', '/v1/accounts', { id: 'crashy', name: 'crashy', primaryContact: { email: 'cs@crashy.example' } });
    const training = {
      id: 't-1',
      accountId: 'crashy',
      userId: 'u1',
      name: 'training.completed',
      timestamp: `${DAY}T10:00:00Z`,
      properties: { course: 'basics' },
    };
    // The usage write landed (claim and body), then the function died.
    await rt.db.send(claimAndRecord(rt.tableName, keys.usageDay('crashy', DAY), DAY, ttlIn(new Date(DAY), 400), [training], rollupOf([training])));
    const retry = await post([training]);
    expect(retry.body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await trainings('crashy')).toEqual(['u1|basics']);
  });
});
