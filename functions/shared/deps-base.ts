import { apiKeyRepo } from '../data/api-keys.ts';
import { documentClient } from '../data/client.ts';
import { rateCounter } from '../data/rate-counter.ts';
import { segmentSecretStore } from '../data/segment-secret.ts';

/*
 * The root of the composition root (functions/shared/deps.ts, which re-exports what is here): the
 * table, the memoising helper, and the dependencies the API's authentication uses on every request.
 * A module apart because esbuild splits a bundle by file: the API's entry imports this one, not
 * deps.ts, so the repositories its routes use stay in the routes' lazily loaded chunks.
 */

/**
 * An environment variable, read when first needed: a missing or empty one fails naming it, as
 * parseEnv (./env.ts) words it. A presence check by hand: every handler reads TABLE_NAME at cold
 * start, and a zod object built and run for one string was ~2 ms of each cold start.
 */
export const envVar = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Invalid environment: ${name}: ${value === undefined ? 'required' : 'empty'}`);
  return value;
};

let tableName: string | undefined;
export const table = () => (tableName ??= envVar('TABLE_NAME'));

/** Memoises one dependency in a module-scope slot. */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

export const apiKeys = /* @__PURE__ */ lazy(() => apiKeyRepo(documentClient, table()));
export const rate = /* @__PURE__ */ lazy(() => rateCounter(documentClient, table()));
export const segmentSecrets = /* @__PURE__ */ lazy(() => segmentSecretStore(documentClient, table()));
