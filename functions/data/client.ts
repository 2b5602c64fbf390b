import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traced } from '../shared/tracer.ts';

/**
 * The local runtime (local/dynamodb.ts) runs this bundle in its own process and serves DynamoDB
 * there: it leaves its SDK request handler under this well-known global before importing the
 * bundle. Nothing sets it on Lambda, where the client sends over HTTPS as usual.
 */
const local = (globalThis as { [k: symbol]: LocalHandler | undefined })[Symbol.for('tend.local.dynamodb')];
type LocalHandler = DynamoDBClientConfig['requestHandler'] & Pick<DynamoDBClientConfig, 'httpAuthSchemes'>;

// Locally, its auth scheme too: the SDK's signing middleware runs, without an HMAC nobody checks (local/local-signer.ts).
const client = new DynamoDBClient(local ? { requestHandler: local, httpAuthSchemes: local.httpAuthSchemes } : {});
// The SDK's logger middleware copies every input and output through the sensitive-data filter
// before handing it to the logger, even the no-op one Tend's clients have: CPU and garbage on
// every request, for a log nobody writes. Tend logs with Powertools instead.
client.middlewareStack.remove('loggerMiddleware');

/** One client per process: created at cold start, reused by every invocation; traced (the document client shares its middleware). */
export const documentClient = DynamoDBDocumentClient.from(traced(client), {
  marshallOptions: { removeUndefinedValues: true },
});
