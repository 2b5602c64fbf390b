import { documentClient } from '../../data/client.ts';
import { engagementRepo } from '../../data/email.ts';
import { lazy, table } from '../deps-base.ts';

export const engagement = /* @__PURE__ */ lazy(() => engagementRepo(documentClient, table()));
