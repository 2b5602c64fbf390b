import { scoreModelSchema, type ScoreModel } from '../model.ts';
import { seed002 } from './seed-002.ts';

/** Built-in models, by the name a config uses. */
export const presets = { 'seed-002': seed002 } as const;
export type PresetName = keyof typeof presets;
export const presetNames = Object.keys(presets) as [PresetName, ...PresetName[]];

export function presetModel(name: PresetName): ScoreModel {
  return scoreModelSchema.parse(presets[name]);
}
