import { documentClient } from '../../data/client.ts';
import { usageRepo } from '../../data/usage.ts';
import { lazy, table } from '../deps-base.ts';

export const usage = /* @__PURE__ */ lazy(() => usageRepo(documentClient, table()));
