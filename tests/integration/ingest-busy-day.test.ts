import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';
import { ttlIn } from '../../functions/data/items.ts';
import { keys } from '../../functions/data/keys.ts';
import { DAY_CLAIMS, eventHash } from '../../functions/data/usage-claims.ts';
import { claimOverflow, NODE_CLAIMS } from '../../functions/data/usage-overflow.ts';
import { usageRepo } from '../../functions/data/usage.ts';

/**
 * A busy account-day: more ids than the day item claims itself (DAY_CLAIMS), so the day closes
 * and further claims go to shard items. Replays, racing batches, racing single events and changed
 * bodies must leave the rollup a clean delivery gives, each id accepted exactly once.
 */
type Event = { id: string; accountId: string; userId: string; name: string; timestamp: string; properties: Record<string, unknown> };
type Answer = { status: number; body?: { accepted: number; duplicates: number; results: { id: string; status: string }[] } };

const DAY = '2026-03-02';
const EVENTS = 3 * DAY_CLAIMS + 17;
const SETS = ['users', 'features', 'userFeatures', 'sessions', 'sessionSeconds', 'departments', 'apiUsers', 'trainings'];

function original(accountId: string): Event[] {
  return Array.from({ length: EVENTS }, (_, i) => ({
    id: `busy-${i}`,
    accountId,
    userId: `u${i % 40}`,
    name: i % 37 === 0 ? 'training.completed' : 'feature_used',
    timestamp: `${DAY}T${String(i % 24).padStart(2, '0')}:00:00Z`,
    properties: i % 37 === 0 ? { course: `course-${i}` } : { feature: `f${i % 9}`, sessionId: `s${i % 30}`, durationSeconds: 10 * (i % 7) },
  }));
}

const changed = (e: Event, k: number): Event => ({
  ...e,
  userId: `intruder-${k}`,
  name: 'training.completed',
  properties: { feature: `feature-x${k}`, sessionId: `changed-${k}`, course: `course-x${k}`, department: `dept-${k}` },
});

