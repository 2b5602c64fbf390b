import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * The play steps build their email delivery at a step's first email (functions/plays/email-delivery.ts),
 * but a deploy missing the sending environment must still fail at cold start, naming the variable.
 */
describe("the play steps' cold start checks the sending environment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    vi.resetModules();
  });
  const base = { TABLE_NAME: 'tend-test', EVENT_BUS_NAME: 'tend-test', AWS_REGION: 'us-east-1', UNSUBSCRIBE_KEY: 'k'.repeat(64) };

  it.each(['CONFIGURATION_SET', 'PUBLIC_API_URL'])('fails naming %s when it is missing', async (missing) => {
    process.env = { ...saved, ...base, CONFIGURATION_SET: 'tend-test', PUBLIC_API_URL: 'https://tend.example' };
    delete process.env[missing];
    await expect(import('../../functions/plays/handler.ts')).rejects.toThrow(`Invalid environment: ${missing}: required`);
  });

  it('loads when both are set', async () => {
    process.env = { ...saved, ...base, CONFIGURATION_SET: 'tend-test', PUBLIC_API_URL: 'https://tend.example' };
    await expect(import('../../functions/plays/handler.ts')).resolves.toHaveProperty('handler');
  });
});
