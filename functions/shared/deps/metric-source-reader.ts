import { documentClient } from '../../data/client.ts';
import { metricSources } from '../../data/metric-sources.ts';
import { lazy, table } from '../deps-base.ts';

export const metricSourceReader = /* @__PURE__ */ lazy(() => metricSources(documentClient, table()));
