import { documentClient } from '../../data/client.ts';
import { ownerRepo } from '../../data/owners.ts';
import { lazy, table } from '../deps-base.ts';

/** CSMs' books, account counts and assignment counters (issue 14). */
export const owners = /* @__PURE__ */ lazy(() => ownerRepo(documentClient, table()));
