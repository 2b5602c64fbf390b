import { modelResolver } from '../../core/score/presets/index.ts';
import { config } from '../config.ts';
import { lazy } from '../deps-base.ts';

/** The configured score model of each segment (a preset is parsed when first asked for). */
export const scoreModels = /* @__PURE__ */ lazy(() => modelResolver(config.scoreModel));
