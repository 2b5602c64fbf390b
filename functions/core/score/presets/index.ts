import { scoreModelSchema, type ScoreModel } from '../model.ts';
import { seed000 } from './seed-000.ts';
import { seed001 } from './seed-001.ts';
import { seed002 } from './seed-002.ts';
import { seed003 } from './seed-003.ts';
import { seed004 } from './seed-004.ts';

/** Built-in models, by the name a config uses: the five models of the domain brief. */
export const presets = { 'seed-000': seed000, 'seed-001': seed001, 'seed-002': seed002, 'seed-003': seed003, 'seed-004': seed004 } as const;
export type PresetName = keyof typeof presets;
export const presetNames = /* @__PURE__ */ Object.keys(presets) as [PresetName, ...PresetName[]];

const parsed = new Map<PresetName, ScoreModel>();
/** A preset, parsed (defaults filled in) on its first use and kept. */
export function presetModel(name: PresetName): ScoreModel {
  let model = parsed.get(name);
  if (!model) parsed.set(name, (model = scoreModelSchema.parse(presets[name])));
  return model;
}

type ModelChoice = PresetName | ScoreModel;
export type ScoreModelConfig = ModelChoice | { default: ModelChoice; bySegment?: Partial<Record<'high-touch' | 'medium-touch' | 'tech-touch', ModelChoice>> };

/**
 * The model that scores an account of a segment, from the config's `scoreModel`. A preset is
 * parsed when a segment first asks for it, not when the resolver is made: handlers make theirs at
 * cold start, and most API requests never read a score (the config named valid presets at synth).
 */
export function modelResolver(choice: ScoreModelConfig): (segment: string) => ScoreModel {
  const resolve = (c: ModelChoice) => (typeof c === 'string' ? presetModel(c) : c);
  if (typeof choice === 'string' || !('default' in choice)) return () => resolve(choice);
  const bySegment = choice.bySegment ?? {};
  return (segment) => resolve((Object.hasOwn(bySegment, segment) ? bySegment[segment as keyof typeof bySegment] : undefined) ?? choice.default);
}
