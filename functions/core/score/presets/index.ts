import { scoreModelSchema, type ScoreModel } from '../model.ts';
import { seed000 } from './seed-000.ts';
import { seed001 } from './seed-001.ts';
import { seed002 } from './seed-002.ts';
import { seed003 } from './seed-003.ts';
import { seed004 } from './seed-004.ts';

/** Built-in models, by the name a config uses: the five models of the domain brief. */
export const presets = { 'seed-000': seed000, 'seed-001': seed001, 'seed-002': seed002, 'seed-003': seed003, 'seed-004': seed004 } as const;
export type PresetName = keyof typeof presets;
export const presetNames = Object.keys(presets) as [PresetName, ...PresetName[]];

export function presetModel(name: PresetName): ScoreModel {
  return scoreModelSchema.parse(presets[name]);
}

type ModelChoice = PresetName | ScoreModel;
export type ScoreModelConfig = ModelChoice | { default: ModelChoice; bySegment?: Partial<Record<'high-touch' | 'medium-touch' | 'tech-touch', ModelChoice>> };

/** The model that scores an account of a segment, from the config's `scoreModel`. */
export function modelResolver(choice: ScoreModelConfig): (segment: string) => ScoreModel {
  const resolve = (c: ModelChoice) => (typeof c === 'string' ? presetModel(c) : c);
  if (typeof choice === 'string' || !('default' in choice)) {
    const model = resolve(choice);
    return () => model;
  }
  const fallback = resolve(choice.default);
  const bySegment = new Map(Object.entries(choice.bySegment ?? {}).map(([k, v]) => [k, resolve(v!)]));
  return (segment) => bySegment.get(segment) ?? fallback;
}
