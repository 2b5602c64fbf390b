import { upsertAccount, type AccountDeps } from './accounts.ts';
import { dayOf } from './clock.ts';
import { NotFoundError, TendError, ValidationError } from './errors.ts';
import { arrHistoryOf, revenueHistory } from './revenue-history.ts';
import { movementsOf } from './metrics/revenue.ts';
import { renewalOutcomeSchema, type RenewalOutcomeInput } from './renewal-outcome.ts';
export { renewalOutcomeSchema, type RenewalOutcomeInput };

/** A renewal's recorded outcome: one per account and renewal day. */
export type RenewalOutcome = RenewalOutcomeInput & {
  accountId: string;
  /** The renewal's UTC day: the outcome's key. */
  renewalDay: string;
  recordedAt: string;
  /** When the outcome was applied to the account (ARR, renewal date or status); absent until then. */
  appliedAt?: string;
};

export class RenewalConflictError extends TendError {
  constructor(message: string, details: unknown) {
    super(message, 'RenewalOutcomeConflict', 409, details);
  }
}

export type RenewalDeps = AccountDeps & { churnReasons: readonly string[] };

/** The fields that make an outcome what it is: a replay carries the same, whatever its date format. */
function sameOutcome(a: RenewalOutcomeInput, b: RenewalOutcomeInput): boolean {
  if (a.outcome !== b.outcome || dayOf(new Date(a.renewalDate)) !== dayOf(new Date(b.renewalDate))) return false;
  if (a.outcome === 'renewed' && b.outcome === 'renewed') return a.newArr === b.newArr && Date.parse(a.nextRenewalDate) === Date.parse(b.nextRenewalDate);
  return a.outcome === 'churned' && b.outcome === 'churned' && a.reason === b.reason && (a.note ?? '') === (b.note ?? '');
}

/** Checks what the schema cannot: the reason is one of the configured ones, and a renewal moves the date on. */
export function checkRenewalOutcome(input: RenewalOutcomeInput, churnReasons: readonly string[]): void {
  if (input.outcome === 'churned' && !churnReasons.includes(input.reason))
    throw new ValidationError(`reason: "${input.reason}" is not one of ${churnReasons.join(', ')} (tend.config.ts revenue.churnReasons)`, [
      { field: 'reason', message: 'not a configured churn reason' },
    ]);
  if (input.outcome === 'renewed' && Date.parse(input.nextRenewalDate) <= Date.parse(input.renewalDate))
    throw new ValidationError('nextRenewalDate: must be after renewalDate', [{ field: 'nextRenewalDate', message: 'not after renewalDate' }]);
}

/**
 * Records the outcome of one renewal of an account, once: the outcome item is written only if
 * that renewal has none, then applied to the account through the upsert (so the change records
 * its revenue point, source `renewal`, effective on the renewal date): renewed sets the new ARR and
 * next renewal date, churned the status (the reason kept on the churn point). A replay answers
 * the same and applies nothing again (it finishes an application a failure interrupted); a
 * different outcome for the same renewal is a 409 `RenewalOutcomeConflict`.
 */
export async function recordRenewalOutcome(
  deps: RenewalDeps,
  accountId: string,
  input: RenewalOutcomeInput,
): Promise<{ recorded: boolean; outcome: RenewalOutcome }> {
  checkRenewalOutcome(input, deps.churnReasons);
  // A renewal signed (or a churn notice given) ahead of its date is recorded now and takes effect on that date.
  const renewalDay = dayOf(new Date(input.renewalDate));
  const account = await deps.accounts.get(accountId);
  if (!account) throw new NotFoundError(`account "${accountId}" not found`);

  const wanted: RenewalOutcome = { ...input, accountId, renewalDay, recordedAt: deps.clock.now().toISOString() };
  let recorded = await deps.revenue.recordOutcome(wanted);
  const outcome = recorded ? wanted : await deps.revenue.outcome(accountId, renewalDay);
  if (!outcome) recorded = false;
  if (!outcome || !sameOutcome(outcome, input))
    throw new RenewalConflictError(`the renewal of ${renewalDay} already has an outcome (${outcome?.outcome ?? 'unknown'}); it is recorded once`, {
      recorded: outcome,
    });
  if (outcome.appliedAt) return { recorded, outcome };

  const now = deps.clock.now().toISOString();
  const { name, primaryContact } = account;
  const change =
    outcome.outcome === 'renewed'
      ? {
          renewalDate: outcome.nextRenewalDate,
          ...(outcome.newArr !== undefined ? { arr: outcome.newArr } : {}),
          // A renewal signed by an account marked churned brings it back (a reactivation).
          ...(account.status === 'churned' ? { status: 'active' as const } : {}),
        }
      : { status: 'churned' as const };
  await upsertAccount(
    deps,
    { id: accountId, name, primaryContact, ...change },
    { source: 'renewal', effectiveAt: new Date(outcome.renewalDate).toISOString(), ...(outcome.outcome === 'churned' ? { reason: outcome.reason } : {}) },
  );
  await deps.accounts.setLastRenewal(accountId, {
    renewalDate: renewalDay,
    outcome: outcome.outcome,
    ...(outcome.outcome === 'churned' ? { reason: outcome.reason } : {}),
    recordedAt: outcome.recordedAt,
  });
  await deps.revenue.markApplied(accountId, renewalDay, now);
  return { recorded, outcome: { ...outcome, appliedAt: now } };
}

/** An account's revenue: its history points, the movements they make, and its renewal outcomes. Reads only. */
export async function accountRevenue(deps: Pick<AccountDeps, 'accounts' | 'revenue'>, accountId: string) {
  const [stored, points, renewals] = await Promise.all([deps.accounts.read(accountId), deps.revenue.points(accountId), deps.revenue.outcomes(accountId)]);
  if (!stored) throw new NotFoundError(`account "${accountId}" not found`);
  const history = revenueHistory(stored.account, points, stored.lastPoint);
  return {
    accountId,
    arr: stored.account.arr ?? 0,
    status: stored.account.status,
    history,
    movements: movementsOf(arrHistoryOf(accountId, history)),
    renewals,
  };
}
