import { documentClient } from '../../data/client.ts';
import { eventClaims } from '../../data/event-claims.ts';
import { lazy, table } from '../deps-base.ts';

export const claims = /* @__PURE__ */ lazy(() => eventClaims(documentClient, table()));
