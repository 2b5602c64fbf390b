import { observability } from '../shared/observability.ts';

/** The API function's logger, metrics and correlation: one per process, shared by its entry (lambda.ts) and its routes (handler.ts). */
export const api = observability('tend-api');