describe('a busy account-day (claims past the day item) on the local runtime', () => {
  let rt: TestRuntime;
  const post = (events: Event[]) => rt.request('POST', '/v1/events', { events }) as Promise<Answer>;
  const rollup = async (accountId: string, day = DAY) => {
    const [item] = await rt.items(accountId, keys.usageDay(accountId, day).sk);
    return Object.fromEntries(SETS.map((k) => [k, [...((item?.[k] as Set<string> | undefined) ?? [])].sort()]));
  };
  const claimCount = async (accountId: string, day = DAY) => {
    const [frozen] = await rt.items(accountId, keys.usageFrozenClaims(accountId, day).sk);
    const shards = await rt.items(accountId, `CLAIMS#${day}#`);
    return (frozen!.ids as Set<string>).size + shards.reduce((n, s) => n + Object.keys(s).filter((k) => /^c[A-Za-z0-9_-]{11}$/.test(k)).length, 0);
  };

  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(`${DAY}T23:30:00Z`) });
    for (const id of ['clean', 'storm', 'single', 'crash', 'stale'])
      expect((await rt.request('POST', '/v1/accounts', { id, name: id, primaryContact: { email: `cs@${id}.example` } })).status).toBe(201);
    expect((await post(original('clean'))).body).toMatchObject({ accepted: EVENTS, duplicates: 0 });
  });
  afterAll(() => rt?.stop());

  it('closes the day item at its claim limit and claims the rest in shards, once each', async () => {
    const [day] = await rt.items('clean', keys.usageDay('clean', DAY).sk);
    expect(day!.closed).toBe(true);
    // Its claims moved out when it closed: the day's later writes and the scorer do not carry them.
    expect(day!.ids).toBeUndefined();
    const [frozen] = await rt.items('clean', keys.usageFrozenClaims('clean', DAY).sk);
    expect((frozen!.ids as Set<string>).size).toBeLessThanOrEqual(DAY_CLAIMS);
    expect(await claimCount('clean')).toBe(EVENTS);
    expect((await rollup('clean')).users).toHaveLength(40);
  });

  it('counts each id once across racing batches, racing single events and changed bodies', async () => {
    const storm = original('storm');
    const batches = Array.from({ length: 6 }, (_, r) => [...storm, ...storm].slice(r * 70, r * 70 + 2 * DAY_CLAIMS));
    const singles = storm.filter((_, i) => i % 5 === 0).map((e) => [e]);
    const tampered = storm.filter((_, i) => i % 4 === 1).map((e, k) => [changed(e, k)]);
    const rounds = [
      [...batches, ...singles.slice(0, 30)],
      [...tampered, ...singles.slice(30), storm],
      [storm, ...singles.slice(0, 10)],
    ];
    const sent: Event[][] = [];
    const answers: Answer[] = [];
    for (const round of rounds) {
      sent.push(...round);
      answers.push(...(await Promise.all(round.map(post))));
    }
    for (const a of answers) expect(a.status).toBe(202);
    const accepted = new Map<string, number>();
    answers.forEach(({ body }, k) =>
      body!.results.forEach((r, i) => r.status === 'accepted' && accepted.set(sent[k]![i]!.id, (accepted.get(sent[k]![i]!.id) ?? 0) + 1)),
    );
    // Changed bodies of ids never delivered before would count; here each id's first body is the original.
    expect(accepted.size).toBe(EVENTS);
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);
    expect(await rollup('storm')).toEqual(await rollup('clean'));
    expect(await claimCount('storm')).toBe(EVENTS);
    expect(JSON.stringify(await rt.items('storm'), (_, v) => (v instanceof Set ? [...v] : v))).not.toMatch(/intruder|feature-x|changed-|dept-|course-x/);
  });

  it('single events on a closed day each write one claim node of at most NODE_CLAIMS claims, and the rollup', async () => {
    const events = original('single');
    await post(events.slice(0, 2 * DAY_CLAIMS));
    for (const e of events.slice(2 * DAY_CLAIMS)) expect((await post([e])).body).toMatchObject({ accepted: 1 });
    const nodes = await rt.items('single', `CLAIMS#${DAY}#`);
    expect(nodes.length).toBeGreaterThan(4);
    for (const node of nodes) expect(Object.keys(node).filter((k) => /^c[A-Za-z0-9_-]{11}$/.test(k)).length).toBeLessThanOrEqual(NODE_CLAIMS);
    expect(await rollup('single')).toEqual(await rollup('clean'));
  });

  it('loses nothing after a crash between a shard claim and the rollup write: the same body replayed adds it', async () => {
    const events = original('crash');
    await post(events.slice(0, 2 * DAY_CLAIMS));
    // The claims of the rest landed, then the function died before the rollup write.
    const rest = events.slice(2 * DAY_CLAIMS);
    const claims = await claimOverflow(rt.db, rt.tableName, 'crash', DAY, ttlIn(new Date(DAY), 400), rest);
    expect(claims.claimed).toHaveLength(rest.length);
    const retry = await post(rest);
    expect(retry.body).toMatchObject({ accepted: 0, duplicates: rest.length });
    expect(await rollup('crash')).toEqual(await rollup('clean'));
    // A changed body under a claimed id still adds nothing.
    await post(rest.map((e, k) => changed(e, k)));
    expect(await rollup('crash')).toEqual(await rollup('clean'));
  });

  it("recovers when a day it saw closed was replaced (the container's hint is wrong): closes it again and counts once", async () => {
    const usage = usageRepo(rt.db, rt.tableName);
    const events = original('stale').map((e) => ({ ...e, timestamp: '2026-03-03T10:00:00Z' }));
    expect(await usage.record('stale', '2026-03-03', events.slice(0, 2 * DAY_CLAIMS))).toHaveLength(2 * DAY_CLAIMS);
    // The day item vanishes (a restore, a hand edit) while this process remembers it closed.
    await rt.db.send(new DeleteCommand({ TableName: rt.tableName, Key: keys.usageDay('stale', '2026-03-03') }));
    const more = events.slice(2 * DAY_CLAIMS, 2 * DAY_CLAIMS + 20);
    expect(await usage.record('stale', '2026-03-03', more)).toHaveLength(20);
    const [day] = await rt.items('stale', keys.usageDay('stale', '2026-03-03').sk);
    expect(day!.closed).toBe(true);
    expect([...(day!.users as Set<string>)].sort()).toEqual([...new Set(more.map((e) => e.userId))].sort());
  });

  it('finishes a move of frozen claims a crash interrupted: the day closed with its claims still on it', async () => {
    const events = original('stale').map((e) => ({ ...e, id: `moved-${e.id}`, timestamp: '2026-03-05T10:00:00Z' }));
    const key = keys.usageDay('stale', '2026-03-05');
    await rt.db.send(
      new PutCommand({
        TableName: rt.tableName,
        Item: { ...key, day: '2026-03-05', closed: true, ids: new Set(events.slice(0, 10).map((e) => eventHash(e.id))) },
      }),
    );
    // A fresh repository, as in another container: no hint that the day is closed.
    expect((await usageRepo(rt.db, rt.tableName).record('stale', '2026-03-05', events.slice(0, 30))).sort()).toEqual(
      events
        .slice(10, 30)
        .map((e) => e.id)
        .sort(),
    );
    const [day] = await rt.items('stale', key.sk);
    expect(day!.ids).toBeUndefined();
    const [frozen] = await rt.items('stale', keys.usageFrozenClaims('stale', '2026-03-05').sk);
    expect((frozen!.ids as Set<string>).size).toBe(10);
  });

  it('past the first level of nodes: full nodes close and hand their ids to their children, each id still counted once', async () => {
    const usage = usageRepo(rt.db, rt.tableName);
    const day = '2026-03-06';
    const many = Array.from({ length: 700 }, (_, i) => ({ ...original('stale')[i % EVENTS]!, id: `deep-${i}`, timestamp: `${day}T10:00:00Z` }));
    const firsts = await Promise.all(Array.from({ length: 7 }, (_, b) => usage.record('stale', day, many.slice(b * 100, b * 100 + 100))));
    expect(firsts.flat().sort()).toEqual(many.map((e) => e.id).sort());
    // The whole day again, racing itself: nothing counts twice.
    const replays = await Promise.all([usage.record('stale', day, many), usageRepo(rt.db, rt.tableName).record('stale', day, many.slice(300))]);
    expect(replays.flat()).toEqual([]);
    const nodes = await rt.items('stale', `CLAIMS#${day}#`);
    const paths = nodes.map((n) => String(n.sk).slice(`CLAIMS#${day}#`.length)).filter((p) => p !== 'frozen');
    expect(paths.some((p) => p.includes('.'))).toBe(true);
    for (const node of nodes) {
      const claims = Object.keys(node).filter((k) => /^c[A-Za-z0-9_-]{11}$/.test(k)).length;
      expect(claims).toBeLessThanOrEqual(NODE_CLAIMS);
      // A node with children is closed: ids pass through it only when it was full.
      const path = String(node.sk).slice(`CLAIMS#${day}#`.length);
      if (paths.some((p) => p.startsWith(`${path}.`))) expect(node.closed).toBe(true);
    }
    expect(await claimCount('stale', day)).toBe(700);
  });
});
