import { accountListIndex } from '../../data/account-list-index.ts';
import { documentClient } from '../../data/client.ts';
import { lazy, table } from '../deps-base.ts';

export const listIndex = /* @__PURE__ */ lazy(() => accountListIndex(documentClient, table()));
