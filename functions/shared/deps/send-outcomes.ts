import { documentClient } from '../../data/client.ts';
import { sendOutcomes as sendOutcomesRepo } from '../../data/outcome-sends.ts';
import { lazy, table } from '../deps-base.ts';

/** Sends' outcomes (opened, replied...) recorded once on the ledger and counted per template (issue 13). */
export const sendOutcomes = /* @__PURE__ */ lazy(() => sendOutcomesRepo(documentClient, table()));
