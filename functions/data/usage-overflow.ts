import { createHash } from 'node:crypto';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UsageEvent } from '../core/types.ts';
import { keys } from './keys.ts';
import { writeIf } from './items.ts';
import { chunksOf, eventHash } from './usage-claims.ts';

/**
 * A busy account-day's claims past the day item's own (docs/data-model.md): a tree of small claim
 * items. The day item closes at DAY_CLAIMS; its ids then go to one of 4 nodes by hash; a node
 * closes at NODE_CLAIMS and its ids go to one of its 8 children, and so on. A node's claims never
 * change once it is closed, so an id is counted at most once along its path. Each write touches a
 * node of at most NODE_CLAIMS claims: a single event on a day of 2,000 costs what it costs on a
 * day of 200, and a batch's events of one day share the few nodes a day of its size has.
 *
 * Claim and rollup are two writes here, claim first. Each claim stores a print of the body it
 * counted, so a replay of the same body re-adds its rollup members (set members: adding them twice
 * changes nothing) and a crash between the two writes loses nothing; a replay with another body
 * adds nothing.
 */
export const NODE_CLAIMS = 56;
const fanout = (depth: number) => (depth === 1 ? 4 : 8);

/** The child of `node` an id hash goes to: a node path is the hash's bytes, each reduced by its level's fanout. */
export function childOf(node: string, hash: string): string {
  const depth = node ? node.split('.').length + 1 : 1;
  const byte = Buffer.from(hash, 'base64url')[depth - 1]!;
  return node ? `${node}.${byte % fanout(depth)}` : String(byte % fanout(depth));
}

/** 3 bytes of SHA-256 over what the rollup reads of an event: tells the same body from another (1 in 16 million alike). */
export function bodyPrint(e: UsageEvent): string {
  const properties = Object.entries(e.properties ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256')
    .update(JSON.stringify([e.userId, e.name, e.timestamp, properties]))
    .digest()
    .subarray(0, 3)
    .toString('base64url');
}

/** One top-level attribute per claim: `c<hash>` = body print. */
const claimName = (hash: string) => `c${hash}`;
const isClaim = (attribute: string) => attribute.length === 12 && attribute.startsWith('c');

/** Claims the events' ids in an open node with room for them; refused when any is there, or the node is closed or full. */
export function claimInNode(table: string, key: Record<string, string>, events: UsageEvent[], expiresAt: number): UpdateCommand {
  const hashes = events.map((e) => eventHash(e.id));
  return new UpdateCommand({
    TableName: table,
    Key: key,
    UpdateExpression: `SET ${hashes.map((_, i) => `#c${i} = :p${i}`).join(', ')}, expiresAt = :exp ADD #n :k`,
    ConditionExpression: `attribute_not_exists(#closed) AND (attribute_not_exists(#n) OR #n <= :room) AND ${hashes.map((_, i) => `attribute_not_exists(#c${i})`).join(' AND ')}`,
    ExpressionAttributeNames: { ...Object.fromEntries(hashes.map((h, i) => [`#c${i}`, claimName(h)])), '#closed': 'closed', '#n': 'n' },
    ExpressionAttributeValues: {
      ...Object.fromEntries(events.map((e, i) => [`:p${i}`, bodyPrint(e)])),
      ':exp': expiresAt,
      ':k': hashes.length,
      ':room': NODE_CLAIMS - hashes.length,
    },
  });
}

export interface OverflowClaims {
  /** Ids this call claimed: their rollup is added now. */
  claimed: UsageEvent[];
  /** Ids claimed before with the same body: their rollup is added again (a no-op unless a crash came between). */
  sameBody: UsageEvent[];
}

/**
 * Closed nodes this container has seen, with their frozen claims (hash → body print): the next
 * events skip the write a closed node would refuse. Bounded; a closed node never changes while
 * its table stands (a restored table under a warm container is the one case this trusts wrongly).
 */
const closedNodes = new Map<string, ReadonlyMap<string, string>>();
function remember(key: string, claims: ReadonlyMap<string, string>) {
  if (closedNodes.size >= 2_000) closedNodes.delete(closedNodes.keys().next().value!);
  closedNodes.set(key, claims);
}

type Node = { table: string; accountId: string; day: string; expiresAt: number; path: string };

/** Claims each event's id in the claim tree under a closed day: the root's 4 nodes, concurrently. */
export function claimOverflow(db: DynamoDBDocumentClient, table: string, accountId: string, day: string, expiresAt: number, events: UsageEvent[]) {
  return claimUnder(db, { table, accountId, day, expiresAt, path: '' }, events);
}

async function claimUnder(db: DynamoDBDocumentClient, parent: Node, events: UsageEvent[]): Promise<OverflowClaims> {
  const byChild = new Map<string, UsageEvent[]>();
  for (const e of events) {
    const child = childOf(parent.path, eventHash(e.id));
    byChild.set(child, [...(byChild.get(child) ?? []), e]);
  }
  const results = await Promise.all([...byChild].map(([path, childEvents]) => claimInTree(db, { ...parent, path }, childEvents)));
  return { claimed: results.flatMap((r) => r.claimed), sameBody: results.flatMap((r) => r.sameBody) };
}

/** Claims in this node while it is open, then, once it is closed, what its frozen claims do not hold goes to its children. */
async function claimInTree(db: DynamoDBDocumentClient, node: Node, events: UsageEvent[]): Promise<OverflowClaims> {
  const key = keys.usageClaims(node.accountId, node.day, node.path);
  const cacheKey = `${node.table}\u0000${key.pk}\u0000${key.sk}`;
  const out: OverflowClaims = { claimed: [], sameBody: [] };
  const onward: UsageEvent[] = [];
  // Ids found in this node: the same body is a replay to re-add, another body a duplicate.
  const sortOut = (pending: UsageEvent[], claims: ReadonlyMap<string, string>) =>
    pending.filter((e) => {
      const print = claims.get(eventHash(e.id));
      if (print === bodyPrint(e)) out.sameBody.push(e);
      return print === undefined;
    });
  for (const chunk of chunksOf(events, NODE_CLAIMS)) {
    const frozen = closedNodes.get(cacheKey);
    if (frozen) {
      onward.push(...sortOut(chunk, frozen));
      continue;
    }
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > chunk.length + 3) throw new Error(`claims of ${node.accountId} on ${node.day} (node ${node.path}) kept being refused`);
      if (await writeIf(db, claimInNode(node.table, key, pending, node.expiresAt))) {
        out.claimed.push(...pending);
        break;
      }
      const stored = await nodeState(db, node.table, key, pending);
      pending = sortOut(pending, stored.claims);
      if (pending.length > 0 && (stored.closed || stored.count + pending.length > NODE_CLAIMS)) {
        const claims = await closeNode(db, node.table, key);
        remember(cacheKey, claims);
        onward.push(...sortOut(pending, claims));
        break;
      }
    }
  }
  if (onward.length === 0) return out;
  const below = await claimUnder(db, node, onward);
  return { claimed: [...out.claimed, ...below.claimed], sameBody: [...out.sameBody, ...below.sameBody] };
}

