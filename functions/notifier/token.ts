import type { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/** Re-read after this long, so a rotated token applies without a deploy. */
const CACHE_MS = 15 * 60_000;

let ssm: Promise<{ client: SSMClient; GetParameter: typeof GetParameterCommand }> | undefined;
// Imported lazily: a chunk of its own in the bundle, loaded on the first read (never locally).
const ssmClient = () => (ssm ??= import('@aws-sdk/client-ssm').then((m) => ({ client: new m.SSMClient({}), GetParameter: m.GetParameterCommand })));

/**
 * The Slack bot token: from the Secrets Manager secret SLACK_TOKEN_SECRET_NAME (read through
 * Parameter Store's `/aws/reference/secretsmanager/` path, like the unsubscribe key), cached for
 * 15 minutes; the local runtime passes its stand-in's token in SLACK_BOT_TOKEN. Never in config or code.
 */
export function slackToken(env: { SLACK_BOT_TOKEN?: string; SLACK_TOKEN_SECRET_NAME?: string }): () => Promise<string> {
  let cached: { value: Promise<string>; at: number } | undefined;
  return () => {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
    const value = (async () => {
      if (env.SLACK_BOT_TOKEN) return env.SLACK_BOT_TOKEN;
      if (!env.SLACK_TOKEN_SECRET_NAME) throw new Error('Invalid environment: SLACK_TOKEN_SECRET_NAME or SLACK_BOT_TOKEN is required');
      const { client, GetParameter } = await ssmClient();
      const out = await client.send(new GetParameter({ Name: `/aws/reference/secretsmanager/${env.SLACK_TOKEN_SECRET_NAME}`, WithDecryption: true }));
      const token = out.Parameter?.Value?.trim();
      if (!token) throw new Error(`the secret ${env.SLACK_TOKEN_SECRET_NAME} is empty`);
      return token;
    })();
    cached = { value, at: Date.now() };
    // A failed read is retried by the next call, not cached.
    value.catch(() => (cached = undefined));
    return value;
  };
}
