import { accountCard, type AccountCard, type CardThresholds } from './card.ts';
import { ValidationError } from './errors.ts';
import type { AccountCatalog, RunRepo, ScoreRepo } from './ports.ts';
import { idSchema } from './schemas.ts';
import * as z from './zod.ts';
import { PLANS } from './plan.ts';

export const SHARD_COUNT = 16;

/** Built on first use, like the request schemas of schemas.ts (see there). */
export const accountListQuerySchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    /** The plan as the card shows it (plan.ts). */
    plan: z.optional(z.enum(PLANS)),
    segment: z.optional(z.enum(['high-touch', 'medium-touch', 'tech-touch'])),
    stage: z.optional(z.enum(['Onboarding', 'Adoption', 'Retention', 'Expansion', 'At-Risk'])),
    /** The health band, as GET /v1/renewals filters it; `unscored` for accounts without a score yet. */
    band: z.optional(z.enum(['green', 'yellow', 'red', 'unscored'])),
    /** An active flag by name (at-risk and expansion signals, e.g. `champion-left`). */
    flag: z.optional(z.string().check(z.regex(/^[a-z0-9-]{1,64}$/, 'a flag name such as champion-left'))),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
    cursor: z.optional(z.string().check(z.maxLength(400))),
  }),
);
export type AccountListQuery = z.output<typeof accountListQuerySchema>;

export interface AccountListItem extends AccountCard {
  segment: string;
  flags: string[];
}

/** Where the next page starts: opaque to clients (base64url of shard and last id). */
function decodeCursor(cursor: string | undefined): { shard: number; after?: string } {
  if (!cursor) return { shard: 0 };
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,2}):(.+)$/.exec(text);
  // The id goes to DynamoDB as part of ExclusiveStartKey: only an account id is a cursor's.
  if (!match || Number(match[1]) >= SHARD_COUNT || !idSchema.safeParse(match[2]).success)
    throw new ValidationError('cursor: not a cursor this API returned', [{ field: 'cursor', message: 'not a cursor this API returned' }]);
  return { shard: Number(match[1]), after: match[2] };
}
const encodeCursor = (shard: number, after: string) => Buffer.from(`${shard}:${after}`, 'utf8').toString('base64url');

/**
 * Accounts shard by shard, filtered on their card (plan, stage, health band), segment and flags.
 * Filters are applied as pages are read, so a filtered page may take several reads of the index.
 */
export async function listAccounts(
  deps: { catalog: AccountCatalog; scores: ScoreRepo; runs: RunRepo },
  query: AccountListQuery,
  context: { now: Date; thresholds: CardThresholds; onboardingPlay: string },
): Promise<{ accounts: AccountListItem[]; cursor: string | null }> {
  let { shard, after } = decodeCursor(query.cursor);
  const out: AccountListItem[] = [];
  while (shard < SHARD_COUNT) {
    const page = await deps.catalog.page(shard, after, 100);
    const enriched = await Promise.all(
      page.accounts.map(async (account) => {
        const [score, runs] = await Promise.all([deps.scores.get(account.id), deps.runs.forAccount(account.id)]);
        const card = accountCard({ account, score, runs, now: context.now, thresholds: context.thresholds, onboardingPlay: context.onboardingPlay });
        return { ...card, segment: account.segment, flags: Object.keys(score?.flags ?? {}) };
      }),
    );
    for (const item of enriched) {
      after = item.customer.id;
      const keep =
        (!query.plan || item.plan === query.plan) &&
        (!query.segment || item.segment === query.segment) &&
        (!query.stage || item.stage === query.stage) &&
        (!query.band || (item.healthScore.band ?? 'unscored') === query.band) &&
        (!query.flag || item.flags.includes(query.flag));
      if (keep) out.push(item);
      if (out.length === query.limit) return { accounts: out, cursor: encodeCursor(shard, after) };
    }
    if (!page.more) {
      shard++;
      after = undefined;
    }
  }
  return { accounts: out, cursor: null };
}
