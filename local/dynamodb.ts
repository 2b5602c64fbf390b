import { CreateTableCommand, DynamoDBClient, ListTablesCommand, ScanCommand, DeleteItemCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudAssembly } from './assembly.ts';
import { localName } from './assembly.ts';
import { localCredentials } from './credentials.ts';

export interface LocalTable {
  name: string;
  keyNames: string[];
  ttlAttribute?: string;
}

/**
 * DynamoDB on dynalite: in memory, or on disk under a folder. Tables are created from the
 * template's AWS::DynamoDB::Table resources. dynalite has no TTL expiry, so `sweep()` deletes
 * items whose TTL attribute is past the local clock's time.
 */
export class LocalDynamo {
  private server?: Server;
  endpoint = '';
  client!: DynamoDBClient;
  readonly tables: LocalTable[] = [];
  /** Requests served, by operation (GetItem, Query, PutItem...): what a run costs, counted. */
  readonly operations: Record<string, number> = {};
  /** Set when the runtime stops: a sweep under way ends after its current request. */
  closing = false;

  async start(options: { path?: string; port?: number }) {
    this.server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
    this.server.on('request', (req: { headers: Record<string, string | undefined> }) => {
      const op = req.headers['x-amz-target']?.split('.')[1];
      if (op) this.operations[op] = (this.operations[op] ?? 0) + 1;
    });
    await new Promise<void>((resolve, reject) => this.server!.listen(options.port ?? 0, '127.0.0.1', resolve).once('error', reject));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.client = new DynamoDBClient({ endpoint: this.endpoint, region: 'us-east-1', credentials: localCredentials });
  }

  async createTables(assembly: CloudAssembly) {
    const existing = new Set((await this.client.send(new ListTablesCommand({}))).TableNames ?? []);
    for (const { stack, logicalId, resource } of assembly.resources('AWS::DynamoDB::Table')) {
      const p = resource.Properties as Record<string, unknown>;
      const name = localName(stack, logicalId);
      const ttl = p.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
      const keyNames = (p.KeySchema as { AttributeName: string }[]).map((k) => k.AttributeName);
      this.tables.push({ name, keyNames, ttlAttribute: ttl?.Enabled ? ttl.AttributeName : undefined });
      if (existing.has(name)) continue;
      await this.client.send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: p.KeySchema,
          AttributeDefinitions: p.AttributeDefinitions,
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: (p.GlobalSecondaryIndexes as CreateTableCommandInput['GlobalSecondaryIndexes']) ?? undefined,
        } as CreateTableCommandInput),
      );
    }
  }

  /** Deletes expired items (TTL in epoch seconds), as DynamoDB's TTL process would. Returns how many. */
  async sweep(nowMs: number): Promise<number> {
    let deleted = 0;
    for (const table of this.tables) {
      if (this.closing) break;
      if (!table.ttlAttribute) continue;
      let start: Record<string, never> | undefined;
      do {
        const page = await this.client.send(
          new ScanCommand({
            TableName: table.name,
            FilterExpression: '#ttl < :now',
            ExpressionAttributeNames: { '#ttl': table.ttlAttribute },
            ExpressionAttributeValues: { ':now': { N: String(Math.floor(nowMs / 1000)) } },
            ProjectionExpression: table.keyNames.join(', '),
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          if (this.closing) return deleted;
          await this.client.send(new DeleteItemCommand({ TableName: table.name, Key: item }));
          deleted++;
        }
        start = page.LastEvaluatedKey as typeof start;
      } while (start && !this.closing);
    }
    return deleted;
  }

  async stop() {
    this.client?.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
