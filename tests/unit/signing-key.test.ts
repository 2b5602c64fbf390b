import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { signingKey } from '../../functions/adapters/signing-key.ts';

/** The exact SSM call that reads the unsubscribe signing key (a Secrets Manager secret through Parameter Store). */
describe('signingKey', () => {
  const ssm = mockClient(SSMClient);
  afterEach(() => ssm.reset());

  it('reads the secret once per container, through /aws/reference/secretsmanager/, decrypted', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'the-key-0123456789' } });
    const key = signingKey({ UNSUBSCRIBE_SECRET_NAME: 'tend-unsubscribe' });
    expect(await key()).toBe('the-key-0123456789');
    expect(await key()).toBe('the-key-0123456789');
    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input)).toEqual([
      { Name: '/aws/reference/secretsmanager/tend-unsubscribe', WithDecryption: true },
    ]);
  });

  it('does not cache a failed read: the next invocation tries again', async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
      .resolves({ Parameter: { Value: 'k2-0123456789abcdef' } });
    const key = signingKey({ UNSUBSCRIBE_SECRET_NAME: 'tend-unsubscribe' });
    await expect(key()).rejects.toThrow('throttled');
    expect(await key()).toBe('k2-0123456789abcdef');
  });

  it('uses the local key without calling SSM, and says what is missing when there is neither', async () => {
    expect(await signingKey({ UNSUBSCRIBE_KEY: 'local-key-0123456789' })()).toBe('local-key-0123456789');
    await expect(signingKey({})()).rejects.toThrow(/UNSUBSCRIBE_SECRET_NAME or UNSUBSCRIBE_KEY/);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
  });
});
