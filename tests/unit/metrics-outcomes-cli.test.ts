import { describe, expect, it } from 'vitest';
import { outcomesCsv, outcomesText } from '../../cli/metrics/outcomes-format.ts';
import { countSends } from '../../functions/core/metrics/email-outcomes.ts';
import { countByCombo, groupsOfCut } from '../../functions/core/metrics/outcome-cuts.ts';
import { groupOutcomeFigures, outcomeFigures } from '../../functions/core/metrics/outcomes.ts';
import { withGroups } from '../../functions/data/outcome-figures.ts';
import { periodOf } from '../../functions/core/metrics/period.ts';
import { countPlays } from '../../functions/core/metrics/plays.ts';
import { ACCOUNT_GROUPS, RUNS, SENDS, TASKS } from './support/outcomes-book.ts';

const q1 = outcomeFigures(periodOf('2026-Q1'), ['2026-01', '2026-02', '2026-03'], {
  plays: [countPlays(RUNS, TASKS, periodOf('2026-Q1'))],
  email: [countSends(SENDS, periodOf('2026-Q1'))],
});

describe('tend metrics outcomes output', () => {
  it('CSV: one figure a row, every count and rate', () => {
    const rows = outcomesCsv(q1).split('\n');
    expect(rows[0]).toBe('section,name,figure,value');
    expect(rows).toContain('play,save,started,4');
    expect(rows).toContain('play,save,exit:recovered,1');
    expect(rows).toContain(`play,save,saveRate,${2 / 3}`);
    expect(rows).toContain('email,welcome,sent,3');
    expect(rows).toContain(`email,welcome,openedRate,${2 / 3}`);
    expect(rows).toContain('onboarding,onboarding,pending,1');
    // A rate of nothing is empty, not 0.
    expect(rows).toContain('play,onboarding,onTimeRate,');
  });

  it('text: the play and template tables and the onboarding line', () => {
    const text = outcomesText(q1);
    expect(text).toMatch(/^save\s+4\s+0\s+0\s+3\s+1\s+0\s+0\.0%\s+66\.7%\s+2\s+100\.0%\s+churned 1, recovered 1, renewed 1$/m);
    expect(text).toMatch(/^welcome\s+3\s+2\s+66\.7%\s+1\s+33\.3%\s+0\s+0\.0%\s+0\s+1\s+33\.3%\s+0\s+0\.0%$/m);
    expect(text).toContain('Onboarding: 4 started, 2 completed, 1 ended early (churned 1), 1 under way: completion 66.7%');
  });

  it('with a cut: a group column (all, then each group) in CSV, and each group’s tables after the whole book’s', () => {
    const grouped = { runs: withGroups(RUNS, ACCOUNT_GROUPS), tasks: withGroups(TASKS, ACCOUNT_GROUPS), sends: withGroups(SENDS, ACCOUNT_GROUPS) };
    const byOwner = {
      ...q1,
      cut: 'owner' as const,
      groups: groupOutcomeFigures(q1.period, q1.months, 'owner', [groupsOfCut(countByCombo(grouped, periodOf('2026-Q1')), 'owner')]),
    };
    const rows = outcomesCsv(byOwner).split('\n');
    expect(rows[0]).toBe('group,section,name,figure,value');
    expect(rows).toContain('all,play,save,started,4');
    expect(rows).toContain('bea,play,save,started,2');
    expect(rows).toContain('sam,email,welcome,clicked,1');
    const text = outcomesText(byOwner);
    expect(text).toContain('── owner bea (');
    expect(text).toContain('Onboarding: 2 started, 1 completed, 1 ended early (churned 1), 0 under way: completion 50.0%');
  });
});
