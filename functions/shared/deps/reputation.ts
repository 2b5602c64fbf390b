import { documentClient } from '../../data/client.ts';
import { reputationRepo } from '../../data/email.ts';
import { lazy, table } from '../deps-base.ts';

export const reputation = /* @__PURE__ */ lazy(() => reputationRepo(documentClient, table()));
