import { systemClock } from '../../core/clock.ts';
import { ingestContacts, ingestEvents, ingestSurveys, ingestTickets } from '../../core/ingest.ts';
import { ingestSegment } from '../../core/segment.ts';
import { config } from '../../shared/config.ts';
import { accounts } from '../../shared/deps/accounts.ts';
import { claims } from '../../shared/deps/claims.ts';
import { contacts } from '../../shared/deps/contacts.ts';
import { dirty } from '../../shared/deps/dirty.ts';
import { feedback } from '../../shared/deps/feedback.ts';
import { links } from '../../shared/deps/links.ts';
import { owners } from '../../shared/deps/owners.ts';
import { revenue } from '../../shared/deps/revenue.ts';
import { usage } from '../../shared/deps/usage.ts';
import { events } from '../../shared/deps/events.ts';
import { tasks } from '../../shared/deps/tasks.ts';
import { json } from '../../shared/http.ts';
import { counters } from '../api-observability.ts';
import { body } from '../route-input.ts';
import { SEGMENT_ROUTE } from '../routes.ts';
import type { RoutesServed } from './route-handler.ts';

const deps = {
  clock: systemClock,
  segments: config.segments,
  accounts: accounts(),
  revenue: revenue(),
  usage: usage(),
  dirty: dirty(),
  feedback: feedback(),
  contacts: contacts(),
  events: events(),
  claims: claims(),
  links: links(),
  // A group's traits can name the account's owner (upsertAccount, as POST /v1/accounts does).
  owners: owners(),
  tasks: tasks(),
  csms: config.csms,
  assignment: config.assignment,
};

/** What the product sends in: usage events, contacts, survey answers, tickets, and Segment's webhook. */
export const routes = {
  'POST /v1/events': async (event) => {
    const out = await ingestEvents(deps, body(event, 'POST /v1/events').events);
    counters.count('EventsIngested', out.accepted);
    return json(202, out);
  },
  'POST /v1/contacts': async (event) => json(202, await ingestContacts(deps, body(event, 'POST /v1/contacts').contacts)),
  'POST /v1/surveys': async (event) => json(202, await ingestSurveys(deps, body(event, 'POST /v1/surveys').surveys)),
  'POST /v1/tickets': async (event) => json(202, await ingestTickets(deps, body(event, 'POST /v1/tickets').tickets)),
  [SEGMENT_ROUTE]: async (event) => {
    const out = await ingestSegment(deps, body(event, SEGMENT_ROUTE));
    counters.count('EventsIngested', out.results.filter((r) => r.status === 'accepted' && (r.type === 'track' || r.type === 'page')).length);
    return json(200, out);
  },
} satisfies RoutesServed;
