import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Whether this process traces: Powertools' own rule (in Lambda, unless POWERTOOLS_TRACE_ENABLED
 * is false or SAM runs it locally). Off in the local runtime and the tests: no AWS_EXECUTION_ENV,
 * and no X-Ray daemon to send to.
 */
const tracing = !!process.env.AWS_EXECUTION_ENV && !process.env.AWS_SAM_LOCAL && process.env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';

/**
 * The process's one tracer (Powertools, X-Ray), or none when it would not trace. Imported only
 * then: the X-Ray SDK under it is ~128 KB of bundle and ~100 ms of import on the bench machine,
 * which a function that does not trace should not pay at cold start (bench: BENCH_ONLY=bundles).
 */
export const tracer: Tracer | undefined = tracing
  ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tend' })
  : undefined;

/**
 * The client with its calls traced as subsegments of the invocation (the same client when not
 * tracing). Each SDK client is captured once, where it is made at cold start.
 */
export const traced = <T extends object>(client: T): T => (tracer ? tracer.captureAWSv3Client(client) : client);
