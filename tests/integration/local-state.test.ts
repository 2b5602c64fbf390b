import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openTable } from '../../cli/local-state.ts';
import { reputationRepo } from '../../functions/data/email.ts';
import { apiKeyRepo } from '../../functions/data/api-keys.ts';

/**
 * The first command on a brand-new `--data` folder: the table it creates must be usable at once
 * (it used to answer "Requested resource not found" until a second command, once dynalite had
 * turned the table ACTIVE).
 */
describe('openTable on a brand-new data folder', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-fresh-data-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it.each([
    ['tend keys list', async (db: DynamoDBDocumentClient, table: string) => expect(await apiKeyRepo(db, table).list()).toEqual([])],
    ['tend email status', async (db: DynamoDBDocumentClient, table: string) => expect(await reputationRepo(db, table).override()).toBeUndefined()],
    ['tend email resume', async (db: DynamoDBDocumentClient, table: string) => void (await reputationRepo(db, table).setOverride(undefined))],
  ])(
    'the first command (%s) finds its table ACTIVE and works',
    async (_, command) => {
      // A few fresh folders each: the race was lost often, not always.
      for (let i = 0; i < 3; i++) {
        const t = await openTable({ data: fresh(), assemblyDir: inject('assemblyDir') });
        try {
          const { Table } = await t.client.send(new DescribeTableCommand({ TableName: t.table }));
          expect(Table?.TableStatus).toBe('ACTIVE');
          await command(DynamoDBDocumentClient.from(t.client), t.table);
        } finally {
          await t.close();
        }
      }
    },
    60_000,
  );
});
