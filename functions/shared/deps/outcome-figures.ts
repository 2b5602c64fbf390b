import { documentClient } from '../../data/client.ts';
import { outcomeFiguresReader } from '../../data/outcome-figures.ts';
import { lazy, table } from '../deps-base.ts';

/** The outcome figures of a period, from the month counters (GET /v1/metrics/outcomes). */
export const outcomeFigures = /* @__PURE__ */ lazy(() => outcomeFiguresReader(documentClient, table()));
