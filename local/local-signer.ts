import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

type AuthScheme = NonNullable<DynamoDBClientConfig['httpAuthSchemes']>[number];

/** `YYYYMMDDTHHMMSSZ` of now, formatted once per second (requests come thousands a second). */
let stamped = { second: -1, text: '' };
function amzDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== stamped.second) stamped = { second, text: new Date(second * 1000).toISOString().replace(/[-:]|\.\d{3}/g, '') };
  return stamped.text;
}

/**
 * The SigV4 auth scheme of the DynamoDB clients the local runtime serves in process: the SDK
 * still resolves the credentials and runs its signing middleware (and retries, serialization,
 * error parsing) as on AWS, but the signer only stamps the headers of a signature's shape.
 * An HMAC over every request, checked by nobody (dynalite looks for the headers, not the
 * signature), was about 3% of the demo's CPU.
 */
export const localSigV4Scheme: AuthScheme = {
  schemeId: 'aws.auth#sigv4',
  identityProvider: (config) => config.getIdentityProvider('aws.auth#sigv4'),
  signer: {
    async sign(request, identity) {
      const date = amzDate();
      const accessKeyId = (identity as { accessKeyId?: string }).accessKeyId ?? 'local';
      const headers = (request as { headers: Record<string, string> }).headers;
      headers['x-amz-date'] = date;
      headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${date.slice(0, 8)}/local/dynamodb/aws4_request, SignedHeaders=host, Signature=local`;
      return request;
    },
  },
};
