import { documentClient } from '../../data/client.ts';
import { holdoutRepo } from '../../data/holdouts.ts';
import { lazy, table } from '../deps-base.ts';

/** Holdout ends (issue 17, docs/holdouts.md). */
export const holdouts = /* @__PURE__ */ lazy(() => holdoutRepo(documentClient, table()));
