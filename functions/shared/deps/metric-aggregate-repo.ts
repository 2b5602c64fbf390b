import { documentClient } from '../../data/client.ts';
import { metricAggregates } from '../../data/metric-aggregates.ts';
import { lazy, table } from '../deps-base.ts';

export const metricAggregateRepo = /* @__PURE__ */ lazy(() => metricAggregates(documentClient, table()));
