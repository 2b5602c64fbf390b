import { documentClient } from '../../data/client.ts';
import { scoreRepo } from '../../data/scores.ts';
import { lazy, table } from '../deps-base.ts';
import { listEntries } from './list-entries.ts';
import { scoreModels } from './score-models.ts';

/** Scores, read back with their reasons rebuilt under the configured model. */
export const scores = /* @__PURE__ */ lazy(() => scoreRepo(documentClient, table(), scoreModels(), { listEntries: listEntries() }));
