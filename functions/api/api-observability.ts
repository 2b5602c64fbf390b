import { observability } from '../shared/observability.ts';

/** The API function's logger, metrics and middlewares: one set, shared by the handler and the route modules it loads. */
export const { logger, counters, middlewares, correlated } = observability('tend-api');
