import { describe, expect, it } from 'vitest';
import { changesCsv, csv, textTable } from '../../cli/metrics/format.ts';
import { changesSince } from '../../functions/core/metrics/changes.ts';
import { presetModel } from '../../functions/core/score/presets/index.ts';

describe('tend metrics output', () => {
  it('pads columns to their widest cell, numbers to the right, empty cells as a dash', () => {
    expect(
      textTable(
        ['account', 'ARR', 'band'],
        [
          ['acme', '1,200', 'red'],
          ['globex-long', '30', null],
        ],
      ),
    ).toBe(['account        ARR  band', '-----------  -----  ----', 'acme         1,200  red', 'globex-long     30  -'].join('\n'));
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
  ])('CSV quotes %j as %j', (cell, out) => {
    expect(csv(['x'], [[cell]])).toBe(`x\n${out}`);
  });

  it('gives every change one CSV row naming what changed', () => {
    const changes = changesSince(
      [
        {
          accountId: 'a',
          arr: 100,
          segment: 'tech-touch',
          renewalDate: '2026-08-05',
          score: {
            score: 30,
            tier: 'red',
            band: 'red',
            recent: [
              { day: '2026-05-03', score: 70 },
              { day: '2026-05-11', score: 30 },
            ],
            flags: {},
          },
        },
      ],
      {
        since: new Date('2026-05-04T00:00:00Z'),
        now: new Date('2026-05-11T09:00:00Z'),
        top: 5,
        renewalWindowDays: 90,
        modelFor: () => presetModel('seed-002'),
      },
    );
    const rows = changesCsv(changes).split('\n');
    expect(rows[0]).toBe('change,account,arr,from,to,scoreThen,score,delta,flag,since,clearedAt,renewalDate');
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['turned-red', 'tier-drop', 'mover-down', 'renewal-entering']);
    expect(rows[1]).toBe('turned-red,a,100,yellow,red,70,30,,,,,');
  });
});
