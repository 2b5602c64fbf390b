import { describe, expect, it } from 'vitest';
import { accountOfMark, DIRTY_MARGIN_MS, markBucket } from '../../functions/data/dirty.ts';
import { keys } from '../../functions/data/keys.ts';

describe("rescoring marks' hour buckets (data/dirty.ts)", () => {
  it.each([
    ['2026-05-04T10:00:00.000Z', '2026-05-04T10'],
    ['2026-05-04T10:54:59.999Z', '2026-05-04T10'],
    // Within the margin of the hour's end: the next hour's bucket, so no write lands in a bucket a rescoring at 11:00 reads.
    ['2026-05-04T10:55:00.000Z', '2026-05-04T11'],
    ['2026-05-04T23:58:00.000Z', '2026-05-05T00'],
  ])('a mark written at %s goes to the bucket %s', (at, bucket) => {
    expect(markBucket(new Date(at))).toBe(bucket);
  });

  it('puts every write of a bucket at least the margin before the hour it is named after ends', () => {
    for (let t = Date.parse('2026-05-04T00:00:00Z'); t < Date.parse('2026-05-05T00:00:00Z'); t += 17_000) {
      const bucket = markBucket(new Date(t));
      const end = Date.parse(`${bucket}:00:00Z`) + 3_600_000;
      expect(end - t).toBeGreaterThanOrEqual(DIRTY_MARGIN_MS);
    }
  });

  it.each([
    [keys.dirty('acct-7', '2026-05-04T10').sk, 'acct-7'],
    [keys.dirty('a#b', '2026-05-04T10').sk, 'a#b'],
    // A mark of the former layout: the account id alone.
    ['acct-7', 'acct-7'],
  ])('reads the account of the mark %s', (sk, account) => {
    expect(accountOfMark(sk)).toBe(account);
  });

  it("sorts the day's scored-today records before every mark, and marks from the marks' first key", () => {
    const record = keys.scoredToday('2026-05-04', 3, '2026-05-04T10:00:00.000Z', 'id').sk;
    const mark = keys.dirty('acct-7', '2026-05-04T10').sk;
    expect(record < keys.dirtyMarksFrom).toBe(true);
    expect(mark >= keys.dirtyMarksFrom).toBe(true);
    expect(record >= keys.scoredTodayFrom('2026-05-04')).toBe(true);
    expect(keys.scoredToday('2026-05-03', 3, '2026-05-03T10:00:00.000Z', 'id').sk < keys.scoredTodayFrom('2026-05-04')).toBe(true);
  });
});
