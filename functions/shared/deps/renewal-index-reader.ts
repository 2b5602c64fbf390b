import { documentClient } from '../../data/client.ts';
import { renewalIndex } from '../../data/renewal-index.ts';
import { lazy, table } from '../deps-base.ts';

/** The renewal index the upkeep keeps (renewals report, renewals entering the window). */
export const renewalIndexReader = /* @__PURE__ */ lazy(() => renewalIndex(documentClient, table()));
