import { lazy } from '../deps-base.ts';
import { Logger } from '@aws-lambda-powertools/logger';

export const metricsLogger = /* @__PURE__ */ lazy(() => new Logger({ serviceName: 'tend-metrics' }));
