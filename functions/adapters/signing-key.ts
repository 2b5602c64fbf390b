import type { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

// The SSM client is the largest part of the sending bundle (about 200 KB) for one call a
// container: imported lazily, it is a chunk of its own in the bundle (lib/bundling/options.ts),
// loaded on the first read instead of at every cold start (and never locally).
let ssm: Promise<{ client: SSMClient; GetParameter: typeof GetParameterCommand }> | undefined;
const ssmClient = () => (ssm ??= import('@aws-sdk/client-ssm').then((m) => ({ client: new m.SSMClient({}), GetParameter: m.GetParameterCommand })));

/**
 * The unsubscribe-token key, read once per container. On AWS it is a Secrets Manager secret that
 * CDK generates, read through Parameter Store's `/aws/reference/secretsmanager/` path (one SDK
 * client for parameters and secrets); the local runtime passes its own key in UNSUBSCRIBE_KEY.
 */
export function signingKey(env: { UNSUBSCRIBE_KEY?: string; UNSUBSCRIBE_SECRET_NAME?: string }): () => Promise<string> {
  let key: Promise<string> | undefined;
  return () => {
    key ??= (async () => {
      if (env.UNSUBSCRIBE_KEY) return env.UNSUBSCRIBE_KEY;
      if (!env.UNSUBSCRIBE_SECRET_NAME) throw new Error('Invalid environment: UNSUBSCRIBE_SECRET_NAME or UNSUBSCRIBE_KEY is required');
      const { client, GetParameter } = await ssmClient();
      const out = await client.send(new GetParameter({ Name: `/aws/reference/secretsmanager/${env.UNSUBSCRIBE_SECRET_NAME}`, WithDecryption: true }));
      const value = out.Parameter?.Value;
      if (!value) throw new Error(`the secret ${env.UNSUBSCRIBE_SECRET_NAME} is empty`);
      return value;
    })().catch((err: unknown) => {
      key = undefined; // a failed read is retried by the next invocation, not cached
      throw err;
    });
    return key;
  };
}
