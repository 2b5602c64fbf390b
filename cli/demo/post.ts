import type { LocalRuntime } from '../../local/runtime.ts';
import { demoAuth } from './api-key.ts';

/** A POST of the demo to the local API with its key; anything but a success stops the demo with the answer. */
export async function post(rt: LocalRuntime, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${rt.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await demoAuth(rt)) },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}
