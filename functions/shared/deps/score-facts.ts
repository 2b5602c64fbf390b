import { documentClient } from '../../data/client.ts';
import { scoreFactsReader } from '../../data/scores.ts';
import { lazy, table } from '../deps-base.ts';

/** Many accounts' stored scores at once, for the portfolio reports. */
export const scoreFacts = /* @__PURE__ */ lazy(() => scoreFactsReader(documentClient, table()));
