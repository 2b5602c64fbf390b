import { accountView, recordMilestone, upsertAccount } from '../../core/accounts.ts';
import { accountCard, cardText } from '../../core/card.ts';
import { systemClock } from '../../core/clock.ts';
import { NotFoundError } from '../../core/errors.ts';
import { accountRevenue, recordRenewalOutcome } from '../../core/renewals.ts';
import { readTimeline } from '../../core/timeline-query.ts';
import { config } from '../../shared/config.ts';
import { accounts } from '../../shared/deps/accounts.ts';
import { contacts } from '../../shared/deps/contacts.ts';
import { notes } from '../../shared/deps/notes.ts';
import { owners } from '../../shared/deps/owners.ts';
import { revenue } from '../../shared/deps/revenue.ts';
import { events } from '../../shared/deps/events.ts';
import { timeline } from '../../shared/deps/timeline.ts';
import { runs } from '../../shared/deps/runs.ts';
import { tasks } from '../../shared/deps/tasks.ts';
import { scores } from '../../shared/deps/scores.ts';
import { json } from '../../shared/http.ts';
import { accountIdOf, body, cardThresholds, ONBOARDING, query } from '../route-input.ts';
import type { RoutesServed } from './route-handler.ts';

const deps = {
  clock: systemClock,
  segments: config.segments,
  accounts: accounts(),
  revenue: revenue(),
  scores: scores(),
  runs: runs(),
  tasks: tasks(),
  notes: notes(),
  contacts: contacts(),
  events: events(),
  owners: owners(),
  csms: config.csms,
  assignment: config.assignment,
  checklist: config.milestones.checklist,
};

/** An account and what hangs off it: write it, read it (view, card, revenue, timeline, contacts), its milestones and renewals. */
export const routes = {
  'POST /v1/accounts': async (event) => {
    const { outcome, account } = await upsertAccount(deps, body(event, 'POST /v1/accounts'));
    return json(outcome === 'created' ? 201 : 200, { account, outcome, ...(outcome === 'unchanged' ? { unchanged: true } : {}) });
  },
  'GET /v1/accounts/{id}/card': async (event) => {
    const id = accountIdOf(event);
    const [account, score, runs, tasks, notes] = await Promise.all([
      deps.accounts.get(id),
      deps.scores.get(id),
      deps.runs.forAccount(id),
      deps.tasks.forAccount(id),
      deps.notes.list(id, { limit: 20 }),
    ]);
    if (!account) throw new NotFoundError(`account "${id}" not found`);
    const card = accountCard({
      account,
      score,
      runs,
      tasks,
      pinnedNotes: notes.notes.filter((n) => n.pinned),
      now: deps.clock.now(),
      thresholds: cardThresholds,
      onboardingPlay: ONBOARDING,
    });
    const { format } = query(event, 'GET /v1/accounts/{id}/card');
    const text = format === 'text' || (format === undefined && /^text\/plain/i.test(event.headers?.accept ?? ''));
    return text ? { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: cardText(card) } : json(200, card);
  },
  'GET /v1/accounts/{id}': async (event) => json(200, await accountView(deps, accountIdOf(event))),
  'POST /v1/accounts/{id}/milestones': async (event) => {
    const id = accountIdOf(event);
    return json(200, await recordMilestone(deps, id, body(event, 'POST /v1/accounts/{id}/milestones')));
  },
  'POST /v1/accounts/{id}/renewals': async (event) => {
    const id = accountIdOf(event);
    const input = body(event, 'POST /v1/accounts/{id}/renewals');
    // A replay answers exactly as the first request did: the outcome as recorded.
    const { outcome } = await recordRenewalOutcome({ ...deps, churnReasons: config.revenue.churnReasons }, id, input);
    return json(200, { outcome });
  },
  'GET /v1/accounts/{id}/revenue': async (event) => json(200, await accountRevenue(deps, accountIdOf(event))),
  'GET /v1/accounts/{id}/timeline': async (event) =>
    json(200, await readTimeline({ ...deps, timeline: timeline() }, accountIdOf(event), query(event, 'GET /v1/accounts/{id}/timeline'))),
  // The web app's Account page (issue 16): one Query of the account's contacts.
  'GET /v1/accounts/{id}/contacts': async (event) => {
    const id = accountIdOf(event);
    const [account, contacts] = await Promise.all([deps.accounts.get(id), deps.contacts.list(id)]);
    if (!account) throw new NotFoundError(`account "${id}" not found`);
    return json(200, { contacts });
  },
} satisfies RoutesServed;
