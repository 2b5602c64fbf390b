import { documentClient } from '../../data/client.ts';
import { churnModelRepo } from '../../data/models.ts';
import { lazy, table } from '../deps-base.ts';

export const churnModels = /* @__PURE__ */ lazy(() => churnModelRepo(documentClient, table()));
