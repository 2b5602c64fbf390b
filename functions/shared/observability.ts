import type { MiddlewareObj } from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Counters } from '../core/ports.ts';
import { correlationId, withCorrelationId } from './correlation.ts';
import { tracer } from './tracer.ts';

/** The CloudWatch namespace of Tend's metrics (EMF lines in the function's log). */
export const METRICS_NAMESPACE = 'Tend';

// Off Lambda (the local runtime, the tests) nothing reads EMF lines from stdout, so none are
// printed unless POWERTOOLS_METRICS_DISABLED says otherwise.
if (!process.env.AWS_EXECUTION_ENV && process.env.POWERTOOLS_METRICS_DISABLED === undefined) process.env.POWERTOOLS_METRICS_DISABLED = 'true';

/**
 * One function's logger, metrics and the Powertools middlewares every handler uses: the Lambda
 * context in each log line (injectLambdaContext), the invocation traced (captureLambdaHandler,
 * when tracing: tracer.ts), the metrics flushed once per invocation (logMetrics).
 */
export function observability(serviceName: string) {
  const logger = new Logger({ serviceName });
  // An invocation that counted nothing (a read, an empty sweep) is normal: not worth a warning each time.
  const quiet = {
    debug: (...a: unknown[]) => logger.debug(String(a[0])),
    info: (...a: unknown[]) => logger.info(String(a[0])),
    warn: (...a: unknown[]) => (String(a[0]).startsWith('No application metrics') ? undefined : logger.warn(String(a[0]))),
    error: (...a: unknown[]) => logger.error(String(a[0])),
  };
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName, logger: quiet });
  const counters: Counters = {
    count: (name, n = 1) => {
      if (n > 0) metrics.addMetric(name, MetricUnit.Count, n);
    },
  };
  const middlewares: MiddlewareObj[] = [
    injectLambdaContext(logger, { resetKeys: true }),
    ...(tracer ? [captureLambdaHandler(tracer)] : []),
    logMetrics(metrics),
  ];
  /**
   * Runs an invocation's work under its correlation id (`id` when it is a valid one, else
   * `fallback`), which every log line then carries as `correlation_id`.
   */
  const correlated = <T>(id: unknown, fallback: string, work: () => Promise<T>) =>
    withCorrelationId(id, fallback, () => {
      logger.setCorrelationId(correlationId());
      return work();
    });
  return { logger, metrics, counters, middlewares, correlated };
}
