import type { LocalRuntime } from '../../local/runtime.ts';

const keys = new WeakMap<LocalRuntime, Promise<string>>();

/** The demo's one API key per runtime (admin: it writes and reads), created on first use. */
export function demoAuth(rt: LocalRuntime): Promise<{ authorization: string }> {
  let key = keys.get(rt);
  if (!key) keys.set(rt, (key = rt.createKey(['admin'], 'demo')));
  return key.then((k) => ({ authorization: `Bearer ${k}` }));
}
