import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * The process's one tracer (Powertools, X-Ray). Each SDK client is captured once, where it is
 * made at cold start, so every call is a subsegment of the invocation's trace. It turns itself
 * off outside Lambda (no AWS_EXECUTION_ENV: the local runtime and the tests, which have no X-Ray
 * daemon) and with POWERTOOLS_TRACE_ENABLED=false: clients are then left as they are.
 */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tend' });

/** The client, its calls traced (the same client when tracing is off). */
export const traced = <T extends object>(client: T): T => tracer.captureAWSv3Client(client);
