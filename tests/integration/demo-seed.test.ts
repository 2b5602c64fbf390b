import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { runDemo } from '../../cli/demo/start.ts';

/**
 * What a demo did, to compare two runs of one seed: its summary (without the wall time, the
 * addresses and the DynamoDB request count, which the API's key cache, kept on real time, moves
 * by a few requests), every run by name with its status and virtual dates, and every email with
 * its virtual time, account and step.
 */
async function demoOutcome(seed: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tend-demo-seed-'));
  const demo = await runDemo({ accounts: 10, days: 4, seed, dataDir, assemblyDir: inject('assemblyDir') });
  try {
    const { seconds: _seconds, lookAround: _lookAround, dynamodb: _dynamodb, ...summary } = demo.summary;
    const rt = demo.runtime;
    const runs = [...rt.sfn.executions.values()].map((e) => `${e.name} ${e.status} ${e.startDate.toISOString()} ${e.stopDate?.toISOString() ?? ''}`).sort();
    const emails = rt.ses
      .sent()
      .map((e) => `${e.at} ${e.accountId} ${e.play}/${e.step} ${e.subject}`)
      .sort();
    return { summary, runs, emails };
  } finally {
    await demo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('the demo is the same for the same seed', () => {
  it('gives the same summary, the same runs at the same moments and the same emails on two runs', async () => {
    const first = await demoOutcome(7);
    const second = await demoOutcome(7);
    expect(first.runs.length).toBeGreaterThan(0);
    expect(first.emails.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
  }, 300_000);
});
