import { documentClient } from '../../data/client.ts';
import { preferenceRepo } from '../../data/email.ts';
import { lazy, table } from '../deps-base.ts';

export const preferences = /* @__PURE__ */ lazy(() => preferenceRepo(documentClient, table()));
