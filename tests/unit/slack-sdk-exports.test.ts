import { describe, expect, it } from 'vitest';
import { commonJsExports } from '../../functions/notifier/slack.ts';

/**
 * The Slack SDK is CommonJS, imported lazily from ESM. Node and Lambda give its exports as the
 * namespace's `default`; tsx (the demo, `tend dev`) lifts them onto the namespace with no `default`.
 * Taking only `default` failed every Slack alert of the demo ("reading 'WebClient'").
 */
describe('commonJsExports', () => {
  class WebClient {}
  it.each([
    ['Node: exports under default', { default: { WebClient } }],
    ['tsx: exports on the namespace, no default', { WebClient }],
    ['both (a bundler that sets each)', { WebClient, default: { WebClient } }],
  ])('%s', (_, namespace) => {
    expect(commonJsExports<{ WebClient: typeof WebClient }>(namespace, 'WebClient').WebClient).toBe(WebClient);
  });

  it('finds the real SDK WebClient under this loader', async () => {
    const sdk = commonJsExports<typeof import('@slack/web-api')>(await import('@slack/web-api'), 'WebClient');
    expect(typeof sdk.WebClient).toBe('function');
  });
});
