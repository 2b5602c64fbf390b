import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fitChurnModel, type FitResult } from '../../functions/core/churn/fit.ts';
import { churnModelRepo } from '../../functions/data/models.ts';
import { openTable } from '../local-state.ts';
import { labelledAccounts } from './labelled.ts';

export interface FitOptions {
  data: string;
  table?: string;
  region?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** Fits on the table's labelled accounts and stores the model (unless a dry run or too few accounts). */
export async function fitFromTable(
  client: DynamoDBClient,
  table: string,
  now: Date,
  store: boolean,
): Promise<FitResult & { labelled: number; accounts: number }> {
  const { labelled, accounts } = await labelledAccounts(client, table, now);
  const result = fitChurnModel(labelled, now);
  if (result.ok && store) await churnModelRepo(DynamoDBDocumentClient.from(client), table).put(result.model);
  return { ...result, labelled: labelled.length, accounts };
}

/** `tend model fit`. */
export async function fitCommand(options: FitOptions) {
  let result;
  if (options.table) result = await fitFromTable(new DynamoDBClient({ region: options.region }), options.table, new Date(), !options.dryRun);
  else {
    // The running tend dev's table and clock when there is one, else the data on disk at its saved clock.
    const t = await openTable({ ...options, mustExist: true });
    try {
      result = await fitFromTable(t.client, t.table, await t.now(), !options.dryRun);
    } finally {
      await t.close();
    }
  }
  if (options.json) return console.log(JSON.stringify(result));
  console.log(`${result.accounts} accounts, ${result.labelled} with a known outcome (churned, or renewed past their renewal date).`);
  if (!result.ok) {
    console.log(`No model fitted: ${result.reason}. Until then the health score and the at-risk flags speak alone.`);
    return;
  }
  const m = result.model;
  console.log(`Fitted on ${m.trainedOn} accounts; on ${m.heldOut} held-out accounts: AUC ${m.auc.toFixed(3)}, Brier score ${m.brier.toFixed(3)}.`);
  console.log('Calibration (held out): predicted -> observed churn');
  for (const b of m.calibration)
    console.log(
      `  ${(b.from * 100).toFixed(0).padStart(3)}-${(b.to * 100).toFixed(0)}%  ${String(b.accounts).padStart(5)} accounts  ${(b.predicted * 100).toFixed(1)}% -> ${(b.observed * 100).toFixed(1)}%`,
    );
  console.log('Weights (per standard deviation; negative lowers churn risk):');
  for (const [f, w] of m.features.map((f, j) => [f, m.weights[j]!] as const).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])))
    console.log(`  ${f.padEnd(24)} ${w >= 0 ? '+' : ''}${w.toFixed(3)}`);
  console.log(options.dryRun ? 'Dry run: not stored.' : 'Stored: the next scoring run reports churnRisk on every account.');
}
