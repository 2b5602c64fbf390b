import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The plays' functions build their input schemas on first use (`z.lazy`), not when their bundle
 * loads: a cold start parses one task, and building every schema up front was ~1.5 ms of it.
 * Counted on the zod builders they use (looseObject, discriminatedUnion): none is called while they load.
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
  // Not z.object: the environment is parsed at cold start, by design (functions/shared/env.ts).
  return { ...z, looseObject: counted('looseObject'), discriminatedUnion: counted('discriminatedUnion') };
});

describe('plays functions at cold start', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, { TABLE_NAME: 'tend-test', EVENT_BUS_NAME: 'tend-test', PLAY_STATE_MACHINES: '{}', AWS_REGION: 'us-east-1' });
    Object.assign(process.env, { CONFIGURATION_SET: 'tend-test', PUBLIC_API_URL: 'https://tend.example', UNSUBSCRIBE_KEY: 'k'.repeat(64) });
  });
  afterAll(() => {
    process.env = saved;
  });

  it('builds neither input schema while the starter and the steps load', async () => {
    // Unbundled, the config is parsed from tend.config.ts (a bundle carries it parsed): loaded first, not counted.
    await import('../../functions/shared/config.ts');
    await import('../../functions/shared/deps.ts');
    built.count = 0;
    await import('../../functions/plays/trigger.ts');
    await import('../../functions/plays/handler.ts');
    expect(built.count).toBe(0);
  });
});
