import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireRequest } from '../../local/dynalite-call.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const DAY = 86_400_000;
const start = Date.parse('2026-05-04T09:00:00Z');

describe("the metric upkeep's requests", () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true });
  });
  afterAll(() => rt?.stop());

  /** The requests an API call makes: operation and key (or Query partition and range start). */
  const requestsOf = async (call: () => Promise<unknown>) => {
    const seen: { op: string; pk: string; sk: string }[] = [];
    const serve = rt.dynamo.serve.bind(rt.dynamo);
    rt.dynamo.serve = (request: WireRequest) => {
      const op = request.headers['x-amz-target']?.split('.')[1] ?? '';
      const body = JSON.parse(request.body) as { Key?: Record<string, { S?: string }>; ExpressionAttributeValues?: Record<string, { S?: string }> };
      const values = body.ExpressionAttributeValues ?? {};
      seen.push({ op, pk: body.Key?.pk?.S ?? values[':pk']?.S ?? '', sk: body.Key?.sk?.S ?? values[':from']?.S ?? values[':p']?.S ?? '' });
      return serve(request);
    };
    try {
      await call();
    } finally {
      rt.dynamo.serve = serve;
    }
    return seen;
  };

  it("counts a survey batch's accounts together: each aggregate item updated once, the sources in two Queries an account", async () => {
    const ids = ['sv-a', 'sv-b', 'sv-c'];
    for (const id of ids)
      expect(
        (
          await rt.request('POST', '/v1/accounts', {
            id,
            name: id,
            seats: 4,
            arr: 10_000,
            segment: 'tech-touch',
            startDate: new Date(start - 90 * DAY).toISOString(),
            primaryContact: { email: `a@${id}.example` },
          })
        ).status,
      ).toBeLessThan(300);
    const surveys = ids.map((accountId, i) => ({
      id: `nps-${accountId}`,
      accountId,
      kind: 'nps',
      score: 6 + i,
      answeredAt: new Date(start - DAY).toISOString(),
    }));
    const requests = await requestsOf(async () => expect((await rt.request('POST', '/v1/surveys', { surveys })).status).toBeLessThan(300));

    const updated = requests.filter((r) => r.op === 'UpdateItem' && r.pk.startsWith('METRICS#')).map((r) => `${r.pk}|${r.sk}`);
    expect(updated.length).toBeGreaterThan(0);
    expect(updated.length).toBe(new Set(updated).size);
    // The contributions in one batch read, not one GetItem each; no separate read of the account or the score's band.
    const gets = requests.filter((r) => r.op === 'GetItem').map((r) => r.sk);
    expect(gets).not.toContain('METRICS#CONTRIBUTION');
    expect(gets).not.toContain('S#SCORE');
    expect(requests.filter((r) => r.op === 'Query' && r.pk.startsWith('ACCOUNT#sv-'))).toHaveLength(2 * ids.length);

    // The figures count every answer.
    const metrics = await rt.request(
      'GET',
      `/v1/metrics?period=${new Date(start - DAY).toISOString().slice(0, 10)}..${new Date(start).toISOString().slice(0, 10)}`,
    );
    expect(metrics.body?.whole?.nps?.responses).toBe(3);
  });
});