/** Whether a node is closed, its claim count, and the prints it holds for these events' ids; strongly consistent, to see a racing claim. */
async function nodeState(db: DynamoDBDocumentClient, table: string, key: Record<string, string>, events: UsageEvent[]) {
  const hashes = events.map((e) => eventHash(e.id));
  const out = await db.send(
    new GetCommand({
      TableName: table,
      Key: key,
      ConsistentRead: true,
      ProjectionExpression: ['#closed', '#n', ...hashes.map((_, i) => `#c${i}`)].join(', '),
      ExpressionAttributeNames: { ...Object.fromEntries(hashes.map((h, i) => [`#c${i}`, claimName(h)])), '#closed': 'closed', '#n': 'n' },
    }),
  );
  const item = out.Item ?? {};
  return {
    closed: item.closed === true,
    count: Number(item.n ?? 0),
    claims: new Map(hashes.filter((h) => item[claimName(h)] !== undefined).map((h) => [h, String(item[claimName(h)])])),
  };
}

/** Closes a node to further claims and returns the claims it froze with (read in the same write). */
async function closeNode(db: DynamoDBDocumentClient, table: string, key: Record<string, string>): Promise<ReadonlyMap<string, string>> {
  const out = await db.send(
    new UpdateCommand({
      TableName: table,
      Key: key,
      UpdateExpression: 'SET #closed = :yes',
      ExpressionAttributeNames: { '#closed': 'closed' },
      ExpressionAttributeValues: { ':yes': true },
      ReturnValues: 'ALL_NEW',
    }),
  );
  const item = out.Attributes ?? {};
  return new Map(
    Object.keys(item)
      .filter(isClaim)
      .map((name) => [name.slice(1), String(item[name])]),
  );
}
