import { CreateTableCommand, DynamoDBClient, ListTablesCommand, type AttributeValue, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import type { CloudAssembly } from './assembly.ts';
import { localName } from './assembly.ts';
import { askForCapacity, READ_OPERATIONS, takeCapacity, WRITE_OPERATIONS, type Units } from './capacity-meter.ts';
import { localCredentials } from './credentials.ts';
import type { AnswerBatch, RequestBatch, WireRequest, WireResponse } from './dynalite-call.ts';
import { inProcessHandler, type InProcessHandler } from './in-process-handler.ts';
import { assignedTtlValue } from './ttl-assignment.ts';
import { TtlIndex } from './ttl-index.ts';

export interface LocalTable {
  name: string;
  keyNames: string[];
  ttlAttribute?: string;
}

type Item = Record<string, AttributeValue>;

/** What the local runtime's own requests (TTL sweeps and look-ups) carry: dynalite checks that a signature is there, not what it says. */
const INTERNAL_HEADERS = {
  'content-type': 'application/x-amz-json-1.0',
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  'x-amz-date': '20260101T000000Z',
};
/** DynamoDB's limit per BatchWriteItem: the TTL sweeper deletes this many expired items per request. */
const SWEEP_BATCH = 25;

/**
 * DynamoDB on dynalite: in memory, or on disk under a folder. Tables are created from the
 * template's AWS::DynamoDB::Table resources.
 *
 * Requests reach dynalite in this process, on a thread of its own (local/dynalite-thread.ts:
 * dynalite's validation, parsing and store use a second core): `requestHandler` (for SDK clients:
 * `client`, and the bundles through functions/data/client.ts) hands each serialized request to it
 * without a socket; the HTTP `endpoint` stays for other processes (`tend` commands next to `tend dev`).
 * Every request passes `serve`, on this thread, which counts it (`operations`, `capacity`) and keeps the TTL index.
 *
 * dynalite has no TTL expiry: `sweep()` deletes what expired, as DynamoDB's TTL process would,
 * from an index of the items that carry a TTL (kept from the writes served; rebuilt by one scan
 * when the data comes from disk), without scanning the table.
 */
export class LocalDynamo {
  private server?: Server;
  /** dynalite's thread (local/dynalite-thread.ts), and the answers it owes by request id. */
  private thread?: Worker;
  private readonly pending = new Map<number, (response: WireResponse) => void>();
  private nextId = 0;
  /**
   * Requests go to dynalite's thread in batches, one message per event-loop turn: each message
   * wakes the thread (a system call and, on a busy machine, a context switch), and one message per
   * request made postMessage the costliest native call of the demo's main thread.
   */
  private readonly outbox: RequestBatch = [];
  private stopped = false;
  endpoint = '';
  client!: DynamoDBClient;
  /** The SDK request handler that serves requests in this process (give it to a DynamoDBClient as `requestHandler`). */
  readonly requestHandler: InProcessHandler = inProcessHandler((request) => this.serve(request));
  readonly tables: LocalTable[] = [];
  /** Requests served, by operation (GetItem, Query, PutItem...): what a run costs, counted. The TTL sweeper's are not (DynamoDB's TTL deletes are free). */
  readonly operations: Record<string, number> = {};
  /** Capacity units consumed, by operation (see local/capacity-meter.ts for how they are reckoned). */
  readonly capacity: Record<string, Units> = {};
  /** Items deleted by TTL sweeps so far. */
  expiredDeleted = 0;
  /** Set when the runtime stops: a sweep under way ends after its current request. */
  closing = false;
  private readonly ttl = new Map<string, TtlIndex>();
  /** Writes under way, by table and key: a sweep leaves those keys for the next one. */
  private readonly writing = new Map<string, number>();
  /** Keys a sweep batch is checking and deleting: writes to them wait for it (no fresh item is deleted). */
  private readonly sweeping = new Map<string, Promise<void>>();

  async start(options: { path?: string; port?: number }) {
    const thread = new Worker(new URL('./dynalite-worker.mjs', import.meta.url), { workerData: { path: options.path } });
    this.thread = thread;
    thread.on('message', (message: AnswerBatch | string) => {
      if (typeof message === 'string') return;
      for (const { id, response } of message) {
        this.pending.get(id)?.(response);
        this.pending.delete(id);
      }
    });
    thread.on('error', (err) => this.failPending(err));
    thread.on('exit', () => this.failPending(new Error('the local DynamoDB thread exited')));
    await new Promise<void>((resolve, reject) => {
      thread.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(`local DynamoDB thread: ${String(m)}`))));
      thread.once('error', reject);
    });
    // Requests from other processes go through `serve` like ours.
    this.server = createServer((req, res) => this.serveHttp(req, res));
    await new Promise<void>((resolve, reject) => this.server!.listen(options.port ?? 0, '127.0.0.1', resolve).once('error', reject));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.client = new DynamoDBClient({
      endpoint: this.endpoint,
      region: 'us-east-1',
      credentials: localCredentials,
      requestHandler: this.requestHandler,
      httpAuthSchemes: this.requestHandler.httpAuthSchemes,
    });
  }

  /** Requests whose answer can no longer come get DynamoDB's 500, as a dropped connection would give the SDK an error. */
  private failPending(err: unknown) {
    const body = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(err) });
    for (const answer of this.pending.values()) answer({ statusCode: 500, headers: { 'content-type': 'application/x-amz-json-1.0' }, body });
    this.pending.clear();
  }

  /** Creates the template's tables that do not exist yet; the names of those it created. */
  async createTables(assembly: CloudAssembly): Promise<string[]> {
    const created: string[] = [];
    const existing = new Set((await this.client.send(new ListTablesCommand({}))).TableNames ?? []);
    for (const { stack, logicalId, resource } of assembly.resources('AWS::DynamoDB::Table')) {
      const p = resource.Properties as Record<string, unknown>;
      const name = localName(stack, logicalId);
      const ttl = p.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
      const keyNames = (p.KeySchema as { AttributeName: string }[]).map((k) => k.AttributeName);
      const table = { name, keyNames, ttlAttribute: ttl?.Enabled ? ttl.AttributeName : undefined };
      this.tables.push(table);
      if (table.ttlAttribute) this.ttl.set(name, new TtlIndex());
      if (existing.has(name)) {
        await this.indexTtl(table);
        continue;
      }
      await this.client.send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: p.KeySchema,
          AttributeDefinitions: p.AttributeDefinitions,
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: (p.GlobalSecondaryIndexes as CreateTableCommandInput['GlobalSecondaryIndexes']) ?? undefined,
        } as CreateTableCommandInput),
      );
      created.push(name);
    }
    return created;
  }

  /** Requests and capacity units so far, all operations together. */
  totals(): { requests: number; readUnits: number; writeUnits: number } {
    const units = Object.values(this.capacity);
    return {
      requests: Object.values(this.operations).reduce((a, b) => a + b, 0),
      readUnits: units.reduce((a, u) => a + u.read, 0),
      writeUnits: units.reduce((a, u) => a + u.write, 0),
    };
  }

  /** Serves one DynamoDB request: counted and metered, then answered by dynalite; the writes it makes keep the TTL index. */
  async serve(request: WireRequest): Promise<WireResponse> {
    const op = request.headers['x-amz-target']?.split('.')[1] ?? '';
    if (op) this.operations[op] = (this.operations[op] ?? 0) + 1;
    const write = WRITE_OPERATIONS.has(op);
    const metered = write || READ_OPERATIONS.has(op);
    const ttlWrites = write && this.ttl.size > 0 ? this.ttlWritesOf(op, request.body) : [];
    // Wait for any sweep batch holding these keys, then claim them before anything else runs.
    for (let gate = this.gateOf(ttlWrites); gate; gate = this.gateOf(ttlWrites)) await gate;
    for (const w of ttlWrites) this.writing.set(w.id, (this.writing.get(w.id) ?? 0) + 1);
    let response: WireResponse;
    try {
      const asked = metered ? askForCapacity(request.body) : { body: request.body, strip: false };
      response = await this.call({ ...request, body: asked.body });
      if (metered) response = this.meter(op, response, asked.strip);
    } finally {
      for (const w of ttlWrites) {
        const n = this.writing.get(w.id)! - 1;
        if (n > 0) this.writing.set(w.id, n);
        else this.writing.delete(w.id);
      }
    }
    if (response.statusCode === 200) await this.indexWrites(ttlWrites);
    return response;
  }

  private gateOf(writes: TtlWrite[]): Promise<void> | undefined {
    for (const w of writes) {
      const gate = this.sweeping.get(w.id);
      if (gate) return gate;
    }
    return undefined;
  }

  private call(request: WireRequest): Promise<WireResponse> {
    if (this.stopped || !this.thread) return Promise.reject(new Error('the local DynamoDB is stopped'));
    const id = this.nextId++;
    const answered = new Promise<WireResponse>((resolve) => this.pending.set(id, resolve));
    this.outbox.push({ id, request });
    if (this.outbox.length === 1) setImmediate(this.flush);
    return answered;
  }

  /** Sends the requests of this event-loop turn (see `outbox`); the thread, until stop() ends it, answers them. */
  private readonly flush = () => {
    const batch = this.outbox.splice(0);
    if (batch.length > 0) this.thread?.postMessage(batch);
  };

  private meter(op: string, response: WireResponse, strip: boolean): WireResponse {
    const units = (this.capacity[op] ??= { read: 0, write: 0 });
    const kind = READ_OPERATIONS.has(op) ? 'read' : 'write';
    if (response.statusCode !== 200) {
      if (kind === 'write' && response.body.includes('ConditionalCheckFailedException')) units.write += 1;
      return response;
    }
    const taken = takeCapacity(response.body, strip);
    units[kind] += taken.units;
    if (taken.body === response.body) return response;
    // The body changed: its length and checksum headers no longer hold.
    const { 'content-length': _length, 'x-amz-crc32': _crc, ...headers } = response.headers;
    return { ...response, headers, body: taken.body };
  }

  /** A request of the local runtime's own (not counted, not metered). */
  private async internal<T>(op: string, input: unknown): Promise<T> {
    const response = await this.call({ path: '/', headers: { ...INTERNAL_HEADERS, 'x-amz-target': `DynamoDB_20120810.${op}` }, body: JSON.stringify(input) });
    if (response.statusCode !== 200) throw new Error(`local DynamoDB ${op} failed: ${response.body}`);
    return JSON.parse(response.body) as T;
  }

  private table(name: string): LocalTable | undefined {
    return this.tables.find((t) => t.name === name);
  }

  private keyOf(table: LocalTable, item: Item): string {
    return JSON.stringify(table.keyNames.map((k) => item[k]));
  }

  private keyFrom(table: LocalTable, key: string): Item {
    const values = JSON.parse(key) as AttributeValue[];
    return Object.fromEntries(table.keyNames.map((k, i) => [k, values[i]!]));
  }

  private expiryOf(table: LocalTable, item: Item | undefined): number | undefined {
    const value = item?.[table.ttlAttribute!];
    return value && 'N' in value && value.N !== undefined ? Number(value.N) : undefined;
  }

  /** The writes of a request to tables with a TTL: the key, and the item's new expiry when the request says it. */
  private ttlWritesOf(op: string, body: string): TtlWrite[] {
    // An update whose body never spells a TTL attribute's name (nor escapes characters) cannot touch it: no need to parse it.
    if (op === 'UpdateItem' && !body.includes('\\u') && !this.tables.some((t) => t.ttlAttribute && body.includes(t.ttlAttribute))) return [];
    const input = JSON.parse(body) as Record<string, unknown>;
    const writes: TtlWrite[] = [];
    const add = (tableName: unknown, kind: TtlWrite['kind'], item: Item | undefined, expiry?: number) => {
      const table = typeof tableName === 'string' ? this.table(tableName) : undefined;
      if (!table?.ttlAttribute || !item) return;
      const key = this.keyOf(table, item);
      writes.push({ table, key, id: `${table.name}\n${key}`, kind, expiry: kind === 'put' ? this.expiryOf(table, item) : expiry });
    };
    if (op === 'PutItem') add(input.TableName, 'put', input.Item as Item);
    if (op === 'DeleteItem') add(input.TableName, 'delete', input.Key as Item);
    if (op === 'UpdateItem') {
      const table = typeof input.TableName === 'string' ? this.table(input.TableName) : undefined;
      const ttl = table?.ttlAttribute;
      const expression = input.UpdateExpression as string | undefined;
      const names = input.ExpressionAttributeNames as Record<string, string> | undefined;
      // An update that does not name the TTL attribute leaves the item's expiry as it was.
      const touches =
        ttl &&
        (expression?.includes(ttl) || Object.values(names ?? {}).includes(ttl) || (input.AttributeUpdates as Record<string, unknown> | undefined)?.[ttl]);
      if (touches) {
        // `SET <ttl> = :v` says the new expiry; anything else is read back after the write.
        const assigned = expression && !input.AttributeUpdates ? assignedTtlValue(expression, names, input.ExpressionAttributeValues as Item, ttl) : undefined;
        if (assigned) add(input.TableName, 'set', input.Key as Item, this.expiryOf(table, { [ttl]: assigned.value as AttributeValue }));
        else add(input.TableName, 'update', input.Key as Item);
      }
    }
    if (op === 'BatchWriteItem') {
      for (const [tableName, requests] of Object.entries(
        (input.RequestItems as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>) ?? {},
      )) {
        for (const r of requests) {
          if (r.PutRequest) add(tableName, 'put', r.PutRequest.Item);
          if (r.DeleteRequest) add(tableName, 'delete', r.DeleteRequest.Key);
        }
      }
    }
    return writes;
  }

  private async indexWrites(writes: TtlWrite[]) {
    for (const w of writes) {
      const index = this.ttl.get(w.table.name)!;
      if (w.kind === 'put' || w.kind === 'set') index.set(w.key, w.expiry);
      if (w.kind === 'delete') index.delete(w.key);
      if (w.kind === 'update') {
        // What the update expression made of the TTL is read back (one in-process look-up).
        const { Item } = await this.internal<{ Item?: Item }>('GetItem', {
          TableName: w.table.name,
          Key: this.keyFrom(w.table, w.key),
          ProjectionExpression: '#ttl',
          ExpressionAttributeNames: { '#ttl': w.table.ttlAttribute },
          ConsistentRead: true,
        });
        index.set(w.key, this.expiryOf(w.table, Item));
      }
    }
  }

  /** Rebuilds a table's TTL index from what is stored (data from disk): one scan, at start. */
  private async indexTtl(table: LocalTable) {
    const index = this.ttl.get(table.name);
    if (!index) return;
    let start: Item | undefined;
    do {
      const page = await this.internal<{ Items?: Item[]; LastEvaluatedKey?: Item }>('Scan', {
        TableName: table.name,
        FilterExpression: 'attribute_exists(#ttl)',
        ProjectionExpression: [...table.keyNames.map((_, i) => `#k${i}`), '#ttl'].join(', '),
        ExpressionAttributeNames: { '#ttl': table.ttlAttribute, ...Object.fromEntries(table.keyNames.map((k, i) => [`#k${i}`, k])) },
        ExclusiveStartKey: start,
      });
      for (const item of page.Items ?? []) index.set(this.keyOf(table, item), this.expiryOf(table, item));
      start = page.LastEvaluatedKey;
    } while (start);
  }

  /**
   * Deletes the items whose TTL (epoch seconds) is before `nowMs`, as DynamoDB's TTL process would,
   * 25 to a BatchWriteItem; each batch re-reads the expiry first, and writes to its keys wait for it.
   * Returns how many it deleted; stops between batches once `closing` is set.
   */
  async sweep(nowMs: number): Promise<number> {
    const now = Math.floor(nowMs / 1000);
    let deleted = 0;
    for (const table of this.tables) {
      const index = this.ttl.get(table.name);
      if (!index) continue;
      while (!this.closing) {
        const keys = index.expired(now, SWEEP_BATCH).filter((k) => !this.writing.has(`${table.name}\n${k}`));
        if (keys.length === 0) break;
        deleted += await this.sweepBatch(table, index, keys, now);
      }
    }
    return deleted;
  }

  private async sweepBatch(table: LocalTable, index: TtlIndex, keys: string[], now: number): Promise<number> {
    let release!: () => void;
    const done = new Promise<void>((r) => (release = r));
    const ids = keys.map((k) => `${table.name}\n${k}`);
    for (const id of ids) this.sweeping.set(id, done);
    try {
      const names = { '#ttl': table.ttlAttribute, ...Object.fromEntries(table.keyNames.map((k, i) => [`#k${i}`, k])) };
      const got = await this.internal<{ Responses?: Record<string, Item[]> }>('BatchGetItem', {
        RequestItems: {
          [table.name]: {
            Keys: keys.map((k) => this.keyFrom(table, k)),
            ProjectionExpression: Object.keys(names).join(', '),
            ExpressionAttributeNames: names,
            ConsistentRead: true,
          },
        },
      });
      const stored = new Map((got.Responses?.[table.name] ?? []).map((item) => [this.keyOf(table, item), this.expiryOf(table, item)]));
      const expired = keys.filter((k) => {
        const at = stored.get(k);
        if (at === undefined || at >= now) index.set(k, at); // gone, or given a later expiry meanwhile
        return at !== undefined && at < now;
      });
      if (expired.length === 0) return 0;
      const out = await this.internal<{ UnprocessedItems?: Record<string, { DeleteRequest?: { Key: Item } }[]> }>('BatchWriteItem', {
        RequestItems: { [table.name]: expired.map((k) => ({ DeleteRequest: { Key: this.keyFrom(table, k) } })) },
      });
      // Unprocessed deletes stay indexed for the next sweep.
      const left = new Set((out.UnprocessedItems?.[table.name] ?? []).flatMap((r) => (r.DeleteRequest ? [this.keyOf(table, r.DeleteRequest.Key)] : [])));
      const done = expired.filter((k) => !left.has(k));
      for (const k of done) index.delete(k);
      this.expiredDeleted += done.length;
      return done.length;
    } finally {
      for (const id of ids) this.sweeping.delete(id);
      release();
    }
  }

  private serveHttp(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
      this.serve({ method: req.method, path: req.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') }).then(
        (out) => {
          res.writeHead(out.statusCode, { ...out.headers, 'content-length': String(Buffer.byteLength(out.body)) });
          res.end(out.body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  }

  /** Refuses new requests, lets dynalite finish the ones under way, then closes it and its thread. */
  async stop() {
    this.stopped = true;
    this.client?.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    const thread = this.thread;
    if (!thread) return;
    // Answers under way still arrive; then dynalite closes its store (a write cut off would surface inside dynalite).
    for (const until = Date.now() + 5_000; this.pending.size > 0 && Date.now() < until;) await new Promise((r) => setTimeout(r, 5));
    await new Promise<void>((resolve) => {
      thread.on('message', (m) => m === 'stopped' && resolve());
      thread.once('exit', () => resolve());
      thread.postMessage('stop');
    });
    await thread.terminate();
  }
}

interface TtlWrite {
  table: LocalTable;
  key: string;
  /** Table and key, unique across tables. */
  id: string;
  /** put: the item's expiry; set: an update's `SET <ttl> = :v`; update: read back after the write; delete. */
  kind: 'put' | 'set' | 'update' | 'delete';
  expiry?: number;
}
