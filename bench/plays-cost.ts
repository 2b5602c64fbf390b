import { PutCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resolve } from 'node:path';
import { startLocalRuntime, type LocalRuntime } from '../local/runtime.ts';
import { synthesize } from '../local/synth.ts';
import { scoreItem } from '../functions/data/scores.ts';
import type { StoredScore } from '../functions/core/types.ts';

/**
 * What each play's typical run costs on Step Functions Standard: its state transitions, counted
 * from the local runner's event log of the synthesized machine, at the list price of
 * $0.025 per 1,000 transitions (us-east-1), and its Lambda invocations at $0.20 per million
 * requests (duration: a few hundred ms at 128 MB, about as much again; not counted here); and the
 * DynamoDB requests served while the run went on (its steps, plus the scenario's own score writes).
 * Before issue 11 an email step read the account and queried usage twice each: onboarding's
 * run took 79 requests, renewal's 38, adoption's 38 (now 69, 34, 34).
 */
const DAY = 86_400_000;
const PER_TRANSITION = 0.025 / 1000;
const PER_INVOCATION = 0.2 / 1_000_000;

interface Scenario {
  play: string;
  label: string;
  setup: (ctx: Ctx) => Promise<void>;
  /** Called at each 6-hour tick with the days since the start, to change the account's state. */
  during?: (ctx: Ctx, day: number) => Promise<void>;
  days: number;
}

interface Ctx {
  rt: LocalRuntime;
  id: string;
  post: (path: string, body: unknown) => Promise<void>;
  score: (scores: number[]) => Promise<void>;
  publish: (type: string, detail: Record<string, unknown>) => void;
}

const iso = (ms: number) => new Date(ms).toISOString();

const scenarios: Scenario[] = [
  { play: 'onboarding', label: 'all five steps, no first value', days: 62, setup: async () => {} },
  {
    play: 'renewal',
    label: 'healthy, all four steps',
    days: 92,
    setup: async ({ id, post, score, rt }) => {
      await post('/v1/accounts', {
        id,
        name: id,
        startDate: iso(rt.clock.nowMs() - 400 * DAY),
        renewalDate: iso(rt.clock.nowMs() + 89 * DAY),
        primaryContact: { email: `x@${id}.example` },
      });
      await score([85, 86]);
      await rt.lambdas.invoke(rt.lambdas.byLogicalId('PlaysStarter').arn, { sweep: true });
    },
  },
  {
    play: 'save',
    label: 'recovers after 10 days of watching',
    days: 12,
    setup: async ({ score, publish }) => (await score([40]), publish('tier.changed', { fromBand: 'yellow', band: 'red' })),
    // Healthy from day 3 on (daily scores): the watch sees seven healthy days about a week later.
    during: async ({ score }, day) => {
      const healthy = Math.max(0, Math.floor(day) - 2);
      await score(Array.from({ length: 12 }, (_, k) => (k >= 12 - healthy ? 70 : 40)));
    },
  },
  {
    play: 'save',
    label: 'never recovers: escalation, graceful exit at 60 days',
    days: 62,
    setup: async ({ score, publish }) => (await score([30]), publish('tier.changed', { fromBand: 'yellow', band: 'red' })),
  },
  {
    play: 'adoption',
    label: 'all four steps',
    days: 47,
    setup: async ({ score, publish }) => (await score([80]), publish('flag.started', { flag: 'low-adoption' })),
  },
  {
    play: 'expansion',
    label: 'offer and follow-up',
    days: 16,
    setup: async ({ score, publish }) => (await score([85]), publish('flag.started', { flag: 'near-seat-limit' })),
  },
  { play: 'advocacy', label: 'one ask', days: 4, setup: async ({ score, publish }) => (await score([88]), publish('flag.started', { flag: 'promoter' })) },
  {
    play: 'reengagement',
    label: 'reminder and check-in',
    days: 9,
    setup: async ({ score, publish }) => (await score([60]), publish('flag.started', { flag: 'no-login-7d' })),
  },
];

