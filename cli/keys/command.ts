import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { SCOPES, type Scope } from '../../functions/core/api-keys.ts';
import { apiKeyRepo } from '../../functions/data/api-keys.ts';
import { segmentSecretStore } from '../../functions/data/segment-secret.ts';
import { createApiKey } from '../../local/api-keys.ts';
import { openTable } from '../local-state.ts';

interface TableOptions {
  data: string;
  table?: string;
  region?: string;
  json?: boolean;
}

export function parseScopes(values: string[]): Scope[] {
  const scopes = values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length || !scopes.length)
    throw new Error(`--scope must be one or more of ${SCOPES.join(', ')}${unknown.length ? ` (not ${unknown.join(', ')})` : ''}`);
  return scopes as Scope[];
}

async function withTable<T>(options: TableOptions, fn: (t: Awaited<ReturnType<typeof openTable>>) => Promise<T>): Promise<T> {
  const t = await openTable(options);
  try {
    return await fn(t);
  } finally {
    await t.close();
  }
}

/** `tend keys create`: the key is printed once; only its hash is stored. */
export async function createKeyCommand(options: TableOptions & { scope: string[]; name?: string; rate?: number }) {
  const scopes = parseScopes(options.scope);
  const { key, record } = await withTable(options, async (t) =>
    createApiKey(t.client, t.table, { scopes, name: options.name ?? scopes.join('+'), rateLimit: options.rate, now: await t.now() }),
  );
  if (options.json) return console.log(JSON.stringify({ key, id: record.id, name: record.name, scopes: record.scopes }));
  console.log(`${key}\n\nKey ${record.id} (${record.scopes.join(', ')}) created. It is shown only now: Tend keeps its hash.`);
  console.log('Send it as "Authorization: Bearer <key>" (or x-api-key; Segment: as the write key).');
}

export async function listKeysCommand(options: TableOptions) {
  const keys = await withTable(options, (t) => apiKeyRepo(DynamoDBDocumentClient.from(t.client), t.table).list());
  const rows = keys.map(({ hash: _hash, ...k }) => k).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (options.json) return console.log(JSON.stringify(rows));
  if (!rows.length) return console.log('No API keys. Create one with `tend keys create --scope ingest`.');
  console.log(`${'id'.padEnd(14)}${'scopes'.padEnd(20)}${'created'.padEnd(22)}${'status'.padEnd(24)}name`);
  for (const k of rows)
    console.log(
      `${k.id.padEnd(14)}${k.scopes.join(',').padEnd(20)}${k.createdAt.slice(0, 19).padEnd(22)}${(k.revokedAt ? `revoked ${k.revokedAt.slice(0, 10)}` : 'active').padEnd(24)}${k.name}`,
    );
}

export async function revokeKeyCommand(id: string, options: TableOptions) {
  const found = await withTable(options, async (t) => apiKeyRepo(DynamoDBDocumentClient.from(t.client), t.table).revoke(id, await t.now()));
  if (!found) throw new Error(`no API key with id "${id}" (see \`tend keys list\`)`);
  if (options.json) return console.log(JSON.stringify({ id, revoked: true }));
  console.log(`Key ${id} revoked. Running functions stop accepting it within 30 seconds.`);
}

/** The shared secret to paste into a Segment webhook destination's settings (X-Signature). */
export async function segmentSecretCommand(options: TableOptions & { rotate?: boolean }) {
  const secret = await withTable(options, async (t) => {
    const store = segmentSecretStore(DynamoDBDocumentClient.from(t.client), t.table);
    const current = options.rotate ? undefined : await store.get();
    if (current) return current;
    const fresh = randomBytes(24).toString('base64url');
    await store.put(fresh, await t.now());
    return fresh;
  });
  if (options.json) return console.log(JSON.stringify({ secret }));
  console.log(`${secret}\n\nSet it as the Shared Secret of your Segment webhook destination; Tend checks each delivery's X-Signature with it.`);
}
