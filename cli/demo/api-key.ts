import type { LocalRuntime } from '../../local/runtime.ts';

const keys = new WeakMap<LocalRuntime, Promise<string>>();

/** The demo's API key for a runtime: the one it was given (the data folder's key), else an admin key created on first use. */
export function demoAuth(rt: LocalRuntime): Promise<{ authorization: string }> {
  let key = keys.get(rt);
  if (!key) keys.set(rt, (key = rt.createKey(['admin'], 'demo')));
  return key.then((k) => ({ authorization: `Bearer ${k}` }));
}

/** The demo sends its requests with this key (the one it prints, kept for `tend dev`). */
export function useDemoKey(rt: LocalRuntime, key: string) {
  keys.set(rt, Promise.resolve(key));
}
