import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (an esbuild alias, see
 * lib/bundling/options.ts). Lambda gives a function its role's credentials in the environment, so
 * the default chain's other providers (SSO, STS web identity, ini files, processes, the container
 * and instance metadata endpoints) and the nested SDK clients they carry are never used there.
 */
export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
