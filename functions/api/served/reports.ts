import { listAccounts } from '../../core/account-list.ts';
import { systemClock } from '../../core/clock.ts';
import { metricAccounts, metricsReport } from '../../core/metrics/metrics-report.ts';
import { changesReport, renewalsReport } from '../../core/metrics/reports.ts';
import { modelResolver } from '../../core/score/presets/index.ts';
import { config } from '../../shared/config.ts';
import { accounts } from '../../shared/deps/accounts.ts';
import { catalog } from '../../shared/deps/catalog.ts';
import { healthDays } from '../../shared/deps/health-days.ts';
import { listIndex } from '../../shared/deps/list-index.ts';
import { metricAggregateRepo } from '../../shared/deps/metric-aggregate-repo.ts';
import { metricSourceReader } from '../../shared/deps/metric-source-reader.ts';
import { outcomeFigures } from '../../shared/deps/outcome-figures.ts';
import { renewalIndexReader } from '../../shared/deps/renewal-index-reader.ts';
import { scoreStateRepo } from '../../shared/deps/score-state-repo.ts';
import { runs } from '../../shared/deps/runs.ts';
import { scoreFacts } from '../../shared/deps/score-facts.ts';
import { scores } from '../../shared/deps/scores.ts';
import { json } from '../../shared/http.ts';
import { cardThresholds, ONBOARDING, query } from '../route-input.ts';
import type { RoutesServed } from './route-handler.ts';

const deps = {
  clock: systemClock,
  accounts: accounts(),
  scores: scores(),
  runs: runs(),
  catalog: catalog(),
  listIndex: listIndex(),
  scoreFacts: scoreFacts(),
  renewals: renewalIndexReader(),
  scoreStates: scoreStateRepo(),
  modelFor: modelResolver(config.scoreModel),
};
const metricsDeps = {
  aggregates: metricAggregateRepo(),
  sources: metricSourceReader(),
  firstValueTargetDays: config.milestones.firstValueTargetDays,
  outcomes: outcomeFigures(),
  healthDays: healthDays(),
};

/** The book as lists and figures: the account list, renewals, changes, metrics and outcomes. */
export const routes = {
  'GET /v1/accounts': async (event) =>
    json(200, await listAccounts(deps, query(event, 'GET /v1/accounts'), { now: deps.clock.now(), thresholds: cardThresholds, onboardingPlay: ONBOARDING })),
  'GET /v1/renewals': async (event) => json(200, await renewalsReport(deps, query(event, 'GET /v1/renewals'), deps.clock.now())),
  'GET /v1/changes': async (event) => json(200, await changesReport(deps, query(event, 'GET /v1/changes'), deps.clock.now())),
  // Outcome figures (issue 13): read from the month counters, never from the accounts' items.
  'GET /v1/metrics/outcomes': async (event) => {
    const q = query(event, 'GET /v1/metrics/outcomes');
    return json(200, await metricsDeps.outcomes.load(q.period, q.cut));
  },
  'GET /v1/metrics': async (event) => json(200, await metricsReport(metricsDeps, query(event, 'GET /v1/metrics'), deps.clock.now())),
  'GET /v1/metrics/accounts': async (event) => json(200, await metricAccounts(metricsDeps, query(event, 'GET /v1/metrics/accounts'), deps.clock.now())),
} satisfies RoutesServed;
