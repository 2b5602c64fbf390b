import type { ScoreModelInput } from '../model.ts';

/** Building blocks shared by the presets; bounds are Tend's defaults (docs/scoring.md). */
type Spec = ScoreModelInput['components'][number]['signals'][number];

/** A 0..1 share scored against a target share (adoption 0.7 of 0.7 is full marks). */
export const ratio = (signal: string, target: number, weight?: number): Spec => ({ signal, weight, normalise: { kind: 'target', target } });
export const loginFrequency: Spec = { signal: 'loginDaysPerWeek', normalise: { kind: 'linear', min: 0, max: 4 } };
export const nps: Spec = { signal: 'nps', normalise: { kind: 'linear', min: 0, max: 10 } };
export const csat: Spec = { signal: 'csat', normalise: { kind: 'linear', min: 1, max: 5 } };
export const yesNo = (signal: string, weight?: number): Spec => ({ signal, weight, normalise: { kind: 'categorical', scores: { yes: 100, no: 0 } } });
export const paymentStatus: Spec = { signal: 'paymentStatus', normalise: { kind: 'categorical', scores: { current: 100, late: 40, failed: 0 } } };

export const healthy80: ScoreModelInput['tiers'] = [
  { name: 'healthy', min: 80, color: '#2e7d32' },
  { name: 'at-risk', min: 60, color: '#f9a825' },
  { name: 'critical', min: 0, color: '#c62828' },
];
