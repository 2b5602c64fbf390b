import { documentClient } from '../../data/client.ts';
import { runRepo } from '../../data/runs.ts';
import { lazy, table } from '../deps-base.ts';

export const runs = /* @__PURE__ */ lazy(() => runRepo(documentClient, table()));
