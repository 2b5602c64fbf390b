import { ACCOUNT_SHARDS, HELD_SHARDS, keys, TABLE_KEYS } from '../functions/data/keys.ts';
import type { LocalDynamo } from './dynamodb.ts';
import type { LocalSchedule, WorkProbe } from './scheduler.ts';

type Input = { sweep?: unknown; dirty?: unknown } | null;

/** The held-send sweep's schedule says what it sweeps in its input (lib/constructs/email-sweep.ts). */
const isHeldSendSweep = (schedule: LocalSchedule) => (schedule.input as Input)?.sweep === 'held-sends';
/** The rescoring of accounts with new data (lib/constructs/scoring.ts). */
const isRescoring = (schedule: LocalSchedule) => (schedule.input as Input)?.dirty === true;

/**
 * What the local scheduler asks before it fires a schedule on its clock: a schedule whose target
 * would find nothing to do is not run. Two hourly schedules have such a probe, each reading exactly
 * what its function reads first, with the local runtime's own uncounted requests (no SDK, no
 * invocation), so that a demo's request figures are what its work costs:
 * - the held-send sweep settles sends held in gsi1 under `HELD#<shard>`; with none there (nearly
 *   every hour: a send is held only between its claim and SES's answer) it reads four empty shards;
 * - the rescoring reads the 16 `DIRTYFLAG#<shard>` items; with none (every hour but the one after
 *   the data arrived) it reads them and stops.
 * On AWS both run every hour as scheduled; `scheduler.fire()` (the tests, the demo's last round)
 * always runs them.
 */
export function scheduleProbes(dynamo: LocalDynamo, table: string): WorkProbe {
  const heldSends = async () => {
    const counts = await Promise.all(
      Array.from({ length: HELD_SHARDS }, (_, shard) =>
        dynamo.internal<{ Count?: number }>('Query', {
          TableName: table,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.partitionKey },
          ExpressionAttributeValues: { ':pk': { S: keys.heldShard(shard) } },
          Select: 'COUNT',
          Limit: 1,
        }),
      ),
    );
    return counts.some((c) => (c.Count ?? 0) > 0);
  };
  const dirtyFlags = async () => {
    const flags = Array.from({ length: ACCOUNT_SHARDS }, (_, shard) => keys.dirtyFlag(shard));
    const out = await dynamo.internal<{ Responses?: Record<string, unknown[]>; UnprocessedKeys?: Record<string, unknown> }>('BatchGetItem', {
      RequestItems: { [table]: { Keys: flags.map((k) => ({ pk: { S: k.pk }, sk: { S: k.sk } })), ProjectionExpression: 'pk' } },
    });
    // Keys left unprocessed are not known to be absent: let the function look.
    return (out.Responses?.[table]?.length ?? 0) > 0 || Object.keys(out.UnprocessedKeys ?? {}).length > 0;
  };
  return (schedule) => (isHeldSendSweep(schedule) ? heldSends() : isRescoring(schedule) ? dirtyFlags() : true);
}
