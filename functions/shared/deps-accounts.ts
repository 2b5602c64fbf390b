import { accountCatalog } from '../data/account-catalog.ts';
import { accountsWithListEntries } from '../data/account-list-entries.ts';
import { accountRepo } from '../data/accounts.ts';
import { documentClient } from '../data/client.ts';
import { contactRepo } from '../data/contacts.ts';
import { dirtyAccounts } from '../data/dirty.ts';
import { eventClaims } from '../data/event-claims.ts';
import { feedbackRepo } from '../data/feedback.ts';
import { accountsWithMetrics, feedbackWithMetrics, revenueWithMetrics } from '../data/metric-hooks.ts';
import { churnModelRepo } from '../data/models.ts';
import { noteRepo } from '../data/notes.ts';
import { ownerRepo } from '../data/owners.ts';
import { revenueRepo } from '../data/revenue.ts';
import { usageRepo } from '../data/usage.ts';
import { userLinks } from '../data/user-links.ts';
import { lazy, table } from './deps-base.ts';
import { listEntries, metricsLogger, refreshMetrics } from './deps-metrics.ts';

// The composition root's accounts part (functions/shared/deps.ts): accounts and what hangs on them.

export const accounts = /* @__PURE__ */ lazy(() =>
  accountsWithMetrics(
    accountsWithListEntries(accountRepo(documentClient, table()), listEntries(), (accountId, err) =>
      metricsLogger().error('account list entries not updated (tend metrics rebuild puts them right)', { accountId, error: err as Error }),
    ),
    refreshMetrics,
  ),
);
/** Revenue history points and renewal outcomes. */
export const revenue = /* @__PURE__ */ lazy(() => revenueWithMetrics(revenueRepo(documentClient, table()), refreshMetrics));
export const usage = /* @__PURE__ */ lazy(() => usageRepo(documentClient, table()));
/** CSMs' books, account counts and assignment counters (issue 14). */
export const owners = /* @__PURE__ */ lazy(() => ownerRepo(documentClient, table()));
export const notes = /* @__PURE__ */ lazy(() => noteRepo(documentClient, table()));
export const dirty = /* @__PURE__ */ lazy(() => dirtyAccounts(documentClient, table()));
export const feedback = /* @__PURE__ */ lazy(() => feedbackWithMetrics(feedbackRepo(documentClient, table()), refreshMetrics));
export const contacts = /* @__PURE__ */ lazy(() => contactRepo(documentClient, table()));
export const claims = /* @__PURE__ */ lazy(() => eventClaims(documentClient, table()));
export const links = /* @__PURE__ */ lazy(() => userLinks(documentClient, table()));
export const catalog = /* @__PURE__ */ lazy(() => accountCatalog(documentClient, table()));
export const churnModels = /* @__PURE__ */ lazy(() => churnModelRepo(documentClient, table()));
