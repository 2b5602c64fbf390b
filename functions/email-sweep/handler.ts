import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { systemClock } from '../core/clock.ts';
import { sweepHeldSends } from '../core/email/held-sweep.ts';
import { cap } from '../shared/deps/cap.ts';
import { confirmations } from '../shared/deps/confirmations.ts';
import { engagement } from '../shared/deps/engagement.ts';
import { held } from '../shared/deps/held.ts';
import { ledger } from '../shared/deps/ledger.ts';
import { runs } from '../shared/deps/runs.ts';
import { observability } from '../shared/observability.ts';

const { logger, middlewares, correlated } = observability('tend-email-sweep');
const deps = {
  held: held(),
  ledger: ledger(),
  confirmations: confirmations(),
  engagement: engagement(),
  cap: cap(),
  runs: runs(),
};

/**
 * The periodic sweep of held sends whose run is gone (docs/email.md, "Orphaned held sends"): each
 * is settled as sent or failed by SES's events, never sent again. The schedule's input is ignored.
 */
export const handler = middy<unknown, unknown>()
  .use(middlewares)
  .handler((_event, context: Context) =>
    correlated(undefined, context.awsRequestId, async () => {
      const result = await sweepHeldSends(deps, systemClock.now());
      if (result.sent || result.failed) logger.info('settled orphaned held sends', { ...result });
      return result;
    }),
  );
