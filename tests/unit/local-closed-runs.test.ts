import { describe, expect, it } from 'vitest';
import { ClosedRuns } from '../../local/stepfunctions/closed-runs.ts';
import type { LocalExecution } from '../../local/stepfunctions/runner.ts';

const run = (i: number): LocalExecution => ({
  arn: `arn:aws:states:us-east-1:000000000000:execution:m:run-${i}`,
  name: `run-${i}`,
  machineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:m',
  input: JSON.stringify({ accountId: `acct-${i}` }),
  status: 'SUCCEEDED',
  startDate: new Date(0),
  stopDate: new Date(1),
  output: '{"ok":true}',
  history: [{ type: 'ExecutionStarted', at: new Date(0) }],
  stop: new AbortController(),
  done: Promise.resolve(),
});

describe('ClosedRuns: what the runner keeps of closed runs is bounded by a count', () => {
  it.each([
    [10, 3],
    [10, 25],
    [1, 1_000],
  ])('keep %i: of %i closed runs, the newest keep their detail, the rest only their name, status and dates', (keep, closed) => {
    const closedRuns = new ClosedRuns(keep);
    const runs = Array.from({ length: closed }, (_, i) => run(i));
    for (const r of runs) closedRuns.add(r);
    const released = Math.max(0, closed - keep);
    expect(closedRuns.released).toBe(released);
    runs.forEach((r, i) => {
      expect(r).toMatchObject({ name: `run-${i}`, status: 'SUCCEEDED', stopDate: new Date(1) });
      if (i < released) expect(r).toMatchObject({ history: [], input: JSON.stringify({ accountId: `acct-${i}` }), output: undefined });
      else expect(r.history).toHaveLength(1);
    });
  });
});
