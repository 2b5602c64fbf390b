import { documentClient } from '../../data/client.ts';
import { dirtyAccounts } from '../../data/dirty.ts';
import { lazy, table } from '../deps-base.ts';

export const dirty = /* @__PURE__ */ lazy(() => dirtyAccounts(documentClient, table()));
