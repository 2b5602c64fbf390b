import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunRepo } from '../core/ports.ts';
import type { RunRecord } from '../core/types.ts';
import { ValidationError } from '../core/errors.ts';
import { ID_PATTERN } from '../core/limits.ts';
import { keys, TABLE_KEYS } from './keys.ts';
import { stripKeys, updateIfReturning, writeIf } from './items.ts';
import { runOutcomeCounters } from './outcome-counters.ts';
import { playStepEntry } from '../core/timeline.ts';
import { putAll, timelineItemOf } from './timeline.ts';
import { batchGetItems } from './batch.ts';

const badCursor = () =>
  new ValidationError('cursor: not a cursor this API returned for this play', [{ field: 'cursor', message: 'not a cursor this API returned for this play' }]);

/**
 * A page's cursor is the LastEvaluatedKey of the play's index partition. A client's cursor goes
 * to DynamoDB as ExclusiveStartKey, so it must have exactly that key's shape (the run of one
 * account of this play, in this play's partition): anything else is a 400, not DynamoDB's
 * ValidationException (a 500), and cannot point the query at another partition.
 */
export function decodeRunsCursor(play: string, cursor: string): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw badCursor();
  const { pk, sk, gsi1pk, gsi1sk, ...rest } = key as Record<string, unknown>;
  if (Object.keys(rest).length || typeof sk !== 'string' || typeof gsi1sk !== 'string') throw badCursor();
  const accountId = gsi1sk.slice(gsi1sk.indexOf('#') + 1);
  const startedAt = gsi1sk.slice(0, gsi1sk.indexOf('#'));
  const cycle = sk.slice(keys.runPrefix(play).length);
  const shaped =
    ID_PATTERN.test(accountId) &&
    /^\d{4}-\d{2}-\d{2}T[\d:.]{8,16}Z$/.test(startedAt) &&
    sk.startsWith(keys.runPrefix(play)) &&
    /^[\w:.-]{1,64}$/.test(cycle) &&
    pk === keys.run(accountId, play, cycle).pk &&
    gsi1pk === keys.runsOfPlay(play);
  if (!shaped) throw badCursor();
  return { pk, sk, gsi1pk, gsi1sk } as Record<string, string>;
}

/**
 * Run records (one per account, play and cycle; listed per play through gsi1) and the live-run
 * locks (one per account and play, present while a run is live).
 */
