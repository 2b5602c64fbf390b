import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LocalDynamo } from '../local/dynamodb.ts';
import { inProcessHandler } from '../local/in-process-handler.ts';

const TABLE = 'bench-local-requests';
const ROUNDS = Number(process.env.BENCH_LOCAL_REQUESTS ?? 5_000);

/** The requests of a typical local Lambda, as the functions' DocumentClient sends them (functions/data/client.ts). */
const requests: [string, (i: number) => object][] = [
  ['GetItem', (i) => new GetCommand({ TableName: TABLE, Key: { pk: `ACCOUNT#a${i % 100}`, sk: 'PROFILE' }, ConsistentRead: true })],
  [
    'PutItem',
    (i) =>
      new PutCommand({
        TableName: TABLE,
        Item: {
          pk: `ACCOUNT#a${i % 100}`,
          sk: 'PROFILE',
          name: `Account ${i}`,
          arr: 12_000 + i,
          seats: 40,
          tags: ['a', 'b'],
          plan: { tier: 'pro', since: '2026-01-01' },
        },
      }),
  ],
  [
    'UpdateItem',
    (i) =>
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: `ACCOUNT#a${i % 100}`, sk: `USAGE#2026-03-${String(1 + (i % 28)).padStart(2, '0')}` },
        UpdateExpression: 'SET #u = :u ADD #n :one',
        ExpressionAttributeNames: { '#u': 'updatedAt', '#n': 'events' },
        ExpressionAttributeValues: { ':u': '2026-03-02T10:00:00Z', ':one': 1 },
      }),
  ],
  [
    'Query',
    (i) => new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `ACCOUNT#a${i % 100}` }, Limit: 10 }),
  ],
];

function documentClient(handler: ReturnType<typeof inProcessHandler>) {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: handler,
    httpAuthSchemes: handler.httpAuthSchemes,
  });
  client.middlewareStack.remove('loggerMiddleware');
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** CPU microseconds (user + system, every thread of the process) per request, after a warm-up. */
async function cpuPerRequest(send: (command: object) => Promise<unknown>, make: (i: number) => object): Promise<number> {
  for (let i = 0; i < 500; i++) await send(make(i));
  const before = process.cpuUsage();
  for (let i = 0; i < ROUNDS; i++) await send(make(i));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / ROUNDS;
}

/**
 * The local runtime's DynamoDB path, request by request (one at a time): the CPU of the SDK's own
 * work (a DocumentClient over the in-process handler answered at once) and of the whole path (the
 * same client, LocalDynamo's metering, dynalite on its thread, an in-memory store).
 */
export async function localRequestsBench() {
  console.log(`\nLocal DynamoDB path: CPU microseconds per request (user + system, all threads), ${ROUNDS} requests each, one at a time`);
  const canned = inProcessHandler(async (request) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: request.headers['x-amz-target']?.endsWith('.Query') ? '{"Items":[],"Count":0,"ScannedCount":0}' : '{}',
  }));
  const sdkOnly = documentClient(canned);
  const dynamo = new LocalDynamo();
  await dynamo.start({});
  try {
    await dynamo.client.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const local = documentClient(dynamo.requestHandler);
    console.log('  request       SDK alone   whole local path');
    for (const [name, make] of requests) {
      const sdk = await cpuPerRequest((c) => sdkOnly.send(c as never), make);
      const whole = await cpuPerRequest((c) => local.send(c as never), make);
      console.log(`  ${name.padEnd(12)} ${sdk.toFixed(0).padStart(8)} µs ${whole.toFixed(0).padStart(12)} µs`);
    }
  } finally {
    await dynamo.stop();
  }
}
