import { listEntryWriter } from '../../data/account-list-entries.ts';
import { documentClient } from '../../data/client.ts';
import { lazy, table } from '../deps-base.ts';

/** The account list's sorted entries (issue 16): kept by the account and score writes, read by GET /v1/accounts. */
export const listEntries = /* @__PURE__ */ lazy(() => listEntryWriter(documentClient, table()));
