import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bandOf } from '../../functions/core/score/compute.ts';
import { planOf } from '../../functions/core/plan.ts';
import { modelResolver } from '../../functions/core/score/presets/index.ts';
import { parseConfig } from '../../functions/core/config.ts';
import userConfig from '../../tend.config.ts';
import { dailyUsage } from '../support/daily-usage.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const DAY = 86_400_000;
const start = Date.parse('2026-04-06T00:00:00Z');
const modelFor = modelResolver(parseConfig(userConfig).scoreModel);
const dayAt = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * A small book scored daily for two weeks on the local runtime (busy, fading, idle, trial and
 * churned accounts). `whole.healthOverTime` of GET /v1/metrics, kept from the daily run's
 * per-shard tallies, equals a brute-force recomputation from the score items' daily history
 * (one Scan): per day, the accounts and ARR of each band and the average score.
 */
describe('metrics: health over time', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true, schedules: true });
    const accounts: [string, Record<string, unknown>, number][] = [
      ['busy-1', { arr: 40_000 }, 13],
      ['busy-2', { arr: 25_000, segment: 'high-touch' }, 13],
      ['fading-1', { arr: 12_000 }, 4],
      ['fading-2', { arr: 9_000 }, 7],
      ['idle', { arr: 6_000 }, -1],
      ['trial', { arr: 0, status: 'trial' }, 13],
      ['leaver', { arr: 15_000 }, 13],
    ];
    for (const [id, over, lastDay] of accounts) {
      const res = await rt.request('POST', '/v1/accounts', {
        id,
        name: `${id} Inc`,
        seats: 4,
        primaryContact: { email: `cs@${id}.example` },
        startDate: '2025-10-01T00:00:00Z',
        ...over,
      });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      if (lastDay >= 0) await rt.request('POST', '/v1/events', { events: dailyUsage(id, start - 14 * DAY, 0, 14 + lastDay) });
    }
    for (let d = 0; d <= 13; d++) {
      if (d === 6)
        await rt.request('POST', '/v1/accounts', {
          id: 'leaver',
          name: 'leaver Inc',
          seats: 4,
          primaryContact: { email: 'cs@leaver.example' },
          status: 'churned',
          arr: 15_000,
        });
      rt.clock.advanceTo(start + d * DAY + 7 * 3_600_000);
      await rt.idle();
    }
  }, 600_000);
  afterAll(() => rt?.stop());

  it('equals a recomputation from the score items, day by day', async () => {
    const items: Record<string, unknown>[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const out = await rt.db.send(new ScanCommand({ TableName: rt.tableName, ExclusiveStartKey: after }));
      items.push(...(out.Items ?? []));
      after = out.LastEvaluatedKey;
    } while (after);
    const profiles = new Map(items.filter((i) => i.sk === 'S#PROFILE').map((i) => [i.pk, i]));
    /** The brute-force series of the accounts `keep` selects (all by default), from the score items' daily history. */
    const expectedOf = (keep: (profile: Record<string, unknown>, score: Record<string, unknown>) => boolean = () => true) => {
      const expected = new Map<string, { bands: Record<string, { accounts: number; arr: number }>; sum: number; n: number }>();
      for (const s of items.filter((i) => i.sk === 'S#SCORE')) {
        const p = profiles.get(s.pk)!;
        if (!keep(p, s)) continue;
        const arr = p.status === 'trial' ? 0 : Number(p.arr ?? 0);
        const today = Date.parse(`${String(s.computedAt).slice(0, 10)}T00:00:00Z`);
        (s.history as (number | null)[]).forEach((score, i) => {
          if (score === null) return;
          const day = dayAt(today - i * DAY);
          const band = bandOf(modelFor(String(s.segment)), score) ?? 'unscored';
          const e = expected.get(day) ?? { bands: {}, sum: 0, n: 0 };
          const b = (e.bands[band] ??= { accounts: 0, arr: 0 });
          b.accounts++;
          b.arr += arr;
          e.sum += score;
          e.n++;
          expected.set(day, e);
        });
      }
      return expected;
    };
    type Day = { day: string; accounts: number; bands: Record<string, { accounts: number; arr: number }>; averageScore: number | null };
    const sameAs = (series: Day[], expected: ReturnType<typeof expectedOf>) => {
      for (const d of series) {
        const e = expected.get(d.day)!;
        const scoredBands = Object.fromEntries(Object.entries(d.bands).filter(([b, v]) => b !== 'unscored' && v.accounts > 0));
        expect({ day: d.day, bands: scoredBands, averageScore: d.averageScore }).toEqual({
          day: d.day,
          bands: e.bands,
          averageScore: Math.round((e.sum / e.n) * 10) / 10,
        });
        expect(d.accounts - (d.bands.unscored?.accounts ?? 0)).toBe(e.n);
      }
    };
    const expected = expectedOf();
    // Each group of each cut the daily run counts (segment, plan, owner) against the same recomputation over its accounts alone.
    const groupOf: Record<string, (p: Record<string, unknown>, s: Record<string, unknown>) => string> = {
      segment: (_, s) => String(s.segment),
      plan: (p) => planOf(p as never),
      owner: (p) => String(p.owner || 'none'),
    };
    for (const [cut, group] of Object.entries(groupOf)) {
      const byCut = await rt.request('GET', `/v1/metrics?period=2026-04&cut=${cut}`);
      expect(byCut.status).toBe(200);
      const groups = byCut.body!.groups as Record<string, { healthOverTime: Day[]; activation: unknown }>;
      expect(Object.keys(groups).length, cut).toBeGreaterThan(0);
      for (const [g, f] of Object.entries(groups)) {
        const mine = expectedOf((p, s) => group(p, s) === g);
        expect(
          f.healthOverTime.map((d) => d.day),
          `${cut} ${g}`,
        ).toEqual([...mine.keys()].filter((d) => d >= '2026-04-01').sort());
        sameAs(f.healthOverTime, mine);
        expect(f.activation).toEqual((f.healthOverTime.at(-1) as unknown as { activation: unknown } | undefined)?.activation ?? null);
      }
    }
    const res = await rt.request('GET', '/v1/metrics?period=2026-04');
    expect(res.status).toBe(200);
    const series = res.body!.whole.healthOverTime as {
      day: string;
      accounts: number;
      bands: Record<string, { accounts: number; arr: number }>;
      averageScore: number | null;
    }[];
    expect(series.map((d) => d.day)).toEqual([...expected.keys()].filter((d) => d >= '2026-04-01').sort());
    expect(series.length).toBe(14);
    sameAs(series, expected);
    // User activation as of the period's last counted day: the five live accounts with usage have four users each,
    // all seen within the 30-day window (the idle account knows nobody, the leaver is not counted).
    expect(res.body!.whole.activation).toEqual({ known: 20, active: 20, pooled: 1, meanOfAccounts: 1 });
    expect(res.body!.whole.activation).toEqual((series.at(-1) as unknown as { activation: unknown }).activation);
    // The leaver is counted while it was live, and not after it churned.
    expect(series[0]!.accounts).toBe(7);
    expect(series.at(-1)!.accounts).toBe(6);
    // The counts alone (a chart of several periods): the same figures, without the series and outcomes.
    const counts = await rt.request('GET', '/v1/metrics?period=2026-04&figures=counts');
    expect(counts.status).toBe(200);
    const { healthOverTime: _h, activation: _a, ...figures } = res.body!.whole;
    expect(counts.body!.whole).toEqual(figures);
    expect(counts.body).not.toHaveProperty('outcomes');
    const bad = await rt.request('GET', '/v1/metrics?period=2026-04&figures=all');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('figures');
  });
});
