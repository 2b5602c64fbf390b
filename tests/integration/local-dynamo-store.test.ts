import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CloudAssembly } from '../../local/assembly.ts';
import { LocalDynamo } from '../../local/dynamodb.ts';
import type { WireRequest } from '../../local/dynalite-call.ts';

/** One table of the template's shape, as createTables reads it from an assembly. */
const assembly = {
  *resources() {
    yield {
      stack: 'Test',
      logicalId: 'Table',
      resource: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
        },
      },
    };
  },
} as unknown as CloudAssembly;

// The store on disk (LevelDB), where dynalite's point reads are served in place (local/level-sync-reads.ts),
// and the clients' local auth scheme (local/local-signer.ts): the answers are DynamoDB's.
describe('the local DynamoDB on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-local-dynamo-'));
  const dynamo = new LocalDynamo();
  let db: DynamoDBDocumentClient;
  let table: string;
  const served: WireRequest[] = [];

  beforeAll(async () => {
    await dynamo.start({ path: dir });
    table = (await dynamo.createTables(assembly))[0]!;
    const serve = dynamo.serve.bind(dynamo);
    vi.spyOn(dynamo, 'serve').mockImplementation((request) => (served.push(request), serve(request)));
    db = DynamoDBDocumentClient.from(dynamo.client);
  });
  afterAll(async () => {
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads what was written, and nothing where nothing was', async () => {
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'A', sk: '1', n: 7, tags: new Set(['x']) } }));
    expect((await db.send(new GetCommand({ TableName: table, Key: { pk: 'A', sk: '1' }, ConsistentRead: true }))).Item).toEqual({
      pk: 'A',
      sk: '1',
      n: 7,
      tags: new Set(['x']),
    });
    expect((await db.send(new GetCommand({ TableName: table, Key: { pk: 'A', sk: 'none' } }))).Item).toBeUndefined();
  });

  it('checks conditions against the stored item', async () => {
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'B', sk: '1', v: 1 } }));
    await expect(
      db.send(new PutCommand({ TableName: table, Item: { pk: 'B', sk: '1', v: 2 }, ConditionExpression: 'attribute_not_exists(pk)' })),
    ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'B', sk: '2', v: 3 } }));
    const out = await db.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'B' } }));
    expect(out.Items?.map((i) => i.v)).toEqual([1, 3]);
  });

  it("carries a signature's headers without computing one", () => {
    expect(served.length).toBeGreaterThan(0);
    for (const { headers } of served) {
      expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/local\/dynamodb\/aws4_request, SignedHeaders=host, Signature=local$/);
      expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    }
  });
});
