import type { ArrHistory, ArrPoint } from '../../../functions/core/metrics/revenue.ts';

/**
 * The hand-computed fixture of docs/metrics.md: 12 accounts over the first three quarters of 2026
 * (ARR in thousands). Every expected figure below was worked out by hand from this table.
 */
const p = (at: string, arr: number, status: ArrPoint['status'] = 'active'): ArrPoint => ({ at, arr, status });
export const BOOK: ArrHistory[] = [
  { accountId: 'a01', points: [p('2025-06-01', 100)] },
  { accountId: 'a02', points: [p('2025-03-01', 200), p('2026-02-10', 260)] },
  { accountId: 'a03', points: [p('2025-01-01', 150), p('2026-03-05', 120)] },
  { accountId: 'a04', points: [p('2025-09-01', 80), p('2026-02-20', 80, 'churned')] },
  { accountId: 'a05', points: [p('2026-01-15', 50)] },
  { accountId: 'a06', points: [p('2025-05-01', 60), p('2025-11-01', 60, 'churned'), p('2026-05-10', 70)] },
  { accountId: 'a07', points: [p('2026-01-05', 0, 'trial'), p('2026-02-01', 40)] },
  { accountId: 'a08', points: [p('2024-12-01', 300), p('2026-01-20', 350), p('2026-03-10', 320)] },
  { accountId: 'a09', points: [p('2025-07-01', 90), p('2026-05-01', 90, 'churned')] },
  { accountId: 'a10', points: [p('2025-02-01', 120), p('2026-08-01', 180)] },
  { accountId: 'a11', points: [p('2025-10-01', 70), p('2026-03-15', 70, 'churned'), p('2026-03-25', 70)] },
  { accountId: 'a12', points: [p('2026-02-01', 0, 'trial')] },
];
