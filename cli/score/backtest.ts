import { plural } from '../../functions/core/plural.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { join, resolve } from 'node:path';
import { parseConfig } from '../../functions/core/config.ts';
import { backtest, type BacktestReport } from '../../functions/core/score/backtest.ts';
import { modelResolver, presetNames, type PresetName } from '../../functions/core/score/presets/index.ts';
import userConfig from '../../tend.config.ts';
import { startLocalRuntime } from '../../local/runtime.ts';
import { localAssembly } from '../assembly.ts';
import { readHistory } from './history.ts';

export interface BacktestOptions {
  model?: string;
  data: string;
  table?: string;
  region?: string;
  json?: boolean;
  limit: number;
}

/** `tend score backtest`: the stored history re-scored under a candidate model (a preset, or tend.config.ts's model). */
export async function backtestCommand(options: BacktestOptions) {
  if (options.model && !presetNames.includes(options.model as PresetName)) throw new Error(`--model must be one of ${presetNames.join(', ')}`);
  const candidate = modelResolver(options.model ? (options.model as PresetName) : parseConfig(userConfig).scoreModel);
  const progress = (n: number) => !options.json && process.stderr.isTTY && process.stderr.write(`\rread ${n.toLocaleString('en-US')} daily scores`);
  let history;
  if (options.table) {
    history = await readHistory(new DynamoDBClient({ region: options.region }), options.table, progress);
  } else {
    const dataDir = resolve(options.data);
    const rt = await startLocalRuntime({
      assemblyDir: await localAssembly(dataDir, () => {}),
      dataDir: join(dataDir, 'state'),
      paused: true,
      schedules: false,
    });
    try {
      history = await readHistory(rt.dynamo.client, rt.tableName, progress);
    } finally {
      await rt.stop();
    }
  }
  if (!options.json && process.stderr.isTTY) process.stderr.write('\n');
  const report = backtest(history, candidate);
  if (options.json) console.log(JSON.stringify(report));
  else print(report, options.model ?? 'tend.config.ts', options.limit);
}

function print(r: BacktestReport, candidate: string, limit: number) {
  if (r.accounts === 0) {
    console.log('No stored scores to backtest: run Tend (tend dev, or on AWS with --table) until the daily run has scored accounts.');
    return;
  }
  const tiers = [...new Set([...Object.keys(r.latest.stored), ...Object.keys(r.latest.candidate)])];
  console.log(`Backtest of ${candidate} over ${r.accounts} accounts and ${r.days} days of stored scores`);
  console.log(`  average score (latest day): stored ${r.averageScore.stored ?? 'n/a'} -> candidate ${r.averageScore.candidate ?? 'n/a'}`);
  console.log(`  latest day, stored tier -> candidate tier:`);
  for (const from of tiers) {
    const row = r.transitions[from];
    if (row)
      console.log(
        `    ${from.padEnd(10)} ${Object.entries(row)
          .map(([to, n]) => `${to} ${n}`)
          .join(', ')}`,
      );
  }
  console.log(`  ${plural(r.changes.length, 'account')} would change tier on at least one day${r.changes.length ? ':' : '.'}`);
  for (const c of r.changes.slice(0, limit))
    console.log(`    ${c.accountId.padEnd(24)} from ${c.firstDay}: ${c.was ?? 'unscored'} -> ${c.wouldBe ?? 'unscored'} (${plural(c.daysDifferent, 'day')})`);
  if (r.changes.length > limit) console.log(`    ... ${r.changes.length - limit} more (--limit, or --json for all)`);
}
