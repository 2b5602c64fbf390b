/**
 * L2-regularised logistic regression by batch gradient descent on standardised features.
 * Hand-written on purpose: it is thirty lines, runs in the scoring Lambda with no dependency,
 * and the npm options (ml-logistic-regression) bring a matrix library and no regularisation.
 */
export interface LogisticModel {
  features: string[];
  means: number[];
  stds: number[];
  weights: number[];
  bias: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function fitLogistic(
  rows: number[][],
  labels: number[],
  features: string[],
  options: { l2?: number; steps?: number; rate?: number } = {},
): LogisticModel {
  const { l2 = 0.01, steps = 2000, rate = 0.3 } = options;
  const n = rows.length;
  const k = features.length;
  const means = features.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / n);
  // A constant feature's spread is float noise (1e-16), not 0: dividing by it would blow any other value up.
  const stds = features.map((_, j) => {
    const std = Math.sqrt(rows.reduce((s, r) => s + (r[j]! - means[j]!) ** 2, 0) / n);
    return std > 1e-9 * Math.max(1, Math.abs(means[j]!)) ? std : 1;
  });
  const x = rows.map((r) => r.map((v, j) => (v - means[j]!) / stds[j]!));
  const weights = new Array<number>(k).fill(0);
  let bias = 0;
  for (let step = 0; step < steps; step++) {
    const grad = new Array<number>(k).fill(0);
    let gradBias = 0;
    for (let i = 0; i < n; i++) {
      const err = sigmoid(bias + x[i]!.reduce((s, v, j) => s + v * weights[j]!, 0)) - labels[i]!;
      for (let j = 0; j < k; j++) grad[j]! += err * x[i]![j]!;
      gradBias += err;
    }
    for (let j = 0; j < k; j++) weights[j]! -= rate * (grad[j]! / n + l2 * weights[j]!);
    bias -= (rate * gradBias) / n;
  }
  return { features, means, stds, weights, bias };
}

export function predict(model: LogisticModel, row: number[]): number {
  return sigmoid(model.bias + row.reduce((s, v, j) => s + ((v - model.means[j]!) / model.stds[j]!) * model.weights[j]!, 0));
}

/** Area under the ROC curve: the chance a random churned account ranks above a random retained one. */
export function auc(scores: number[], labels: number[]): number {
  const pos = scores.filter((_, i) => labels[i] === 1);
  const neg = scores.filter((_, i) => labels[i] === 0);
  if (!pos.length || !neg.length) return NaN;
  let wins = 0;
  for (const p of pos) for (const q of neg) wins += p > q ? 1 : p === q ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

/** Calibration: predicted against observed churn in equal-width probability bins, and the Brier score. */
export function calibration(scores: number[], labels: number[], bins = 5) {
  const table = Array.from({ length: bins }, (_, b) => ({ from: b / bins, to: (b + 1) / bins, accounts: 0, predicted: 0, observed: 0 }));
  scores.forEach((p, i) => {
    const bin = table[Math.min(bins - 1, Math.floor(p * bins))]!;
    bin.accounts++;
    bin.predicted += p;
    bin.observed += labels[i]!;
  });
  const brier = scores.reduce((s, p, i) => s + (p - labels[i]!) ** 2, 0) / scores.length;
  return {
    brier,
    bins: table
      .filter((b) => b.accounts > 0)
      .map((b) => ({ from: b.from, to: b.to, accounts: b.accounts, predicted: b.predicted / b.accounts, observed: b.observed / b.accounts })),
  };
}
