import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The scoring, SES events and notifier functions build their input schemas on first use
 * (`z.lazy`), like the plays' (plays-cold-start.test.ts): counted on the zod builders those
 * schemas use, none is called while the functions load; the first invocation's parse builds them.
 */
const built = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../functions/core/zod.ts', async (importOriginal) => {
  const z = await importOriginal<Record<string, unknown>>();
  const counted =
    (name: string) =>
    (...args: unknown[]) => {
      built.count++;
      return (z[name] as (...a: unknown[]) => unknown)(...args);
    };
  return { ...z, looseObject: counted('looseObject'), union: counted('union') };
});

describe('input schemas at cold start', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, { TABLE_NAME: 'tend-test', EVENT_BUS_NAME: 'tend-test', AWS_REGION: 'us-east-1' });
    Object.assign(process.env, { CONFIGURATION_SET: 'tend-test', PUBLIC_API_URL: 'https://tend.example', SLACK_BOT_TOKEN: 'xoxb-test' });
  });
  afterAll(() => {
    process.env = saved;
  });

  it('builds none while the scoring, SES events and notifier functions load', async () => {
    // Unbundled, the config is parsed from tend.config.ts (a bundle carries it parsed): loaded first, not counted.
    await import('../../functions/shared/config.ts');
    await import('../../functions/shared/deps.ts');
    built.count = 0;
    await import('../../functions/score/handler.ts');
    await import('../../functions/email-events/handler.ts');
    await import('../../functions/notifier/handler.ts');
    expect(built.count).toBe(0);
    const { sesEventDetailSchema } = await import('../../functions/core/email/feedback.ts');
    sesEventDetailSchema.parse({ eventType: 'Send', mail: { messageId: 'm-1' } });
    expect(built.count).toBeGreaterThan(0);
  });
});
