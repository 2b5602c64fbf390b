import { accountCatalog } from '../../data/account-catalog.ts';
import { documentClient } from '../../data/client.ts';
import { lazy, table } from '../deps-base.ts';

export const catalog = /* @__PURE__ */ lazy(() => accountCatalog(documentClient, table()));