export async function playsCostBench() {
  const assemblyDir = resolve('.tend/cdk.out');
  await synthesize(assemblyDir);
  console.log('\nPlays on Step Functions Standard: one typical run each, on the synthesized machines (local runner)');
  console.log(
    `  ${'play'.padEnd(13)} ${'run'.padEnd(60)} ${'transitions'.padStart(11)} ${'lambda calls'.padStart(12)} ${'$ per 1,000 accounts'.padStart(21)} ${'DynamoDB requests'.padStart(18)}`,
  );
  for (const [i, s] of scenarios.entries()) {
    const start = new Date('2026-01-05T09:00:00Z').getTime();
    const rt = await startLocalRuntime({ assemblyDir, start: new Date(start), speed: 86_400, paused: true, schedules: false });
    try {
      const db = DynamoDBDocumentClient.from(rt.dynamo.client);
      const bus = rt.events.rules[0]!.bus;
      const id = `bench${i}`;
      const key = await rt.createKey(['admin']);
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`${rt.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify(body),
        });
        if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        await rt.idle();
      };
      const score = async (scores: number[]) => {
        const now = rt.clock.nowMs();
        const today = scores[scores.length - 1]!;
        const band = today >= 76 ? 'green' : today >= 50 ? 'yellow' : 'red';
        const recent = scores.map((sc, j) => ({ day: iso(now - (scores.length - 1 - j) * DAY).slice(0, 10), score: sc }));
        await db.send(
          new PutCommand({
            TableName: rt.tableName,
            Item: scoreItem({
              accountId: id,
              score: today,
              tier: band,
              band,
              recent,
              flags: {},
              computedAt: iso(now),
              segment: 'tech-touch',
              signals: {},
              components: [],
              driversDown: [],
              driversUp: [],
            } as unknown as StoredScore),
          }),
        );
      };
      const publish = (type: string, detail: Record<string, unknown>) =>
        rt.events.put([
          { EventBusName: bus, Source: 'tend', DetailType: type, Detail: JSON.stringify({ accountId: id, at: iso(rt.clock.nowMs()), ...detail }) },
        ]);
      if (s.play !== 'renewal')
        await post('/v1/accounts', {
          id,
          name: id,
          seats: 10,
          startDate: iso(s.play === 'onboarding' ? start : start - 300 * DAY),
          primaryContact: { email: `x@${id}.example` },
        });
      await s.setup({ rt, id, post, score, publish });
      await rt.idle();
      const invocationsBefore = rt.lambdas.invocations;
      const requestsBefore = Object.values(rt.dynamo.operations).reduce((a, b) => a + b, 0);
      for (let t = rt.clock.nowMs(); t < start + s.days * DAY; t += 6 * 3_600_000) {
        await s.during?.({ rt, id, post, score, publish }, (t - start) / DAY);
        rt.clock.advanceTo(t);
        await rt.idle();
      }
      const runs = [...rt.sfn.executions.values()].filter((e) => e.name.startsWith(`${s.play}-`));
      if (runs.length !== 1) throw new Error(`${s.play}: expected one run, found ${runs.length}`);
      const run = runs[0]!;
      const transitions = run.history.filter((h) => h.type === 'StateEntered').length;
      const tasks = run.history.filter((h) => h.type === 'StateEntered' && /^(Begin|Run |Complete|Record failure)/.test(h.state ?? '')).length;
      const calls = rt.lambdas.invocations - invocationsBefore;
      const cost = 1000 * (transitions * PER_TRANSITION + tasks * PER_INVOCATION);
      // Every request while the run went on (its steps, and the starter, scoring writes and sweeps of the scenario).
      const requests = Object.values(rt.dynamo.operations).reduce((a, b) => a + b, 0) - requestsBefore;
      console.log(
        `  ${s.play.padEnd(13)} ${`${s.label} (${run.status.toLowerCase()})`.padEnd(60)} ${String(transitions).padStart(11)} ${String(tasks).padStart(12)} ${`$${cost.toFixed(3)}`.padStart(21)} ${String(requests).padStart(18)}${calls > tasks + 2 ? `  (${calls} calls incl. starter)` : ''}`,
      );
    } finally {
      await rt.stop();
    }
  }
  console.log('  (Step Functions $0.025 per 1,000 transitions and Lambda $0.20 per million requests; the first 4,000 transitions a month are free)');
}
