import type { LocalRuntime } from '../../local/runtime.ts';

/**
 * Requests a minute allowed to the demo's own key. The demo imports its whole book in the first
 * virtual minute (the clock stands still while it does): at 1,000 accounts that is thousands of
 * posts, past the API's default of 1,200 a minute, as a bulk import's key would be given more.
 */
export const DEMO_RATE_LIMIT = 1_000_000;

const keys = new WeakMap<LocalRuntime, Promise<string>>();

/** The key the demo posts with: an admin key of its own, created on first use (the key it prints is `tend dev`'s). */
export function demoAuth(rt: LocalRuntime): Promise<{ authorization: string }> {
  let key = keys.get(rt);
  if (!key) keys.set(rt, (key = rt.createKey(['admin'], 'demo', DEMO_RATE_LIMIT)));
  return key.then((k) => ({ authorization: `Bearer ${k}` }));
}
