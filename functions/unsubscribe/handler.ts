import middy from '@middy/core';
import { systemClock } from '../core/clock.ts';
import { TokenError } from '../core/email/token.ts';
import { checkUnsubscribe, unsubscribe, unsubscribePage } from '../core/email/unsubscribe.ts';
import { config } from '../shared/config.ts';
import { preferences } from '../shared/deps/preferences.ts';
import { sendOutcomes } from '../shared/deps/send-outcomes.ts';
import { signingKey } from '../shared/signing-key.ts';
import { observability } from '../shared/observability.ts';
import type { HttpEvent, HttpResult } from '../shared/http.ts';

const { logger, middlewares, correlated } = observability('tend-unsubscribe');
const deps = { clock: systemClock, preferences: preferences(), key: signingKey(), outcomes: sendOutcomes() };

const product = config.product.name;
const page = (statusCode: number, title: string, message: string, form?: { token: string }): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  body: unsubscribePage({ title, message, productName: product, form }),
});

/**
 * The public unsubscribe routes (no API key: the signed token is the authorisation).
 * GET shows a confirmation with a button, so a link scanner that follows links unsubscribes nobody;
 * POST (the RFC 8058 one-click request mail providers send, or the button) unsubscribes at once.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(middlewares)
  .onError(async (request) => {
    const err = request.error;
    if (err instanceof TokenError) request.response = page(err.status, 'This link does not work', err.message);
    else {
      logger.error('unsubscribe failed', err as Error);
      request.response = page(500, 'Something went wrong', 'We could not record your choice. Please try again in a minute, or reply to the email.');
    }
  })
  .handler((event) => correlated(undefined, event.requestContext.requestId, () => respond(event)));

async function respond(event: HttpEvent): Promise<HttpResult> {
  const token = event.queryStringParameters?.token;
  if (event.requestContext.http.method === 'GET') {
    const claims = await checkUnsubscribe(deps, token);
    return page(
      200,
      `Unsubscribe ${claims.contact}?`,
      `You will no longer receive ${claims.category === 'all' || claims.category === 'renewal' ? 'optional' : claims.category} emails about ${product}. Notices about your contract still reach you.`,
      { token: token! },
    );
  }
  const done = await unsubscribe(deps, token);
  return page(200, 'You are unsubscribed', `${done.contact} will no longer receive ${done.categories.join(', ')} emails from ${product}.`);
}
