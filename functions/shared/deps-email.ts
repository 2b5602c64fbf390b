import { sesMailer } from '../adapters/ses-mailer.ts';
import { documentClient } from '../data/client.ts';
import { engagementRepo, frequencyCap, preferenceRepo, reputationRepo, suppressionList } from '../data/email.ts';
import { sendOutcomes as sendOutcomesRepo } from '../data/outcome-sends.ts';
import { heldSends, sendConfirmations, sendLedger } from '../data/sends.ts';
import { envVar, lazy, table } from './deps-base.ts';

// The composition root's email part (functions/shared/deps.ts): the send ledger, consent, reputation, SES.

export const ledger = /* @__PURE__ */ lazy(() => sendLedger(documentClient, table()));
export const suppressions = /* @__PURE__ */ lazy(() => suppressionList(documentClient, table()));
export const preferences = /* @__PURE__ */ lazy(() => preferenceRepo(documentClient, table()));
export const cap = /* @__PURE__ */ lazy(() => frequencyCap(documentClient, table()));
export const engagement = /* @__PURE__ */ lazy(() => engagementRepo(documentClient, table()));
export const confirmations = /* @__PURE__ */ lazy(() => sendConfirmations(documentClient, table()));
/** Sends' outcomes (opened, replied...) recorded once on the ledger and counted per template (issue 13). */
export const sendOutcomes = /* @__PURE__ */ lazy(() => sendOutcomesRepo(documentClient, table()));
export const held = /* @__PURE__ */ lazy(() => heldSends(documentClient, table()));
export const reputation = /* @__PURE__ */ lazy(() => reputationRepo(documentClient, table()));
/** SES, through the configuration set in CONFIGURATION_SET. */
export const mailer = /* @__PURE__ */ lazy(() => sesMailer(envVar('CONFIGURATION_SET')));
