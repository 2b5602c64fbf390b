import { describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/data/client.ts';

describe("the functions' DynamoDB client", () => {
  it("drops the SDK's logger middleware (it filters every request and response for a no-op logger)", () => {
    const names = documentClient.middlewareStack.identify().join('\n');
    expect(names).toMatch(/serializerMiddleware/);
    expect(names).not.toMatch(/loggerMiddleware/);
  });
});
