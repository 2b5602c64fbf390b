import { modelResolver } from '../../core/score/presets/index.ts';
import { config } from '../config.ts';
import { lazy } from '../deps-base.ts';

/** Scores, read back with their reasons rebuilt under the configured model. */
export const scoreModels = /* @__PURE__ */ lazy(() => modelResolver(config.scoreModel));
