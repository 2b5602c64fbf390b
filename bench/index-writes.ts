/**
 * The global secondary indexes' write units a write causes, which DynamoDB bills (and reports
 * with ReturnConsumedCapacity TOTAL) but dynalite leaves out: it reports the table's unit only.
 * Counted from each written item before and after the write (read unmetered, consistently),
 * by DynamoDB's rules for an index (Developer Guide, "Provisioned throughput considerations for
 * global secondary indexes"): an entry put or removed is one write, a change of its projected
 * attributes in place one, a change of its index key two (a delete and a put), an item outside
 * the index before and after none; each write is billed on the entry's size, 1 WRU a KB.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;
interface IndexShape {
  name: string;
  keys: string[];
  /** undefined: ALL. */
  projected?: string[];
}

/** An attribute value's size as DynamoDB bills it (numbers approximated by their digits). */
function valueSize(v: unknown): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number') return Math.ceil(String(v).replace(/[-.]/g, '').length / 2) + 1;
  if (v instanceof Uint8Array) return v.byteLength;
  if (v instanceof Set) return [...v].reduce((s: number, x) => s + valueSize(x), 0);
  if (Array.isArray(v)) return 3 + v.reduce((s: number, x) => s + 1 + valueSize(x), 0);
  if (typeof v === 'object') return 3 + itemSize(v as Item) + Object.keys(v).length;
  return 1;
}
/** An item's size as DynamoDB bills it (approximated as above). */
export const itemSize = (item: Item) => Object.entries(item).reduce((s, [k, v]) => s + Buffer.byteLength(k) + valueSize(v), 0);

export function indexWriteMeter(raw: DynamoDBDocumentClient, table: string) {
  let shapes: Promise<{ tableKeys: string[]; indexes: IndexShape[] }> | undefined;
  const describe = async () => {
    const t = (await raw.send(new DescribeTableCommand({ TableName: table }))).Table!;
    return {
      tableKeys: (t.KeySchema ?? []).map((k) => k.AttributeName!),
      indexes: (t.GlobalSecondaryIndexes ?? []).map((i) => ({
        name: i.IndexName!,
        keys: (i.KeySchema ?? []).map((k) => k.AttributeName!),
        projected: i.Projection?.ProjectionType === 'ALL' ? undefined : (i.Projection?.NonKeyAttributes ?? []),
      })),
    };
  };

  /** The keys of the items a write command touches. */
  const keysOf = (command: { input: Record<string, unknown>; constructor: { name: string } }, tableKeys: string[]): Item[] => {
    const pick = (item: Item) => Object.fromEntries(tableKeys.map((k) => [k, item[k]]));
    const input = command.input as { Key?: Item; Item?: Item; RequestItems?: Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]> };
    switch (command.constructor.name) {
      case 'PutCommand':
        return [pick(input.Item!)];
      case 'UpdateCommand':
      case 'DeleteCommand':
        return [input.Key!];
      case 'BatchWriteCommand':
        return (input.RequestItems?.[table] ?? []).map((r) => (r.PutRequest ? pick(r.PutRequest.Item) : r.DeleteRequest!.Key));
      default:
        return [];
    }
  };

  const read = (Key: Item) => raw.send(new GetCommand({ TableName: table, Key, ConsistentRead: true })).then((o) => o.Item);

  /** One index's write units for an item going from `before` to `after`. */
  function units(index: IndexShape, tableKeys: string[], before: Item | undefined, after: Item | undefined) {
    const inIndex = (i: Item | undefined) => !!i && index.keys.every((k) => i[k] !== undefined);
    const entry = (i: Item) =>
      index.projected ? Object.fromEntries([...tableKeys, ...index.keys, ...index.projected].filter((k) => i[k] !== undefined).map((k) => [k, i[k]])) : i;
    const size = (i: Item) => Math.max(1, Math.ceil(itemSize(entry(i)) / 1024));
    const [was, is] = [inIndex(before), inIndex(after)];
    if (!was && !is) return 0;
    if (!was) return size(after!);
    if (!is) return size(before!);
    if (index.keys.some((k) => before![k] !== after![k])) return size(before!) + size(after!);
    return same(entry(before!), entry(after!)) ? 0 : size(after!);
  }

  return {
    /** Runs a write and returns the index write units it caused, per index. */
    async around<T>(
      command: { input: Record<string, unknown>; constructor: { name: string } },
      write: () => Promise<T>,
    ): Promise<{ out: T; units: Record<string, number> }> {
      const { tableKeys, indexes } = await (shapes ??= describe());
      const keys = keysOf(command, tableKeys);
      if (!keys.length || !indexes.length) return { out: await write(), units: {} };
      const before = await Promise.all(keys.map(read));
      const out = await write();
      const after = await Promise.all(keys.map(read));
      const counted: Record<string, number> = {};
      for (const index of indexes) counted[index.name] = keys.reduce((sum, _, i) => sum + units(index, tableKeys, before[i], after[i]), 0);
      return { out, units: counted };
    },
  };
}

/** Deep equality of two attribute values (sets and lists by content). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Set && b instanceof Set) return a.size === b.size && [...a].every((x) => b.has(x));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const [ka, kb] = [Object.keys(a), Object.keys(b)];
    return ka.length === kb.length && ka.every((k) => same((a as Item)[k], (b as Item)[k]));
  }
  return false;
}
