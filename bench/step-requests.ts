/**
 * The DynamoDB requests of one play step, by item, through the real repositories on the local
 * table: this document client's `send` records each request's command and the item (or key
 * range) it names (a middleware would also see the runtime's own requests: the stack is shared). What `bench/email-send.ts` prints per email, broken down.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { fixedClock } from '../functions/core/clock.ts';
import { unsubscribeLinks } from '../functions/core/email/links.ts';
import { runStep, type PlayDeps, type RunInput } from '../functions/core/plays/engine.ts';
import { deliver, type DeliveryDeps } from '../functions/core/email/deliver.ts';
import { modelResolver } from '../functions/core/score/presets/index.ts';
import { sourceLibrary } from '../functions/core/templates/compile.ts';
import { accountRepo } from '../functions/data/accounts.ts';
import { contactRepo } from '../functions/data/contacts.ts';
import { engagementRepo, frequencyCap, preferenceRepo, reputationRepo, suppressionList } from '../functions/data/email.ts';
import { runRepo } from '../functions/data/runs.ts';
import { scoreRepo } from '../functions/data/scores.ts';
import { sendConfirmations, sendLedger } from '../functions/data/sends.ts';
import { DEFAULT_PAUSE_POLICY, sendingPause } from '../functions/core/email/reputation.ts';
import { taskRepo } from '../functions/data/tasks.ts';
import { usageRepo } from '../functions/data/usage.ts';
import { config } from '../functions/shared/config.ts';

/** `GetItem ACCOUNT`, `Query DAY#` (usage), `PutItem SEND#`...: the command and the kind of item. */
function itemKind(input: { Key?: Record<string, unknown>; Item?: Record<string, unknown>; ExpressionAttributeValues?: Record<string, unknown> }): string {
  const key =
    input.Key?.sk ??
    input.Item?.sk ??
    input.ExpressionAttributeValues?.[':from'] ??
    input.ExpressionAttributeValues?.[':p'] ??
    input.ExpressionAttributeValues?.[':pk'] ??
    input.Key?.pk ??
    '?';
  const text = String(key);
  return text.includes('#') ? `${text.slice(0, text.indexOf('#') + 1)}` : text;
}

/** Runs the steps in this process and returns the requests per step, by command and item kind. */
export async function stepRequests(client: DynamoDBClient, table: string, now: Date, steps: (RunInput & { step: string })[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const send = db.send.bind(db) as (command: unknown) => Promise<unknown>;
  // GetCommand -> GetItem, as DynamoDB bills it.
  const operation = (name: string) => ({ Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem' })[name] ?? name;
  db.send = ((command: object) => {
    const name = `${operation(command.constructor.name.replace(/Command$/, ''))} ${itemKind((command as { input: never }).input)}`;
    counts[name] = (counts[name] ?? 0) + 1;
    return send(command);
  }) as typeof db.send;
  let sent = 0;
  const deps: PlayDeps & DeliveryDeps = {
    clock: fixedClock(now),
    config,
    templates: sourceLibrary(config.templates),
    plays: config.plays,
    features: config.product.features,
    firstValue: config.milestones.firstValue,
    modelFor: modelResolver(config.scoreModel),
    accounts: accountRepo(db, table),
    usage: usageRepo(db, table),
    scores: scoreRepo(db, table, modelResolver(config.scoreModel)),
    runs: runRepo(db, table),
    tasks: taskRepo(db, table),
    ledger: sendLedger(db, table),
    confirmations: sendConfirmations(db, table),
    pause: sendingPause(reputationRepo(db, table), DEFAULT_PAUSE_POLICY),
    contacts: contactRepo(db, table),
    suppressions: suppressionList(db, table),
    preferences: preferenceRepo(db, table),
    cap: frequencyCap(db, table),
    engagement: engagementRepo(db, table),
    mailer: { send: async () => ({ messageId: `bench-${++sent}` }) },
    unsubscribe: unsubscribeLinks({
      key: async () => 'bench-signing-key-0123456789abcdef',
      baseUrl: 'https://api.tend.example',
      tokenDays: 90,
      mailto: undefined,
    }),
    events: { publish: async () => {} },
    async emailDelivery() {
      return (req, loaded) => deliver(this, req, loaded);
    },
  };
  for (const s of steps) await runStep(deps, s);
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n / steps.length]));
}
