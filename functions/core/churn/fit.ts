import { auc, calibration, fitLogistic, predict, type LogisticModel } from './logistic.ts';
import type { SignalValues } from '../score/model.ts';

/** An account whose outcome is known, with its signals some time before that outcome. */
export interface LabelledAccount {
  accountId: string;
  churned: boolean;
  signals: SignalValues;
}

export interface ChurnModel extends LogisticModel {
  fittedAt: string;
  trainedOn: number;
  heldOut: number;
  auc: number;
  brier: number;
  calibration: ReturnType<typeof calibration>['bins'];
}

export const MIN_LABELLED = 40;
export const MIN_PER_CLASS = 8;

/** Numeric signals present on at least half the accounts become features; missing values take the mean. */
function featureMatrix(accounts: LabelledAccount[], features?: string[]) {
  const names =
    features ??
    [...new Set(accounts.flatMap((a) => Object.keys(a.signals)))]
      .filter((k) => accounts.filter((a) => typeof a.signals[k] === 'number').length >= accounts.length / 2)
      .sort();
  const means = names.map((k) => {
    const xs = accounts.map((a) => a.signals[k]).filter((v): v is number => typeof v === 'number');
    return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0;
  });
  return { names, rows: accounts.map((a) => names.map((k, j) => (typeof a.signals[k] === 'number' ? (a.signals[k] as number) : means[j]!))) };
}

/** Stable hold-out: the same accounts are held out on every fit (by a hash of the id), about 30%. */
function heldOut(accountId: string): boolean {
  let h = 0;
  for (let i = 0; i < accountId.length; i++) h = (Math.imul(h, 31) + accountId.charCodeAt(i)) | 0;
  return (h >>> 0) % 10 < 3;
}

export type FitResult = { ok: true; model: ChurnModel } | { ok: false; reason: string };

/**
 * Fits a churn model on accounts with a known outcome, and reports its quality on accounts it
 * did not see. With too few labelled accounts it says so: the rules alone speak until then.
 */
export function fitChurnModel(accounts: LabelledAccount[], now: Date): FitResult {
  const churned = accounts.filter((a) => a.churned).length;
  if (accounts.length < MIN_LABELLED || churned < MIN_PER_CLASS || accounts.length - churned < MIN_PER_CLASS) {
    return {
      ok: false,
      reason: `too few accounts with a known outcome: ${accounts.length} (${churned} churned); need ${MIN_LABELLED}, with ${MIN_PER_CLASS} churned and ${MIN_PER_CLASS} retained`,
    };
  }
  const train = accounts.filter((a) => !heldOut(a.accountId));
  const test = accounts.filter((a) => heldOut(a.accountId));
  const { names, rows } = featureMatrix(train);
  if (!names.length) return { ok: false, reason: 'no numeric signal is present on enough labelled accounts' };
  const model = fitLogistic(
    rows,
    train.map((a) => (a.churned ? 1 : 0)),
    names,
  );
  const testRows = featureMatrix(test, names).rows;
  const scores = testRows.map((r) => predict(model, r));
  const labels = test.map((a) => (a.churned ? 1 : 0));
  const cal = calibration(scores, labels);
  return {
    ok: true,
    model: {
      ...model,
      fittedAt: now.toISOString(),
      trainedOn: train.length,
      heldOut: test.length,
      auc: auc(scores, labels),
      brier: cal.brier,
      calibration: cal.bins,
    },
  };
}

/** The probability an account churns, from its current signals; missing signals take the training mean. */
export function churnRisk(model: LogisticModel, signals: SignalValues): number {
  return predict(
    model,
    model.features.map((k, j) => (typeof signals[k] === 'number' ? (signals[k] as number) : model.means[j]!)),
  );
}
