import { documentClient } from '../../data/client.ts';
import { healthDays as healthDayRepo } from '../../data/health-days.ts';
import { lazy, table } from '../deps-base.ts';

/** The daily run's per-day health tallies (health over time, docs/metrics.md). */
export const healthDays = /* @__PURE__ */ lazy(() => healthDayRepo(documentClient, table()));
