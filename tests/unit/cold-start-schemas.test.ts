import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The functions build their input schemas on first use (`z.lazy`), not when their bundle loads: a
 * cold start parses one event, and building every schema up front was ~1.5 ms of the plays' alone.
 * Counted on the zod builders those schemas use (not z.object: the environment is checked at cold
 * start, by design, functions/shared/env.ts): none is called while the functions load.
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
  return { ...z, looseObject: counted('looseObject'), union: counted('union'), discriminatedUnion: counted('discriminatedUnion') };
});

describe('input schemas at cold start', () => {
  const saved = { ...process.env };
  beforeAll(async () => {
    Object.assign(process.env, { TABLE_NAME: 'tend-test', EVENT_BUS_NAME: 'tend-test', PLAY_STATE_MACHINES: '{}', AWS_REGION: 'us-east-1' });
    Object.assign(process.env, { CONFIGURATION_SET: 'tend-test', PUBLIC_API_URL: 'https://tend.example', UNSUBSCRIBE_KEY: 'k'.repeat(64) });
    Object.assign(process.env, { SLACK_BOT_TOKEN: 'xoxb-test' });
    // Unbundled, the config is parsed from tend.config.ts (a bundle carries it parsed): loaded first, not counted.
    await import('../../functions/shared/config.ts');
    await import('../../functions/shared/deps.ts');
  });
  afterAll(() => {
    process.env = saved;
  });

  it.each([
    { name: 'the plays starter and steps', load: [() => import('../../functions/plays/trigger.ts'), () => import('../../functions/plays/handler.ts')] },
    { name: 'scoring', load: [() => import('../../functions/score/handler.ts')] },
    { name: 'SES events', load: [() => import('../../functions/email-events/handler.ts')] },
    { name: 'the notifier', load: [() => import('../../functions/notifier/handler.ts')] },
  ])('builds none while $name load', async ({ load }) => {
    built.count = 0;
    for (const l of load) await l();
    expect(built.count).toBe(0);
  });

  it("builds them on the first parse (the counting sees a schema's building)", async () => {
    built.count = 0;
    const { sesEventDetailSchema } = await import('../../functions/core/email/feedback.ts');
    sesEventDetailSchema.parse({ eventType: 'Send', mail: { messageId: 'm-1' } });
    expect(built.count).toBeGreaterThan(0);
  });
});
