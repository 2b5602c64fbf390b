import middy from '@middy/core';
import type { CdkCustomResourceResponse, Context } from 'aws-lambda';
import * as z from '../core/zod.ts';
import { documentClient } from '../data/client.ts';
import { systemClock } from '../core/clock.ts';
import { markIfNoAccounts } from '../data/layout-marks.ts';
import { observability } from '../shared/observability.ts';

const { logger, middlewares, correlated } = observability('tend-table-marks');

/** What the custom resource provider hands over (lib/constructs/layout-marks.ts): only the fields read here. */
const eventSchema = z.object({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  ResourceProperties: z.object({ TableName: z.string().check(z.minLength(3)) }),
});

/**
 * The data stack's custom resource at deploy (docs/operations.md, "Deploying"): a table without accounts
 * gets the layout marks, so a brand-new stage reads derived items from its first request; a table with
 * accounts gets nothing (`tend metrics rebuild` marks it). Deleting the resource leaves the table alone.
 */
export const handler = middy<unknown, CdkCustomResourceResponse>()
  .use(middlewares)
  .handler((event, context: Context) =>
    correlated(undefined, context.awsRequestId, async () => {
      const { RequestType, ResourceProperties } = eventSchema.parse(event);
      const table = ResourceProperties.TableName;
      if (RequestType === 'Delete') return { PhysicalResourceId: table };
      const result = await markIfNoAccounts(documentClient, table, systemClock.now());
      if (!result.marked) logger.warn('the table holds accounts and lacks layout marks: run `tend metrics rebuild` once for the derived items', { table });
      else logger.info('layout marks present', { table, holdsAccounts: result.holdsAccounts, written: result.written });
      return { PhysicalResourceId: table, Data: { HoldsAccounts: String(result.holdsAccounts), Marked: String(result.marked) } };
    }),
  );