export function runRepo(db: DynamoDBDocumentClient, table: string): RunRepo {
  const queryAccount = async (accountId: string, prefix: string, newestFirst = false, limit?: number) => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': keys.account(accountId).pk, ':p': prefix },
          ScanIndexForward: !newestFirst,
          Limit: limit,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []));
      start = limit ? undefined : out.LastEvaluatedKey;
    } while (start);
    return items;
  };
  /** An update of a run record: false when its condition refused it (the run had moved on). */
  const update = (
    ref: { accountId: string; play: string; cycle: string },
    expression: string,
    values: Record<string, unknown>,
    names?: Record<string, string>,
    condition?: string,
  ) =>
    writeIf(
      db,
      new UpdateCommand({
        TableName: table,
        Key: keys.run(ref.accountId, ref.play, ref.cycle),
        UpdateExpression: expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  /** The same update, returning the record as it was (`ALL_OLD`) or is (`ALL_NEW`) when it happened: the outcome counters need its start. */
  const transition = (
    ref: { accountId: string; play: string; cycle: string },
    returnValues: 'ALL_OLD' | 'ALL_NEW',
    expression: string,
    values: Record<string, unknown>,
    names?: Record<string, string>,
    condition?: string,
  ) =>
    updateIfReturning(
      db,
      new UpdateCommand({
        TableName: table,
        Key: keys.run(ref.accountId, ref.play, ref.cycle),
        UpdateExpression: expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: returnValues,
      }),
    );
  const outcomes = runOutcomeCounters(db, table);

  return {
    async get(ref) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.run(ref.accountId, ref.play, ref.cycle) }));
      return out.Item ? (stripKeys(out.Item) as unknown as RunRecord) : undefined;
    },
    async getMany(refs) {
      const found = new Map<string, RunRecord>();
      for (const item of await batchGetItems(
        db,
        table,
        refs.map((r) => keys.run(r.accountId, r.play, r.cycle)),
      ))
        found.set(`${String(item.pk)}|${String(item.sk)}`, stripKeys(item) as unknown as RunRecord);
      return refs.map((r) => {
        const k = keys.run(r.accountId, r.play, r.cycle);
        return found.get(`${k.pk}|${k.sk}`);
      });
    },
    async forAccount(accountId) {
      return (await queryAccount(accountId, keys.runPrefix(), true)).map((i) => stripKeys(i) as unknown as RunRecord);
    },
    async latest(accountId, play) {
      const [item] = await queryAccount(accountId, keys.runPrefix(play), true, 1);
      return item ? (stripKeys(item) as unknown as RunRecord) : undefined;
    },
    async listByPlay(play, { status, limit, cursor, group }) {
      const filters = [...(status ? ['#status = :status'] : []), ...(group ? ['#groups.#cut = :group'] : [])];
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: '#pk = :pk',
          FilterExpression: filters.length ? filters.join(' AND ') : undefined,
          ExpressionAttributeNames: {
            '#pk': TABLE_KEYS.gsi1.partitionKey,
            ...(status ? { '#status': 'status' } : {}),
            ...(group ? { '#groups': 'groups', '#cut': group.cut } : {}),
          },
          ExpressionAttributeValues: { ':pk': keys.runsOfPlay(play), ...(status ? { ':status': status } : {}), ...(group ? { ':group': group.group } : {}) },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: cursor ? decodeRunsCursor(play, cursor) : undefined,
        }),
      );
      return {
        runs: (out.Items ?? []).map((i) => stripKeys(i) as unknown as RunRecord),
        cursor: out.LastEvaluatedKey ? Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') : undefined,
      };
    },
    async begin(run) {
      // A redrive re-runs the first task: keep the steps and status already recorded.
      const before = await transition(
        run,
        'ALL_OLD',
        'SET accountId = :a, play = :p, #cycle = :c, executionName = :e, schedule = :s, anchor = :anchor, #trigger = if_not_exists(#trigger, :trigger), #status = if_not_exists(#status, :running), startedAt = if_not_exists(startedAt, :t), steps = if_not_exists(steps, :empty), #next = if_not_exists(#next, :next), gsi1pk = :gpk, gsi1sk = if_not_exists(gsi1sk, :gsk)' +
          // The group and variants drawn first stand: a redrive or a retry never moves a run to the other group.
          (run.assignment ? ', assignment = if_not_exists(assignment, :asg)' : '') +
          (run.variants ? ', variants = if_not_exists(variants, :var)' : '') +
          // Like the group: the account's segment, plan and owner at the first begin are the ones its outcomes count under.
          (run.groups ? ', groups = if_not_exists(groups, :grp)' : ''),
        {
          ':a': run.accountId,
          ':p': run.play,
          ':c': run.cycle,
          ':e': run.executionName,
          ':s': run.schedule,
          ':anchor': run.anchor ?? null,
          ':trigger': run.trigger,
          ':running': 'running',
          ':t': run.startedAt,
          ':empty': {},
          ':next': run.next ?? null,
          ':gpk': keys.runIndex(run.play, run.startedAt, run.accountId).gsi1pk,
          ':gsk': keys.runIndex(run.play, run.startedAt, run.accountId).gsi1sk,
          ...(run.assignment ? { ':asg': run.assignment } : {}),
          ...(run.variants ? { ':var': run.variants } : {}),
          ...(run.groups ? { ':grp': run.groups } : {}),
        },
        { '#status': 'status', '#trigger': 'trigger', '#next': 'next', '#cycle': 'cycle' },
      );
      // The first begin gives the run its start (a redrive's keeps it): the start is counted once.
      if (before && !before.startedAt)
        await outcomes.started({
          accountId: run.accountId,
          groups: before.groups ?? run.groups,
          play: run.play,
          startedAt: run.startedAt,
          status: before.status as RunRecord['status'] | undefined,
          reason: before.reason as string | undefined,
        });
    },
    async stepDone(ref, stepId, step, next) {
      await update(ref, 'SET steps.#id = :step, #next = :next', { ':step': step, ':next': next ?? null }, { '#id': stepId, '#next': 'next' });
      // A step that waits (a send window, a watch) is on the timeline once it is settled.
      if (step.outcome === 'done' || step.outcome === 'skipped' || step.outcome === 'failed') {
        const what = step.actions?.map((a) => `${a.kind} ${a.outcome}`).join(', ') || step.detail;
        await putAll(db, table, [
          timelineItemOf(
            playStepEntry({
              accountId: ref.accountId,
              play: ref.play,
              step: stepId,
              executionName: `${ref.play}#${ref.cycle}`,
              at: step.at,
              outcome: step.outcome,
              detail: what,
            }),
          ),
        ]);
      }
    },
    async finish(ref, status, at, reason) {
      // The first ending stands: a late "completed" does not overwrite a cancellation (refused, nothing to do).
      const ended = await transition(
        ref,
        'ALL_NEW',
        // A run that failed before it began still gets a record that says so.
        'SET #status = :s, finishedAt = :t, #next = :null, accountId = if_not_exists(accountId, :a), play = if_not_exists(play, :p), #cycle = if_not_exists(#cycle, :c)' +
          (reason ? ', reason = :r' : ''),
        {
          ':s': status,
          ':t': at.toISOString(),
          ':null': null,
          ':running': 'running',
          ':paused': 'paused',
          ':a': ref.accountId,
          ':p': ref.play,
          ':c': ref.cycle,
          ...(reason ? { ':r': reason } : {}),
        },
        { '#status': 'status', '#next': 'next', '#cycle': 'cycle' },
        'attribute_not_exists(#status) OR #status IN (:running, :paused)',
      );
      if (ended)
        await outcomes.ended({
          accountId: ref.accountId,
          play: ref.play,
          startedAt: ended.startedAt as string | undefined,
          groups: ended.groups,
          status,
          reason,
        });
    },
    async reopen(ref, executionName, attempt) {
      const reopened = await transition(
        ref,
        'ALL_NEW',
        'SET #status = :running, executionName = :e, attempt = :n REMOVE finishedAt, reason',
        { ':running': 'running', ':e': executionName, ':n': attempt, ':failed': 'failed' },
        { '#status': 'status' },
        '#status = :failed',
      );
      if (reopened)
        await outcomes.reopened({ accountId: ref.accountId, play: ref.play, startedAt: reopened.startedAt as string | undefined, groups: reopened.groups });
      return !!reopened;
    },
    setPaused: (ref, paused, at, by) =>
      update(
        ref,
        paused ? 'SET #status = :paused, pausedAt = :t, pausedBy = :by' : 'SET #status = :running REMOVE pausedAt, pausedBy',
        paused ? { ':paused': 'paused', ':t': at.toISOString(), ':by': by ?? 'api', ':running': 'running' } : { ':running': 'running', ':paused': 'paused' },
        { '#status': 'status' },
        '#status IN (:running, :paused)',
      ),
    async claimLive(accountId, play, holder) {
      const claimed = await writeIf(
        db,
        new PutCommand({
          TableName: table,
          Item: { ...keys.liveRun(accountId, play), play, ...holder },
          ConditionExpression: 'attribute_not_exists(pk) OR executionName = :e',
          ExpressionAttributeValues: { ':e': holder.executionName },
        }),
      );
      if (claimed) return { held: true };
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.liveRun(accountId, play), ConsistentRead: true }));
      // Released between the claim and this read: claim again.
      if (!out.Item) return this.claimLive(accountId, play, holder);
      return { held: false, by: { executionName: String(out.Item.executionName), cycle: String(out.Item.cycle) } };
    },
    async releaseLive(accountId, play, executionName) {
      // Held by another execution (or already gone): refused, nothing to release.
      await writeIf(
        db,
        new DeleteCommand({
          TableName: table,
          Key: keys.liveRun(accountId, play),
          ConditionExpression: 'executionName = :e',
          ExpressionAttributeValues: { ':e': executionName },
        }),
      );
    },
    async live(accountId) {
      return (await queryAccount(accountId, keys.livePrefix)).map((i) => ({
        play: String(i.play),
        executionName: String(i.executionName),
        cycle: String(i.cycle),
      }));
    },
  };
}
