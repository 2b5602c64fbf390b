import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS, dayOf, fixedClock } from '../../functions/core/clock.ts';
import { parseConfig } from '../../functions/core/config.ts';
import { beginRun, runStep, type PlayDeps } from '../../functions/core/plays/engine.ts';
import { deliver, type DeliveryDeps, type DeliveryRequest } from '../../functions/core/email/deliver.ts';
import { anchorOf, cycleOf, executionName } from '../../functions/core/plays/schedule.ts';
import { startPlay } from '../../functions/core/plays/triggers.ts';
import type { OutgoingEmail, TendEvent } from '../../functions/core/ports.ts';
import { modelResolver } from '../../functions/core/score/presets/index.ts';
import { sourceLibrary } from '../../functions/core/templates/compile.ts';
import { unsubscribeLinks } from '../../functions/core/email/links.ts';
import { accountRepo } from '../../functions/data/accounts.ts';
import { contactRepo } from '../../functions/data/contacts.ts';
import { engagementRepo, frequencyCap, preferenceRepo, recipientReads, reputationRepo, suppressionList } from '../../functions/data/email.ts';
import { keys } from '../../functions/data/keys.ts';
import { stepItems } from '../../functions/data/step-items.ts';
import { runRepo } from '../../functions/data/runs.ts';
import { scoreRepo } from '../../functions/data/scores.ts';
import { sendConfirmations, sendLedger } from '../../functions/data/sends.ts';
import { DEFAULT_PAUSE_POLICY, sendingPause } from '../../functions/core/email/reputation.ts';
import { taskRepo } from '../../functions/data/tasks.ts';
import { usageRepo } from '../../functions/data/usage.ts';
import userConfig from '../../tend.config.ts';
import { TEST_KEY } from '../support/email.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

/** One DynamoDB request as the SDK sent it: the command and the key (or key condition) it names. */
interface Request {
  command: string;
  sk?: string;
  from?: string;
  /** A Query's `begins_with` prefix (`:p`). */
  prefix?: string;
  /** The attribute names an expression uses. */
  names: string[];
}

/**
 * The play step's data path on dynalite through the real repositories, every SDK request
 * recorded (a middleware on the client): what one step reads and writes, counted.
 */
describe("a play step's DynamoDB requests", () => {
  let rt: TestRuntime;
  let db: DynamoDBDocumentClient;
  let requests: Request[] = [];

  beforeAll(async () => {
    rt = await testRuntime({ paused: true });
    db = DynamoDBDocumentClient.from(rt.dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
    // This client's own requests only (a middleware would see the runtime's too: the stack is shared).
    const send = db.send.bind(db) as (command: object) => Promise<unknown>;
    db.send = ((command: object) => {
      const input = (
        command as { input: { Key?: { sk?: string }; ExpressionAttributeValues?: Record<string, unknown>; ExpressionAttributeNames?: Record<string, string> } }
      ).input;
      requests.push({
        command: command.constructor.name,
        sk: input.Key?.sk,
        from: input.ExpressionAttributeValues?.[':from'] as string | undefined,
        prefix: input.ExpressionAttributeValues?.[':p'] as string | undefined,
        names: Object.values(input.ExpressionAttributeNames ?? {}),
      });
      return send(command);
    }) as typeof db.send;
  });
  afterAll(() => rt?.stop());
  beforeEach(() => void (requests = []));

  const accounts = () => accountRepo(db, rt.tableName);
  const accountItem = async (id: string) => (await rt.db.send(new GetCommand({ TableName: rt.tableName, Key: keys.account(id) }))).Item;
  const putAccount = (id: string, extra: Record<string, unknown> = {}) =>
    rt.db.send(
      new PutCommand({
        TableName: rt.tableName,
        Item: {
          ...keys.account(id),
          ...keys.accountIndex(id),
          id,
          name: id,
          seats: 5,
          status: 'active',
          segment: 'tech-touch',
          startDate: '2026-01-01T00:00:00.000Z',
          createdAt: '2026-01-01T00:00:00.000Z',
          primaryContact: { email: `ana@${id}.example`, name: 'Ana' },
          ...extra,
        },
      }),
    );

  describe('reachMilestone', () => {
    it('records a milestone in one UpdateItem, read back as account.milestones', async () => {
      await putAccount('m1');
      requests = [];
      const at = new Date('2026-01-08T00:00:00.000Z');
      expect(await accounts().reachMilestone('m1', 'firstValue', at)).toBe(true);
      expect(requests.map((r) => r.command)).toEqual(['UpdateCommand']);
      expect((await accountItem('m1'))?.milestone_firstValue).toBe('2026-01-08T00:00:00.000Z');
      const account = await accounts().get('m1');
      expect(account?.milestones).toEqual({ firstValue: '2026-01-08T00:00:00.000Z' });
      expect(account).not.toHaveProperty('milestone_firstValue');
    });

    it('the first date stands: a second call is refused and writes nothing', async () => {
      await putAccount('m2');
      expect(await accounts().reachMilestone('m2', 'kickoff-held', new Date('2026-01-02T00:00:00.000Z'))).toBe(true);
      expect(await accounts().reachMilestone('m2', 'kickoff-held', new Date('2026-01-09T00:00:00.000Z'))).toBe(false);
      expect((await accounts().get('m2'))?.milestones).toEqual({ 'kickoff-held': '2026-01-02T00:00:00.000Z' });
    });

    it('an item from before the change keeps its milestones map: its dates stand, new ones join them', async () => {
      await putAccount('m3', { milestones: { 'kickoff-held': '2026-01-02T00:00:00.000Z' } });
      expect(await accounts().reachMilestone('m3', 'kickoff-held', new Date('2026-01-09T00:00:00.000Z'))).toBe(false);
      expect(await accounts().reachMilestone('m3', 'firstValue', new Date('2026-01-10T00:00:00.000Z'))).toBe(true);
      expect((await accounts().get('m3'))?.milestones).toEqual({ 'kickoff-held': '2026-01-02T00:00:00.000Z', firstValue: '2026-01-10T00:00:00.000Z' });
    });

    it('an unknown account: refused, and no item is created', async () => {
      expect(await accounts().reachMilestone('ghost', 'firstValue', new Date())).toBe(false);
      expect(await accountItem('ghost')).toBeUndefined();
    });
  });

  describe('runs.getMany', () => {
    it('reads many runs in one BatchGetItem, in the order asked, undefined where there is none', async () => {
      const runs = runRepo(db, rt.tableName);
      const run = (accountId: string) => ({
        accountId,
        play: 'onboarding',
        cycle: '2026-03-01',
        executionName: `onboarding-${accountId}`,
        schedule: {},
        startedAt: '2026-03-01T08:00:00.000Z',
        trigger: { on: 'sweep' as const, at: '2026-03-01T08:00:00.000Z' },
        next: null,
        anchor: '2026-03-01T00:00:00.000Z',
      });
      await runs.begin(run('many-a'));
      await runs.begin(run('many-c'));
      requests = [];
      const refs = ['many-c', 'many-b', 'many-a'].map((accountId) => ({ accountId, play: 'onboarding', cycle: '2026-03-01' }));
      const got = await runs.getMany(refs);
      expect(got.map((r) => r?.executionName)).toEqual(['onboarding-many-c', undefined, 'onboarding-many-a']);
      expect(requests.map((r) => r.command)).toEqual(['BatchGetCommand']);
    });
  });

  describe('startPlay from an event', () => {
    it("reads the play's latest run in one Query (the cycle's run or older, and the cool-down's), then claims the lock", async () => {
      await putAccount('st1', { startDate: '2026-03-01T00:00:00.000Z' });
      const config = parseConfig(userConfig);
      const started: string[] = [];
      const deps = {
        clock: fixedClock('2026-03-02T10:00:00.000Z'),
        plays: config.plays,
        accounts: accounts(),
        runs: runRepo(db, rt.tableName),
        runner: { start: async (_p: string, name: string) => void started.push(name), stop: async () => {}, isRunning: async () => true },
      };
      const account = (await deps.accounts.get('st1'))!;
      const trigger = { on: 'flag.started', at: '2026-03-02T10:00:00.000Z', detail: { flag: 'promoter' } };
      requests = [];
      expect(await startPlay(deps as never, config.plays.advocacy!, account, trigger)).toMatchObject({ outcome: 'started' });
      expect(requests.map((r) => r.command)).toEqual(['QueryCommand', 'PutCommand']);
      // A day later, before the machine's begin wrote a run record: the lock, held by the first run, refuses it.
      requests = [];
      expect(await startPlay(deps as never, config.plays.advocacy!, account, { ...trigger, at: '2026-03-03T10:00:00.000Z' })).toMatchObject({
        outcome: 'live-run',
      });
      expect(requests.map((r) => r.command)).toEqual(['QueryCommand', 'PutCommand', 'GetCommand']);
      expect(started).toHaveLength(1);
    });

    it('with 50 past runs of the play, a start reads one item in one Query: the latest run, whatever the history', async () => {
      await putAccount('st50', { startDate: '2024-01-01T00:00:00.000Z' });
      const config = parseConfig(userConfig);
      // 50 finished runs of the play, one every 7 days in 2025 (each with a step recorded, about 1 KB).
      const cycles = Array.from({ length: 50 }, (_, i) => dayOf(Date.parse('2025-01-01T00:00:00.000Z') + i * 7 * DAY_MS));
      for (const cycle of cycles)
        await rt.db.send(
          new PutCommand({
            TableName: rt.tableName,
            Item: {
              ...keys.run('st50', 'advocacy', cycle),
              accountId: 'st50',
              play: 'advocacy',
              cycle,
              executionName: executionName('advocacy', 'st50', cycle),
              status: 'completed',
              startedAt: `${cycle}T10:00:00.000Z`,
              steps: { ask: { status: 'done', at: `${cycle}T10:00:00.000Z`, note: 'x'.repeat(900) } },
            },
          }),
        );
      const deps = (now: string) => ({
        clock: fixedClock(now),
        plays: config.plays,
        accounts: accounts(),
        runs: runRepo(db, rt.tableName),
        runner: { start: async () => undefined, stop: async () => {}, isRunning: async () => false },
      });
      const account = (await accounts().get('st50'))!;
      const start = async (at: string) => {
        requests = [];
        const before = rt.dynamo.totals().readUnits;
        const outcome = await startPlay(deps(at) as never, config.plays.advocacy!, account, { on: 'flag.started', at, detail: { flag: 'promoter' } });
        const reads = requests.filter((r) => r.command !== 'PutCommand').map((r) => r.command);
        return { outcome: outcome.outcome, reads, readUnits: rt.dynamo.totals().readUnits - before };
      };
      // A new cycle after the latest run (and its cool-down): one Query, one ~1 KB item (0.5 RRU; reading the 50 runs was 7 RRU).
      expect(await start('2026-07-01T10:00:00.000Z')).toEqual({ outcome: 'started', reads: ['QueryCommand'], readUnits: 0.5 });
      // The latest run is the cycle's: already started, from the same one item.
      const last = cycles[cycles.length - 1]!;
      expect(await start(`${last}T10:00:00.000Z`)).toEqual({ outcome: 'already-started', reads: ['QueryCommand'], readUnits: 0.5 });
      // The latest run is newer than the cycle: the cycle's run is read by its key.
      expect(await start(`${cycles[10]}T10:00:00.000Z`)).toEqual({ outcome: 'already-started', reads: ['QueryCommand', 'GetCommand'], readUnits: 1 });
      expect(requests.find((r) => r.command === 'GetCommand')?.sk).toBe(keys.run('st50', 'advocacy', cycles[10]!).sk);
    });
  });

  describe('runStep', () => {
    const NOW = '2026-03-02T10:00:00.000Z';
    const config = parseConfig({
      ...userConfig,
      email: { ...userConfig.email, sendWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], startHour: 0, endHour: 24, timeZone: 'UTC' } },
    });
    const sent: OutgoingEmail[] = [];
    const events: TendEvent[] = [];
    const deps = (now: string): PlayDeps & DeliveryDeps => ({
      clock: fixedClock(now),
      config,
      templates: sourceLibrary(config.templates),
      plays: config.plays,
      features: config.product.features,
      firstValue: config.milestones.firstValue,
      modelFor: modelResolver(config.scoreModel),
      accounts: accounts(),
      usage: usageRepo(db, rt.tableName),
      scores: scoreRepo(db, rt.tableName, modelResolver(config.scoreModel)),
      runs: runRepo(db, rt.tableName),
      tasks: taskRepo(db, rt.tableName),
      ledger: sendLedger(db, rt.tableName),
      confirmations: sendConfirmations(db, rt.tableName),
      pause: sendingPause(reputationRepo(db, rt.tableName), DEFAULT_PAUSE_POLICY),
      contacts: contactRepo(db, rt.tableName),
      suppressions: suppressionList(db, rt.tableName),
      preferences: preferenceRepo(db, rt.tableName),
      cap: frequencyCap(db, rt.tableName),
      engagement: engagementRepo(db, rt.tableName),
      mailer: { send: async (e) => (sent.push(e), { messageId: `m-${sent.length}` }) },
      unsubscribe: unsubscribeLinks({ key: async () => TEST_KEY, baseUrl: 'https://api.tend.example', tokenDays: 90, mailto: undefined }),
      events: { publish: async (e) => void events.push(...e) },
      async emailDelivery() {
        return (req, loaded) => deliver(this, req, loaded);
      },
    });
    const begin = async (play: string, id: string, anchor: string, now: string) => {
      const d = deps(now);
      const account = (await d.accounts.get(id))!;
      const a = anchorOf(d.plays[play]!, account, anchor) ?? anchor;
      const input = { play, accountId: id, cycle: cycleOf(a), executionName: executionName(play, id, cycleOf(a)) };
      expect((await beginRun(d, { ...input, anchor: a, trigger: { on: 'test', at: now } })).route).toBe('next');
      return input;
    };
    const reads = () => ({
      account: requests.filter((r) => r.command === 'GetCommand' && r.sk === keys.account('x').sk).length,
      usage: requests.filter((r) => r.command === 'QueryCommand' && r.from?.startsWith(keys.usageDayPrefix)).length,
      usageFrom: requests.find((r) => r.command === 'QueryCommand' && r.from?.startsWith(keys.usageDayPrefix))?.from,
    });

    it('an email step reads the account once and queries usage once (the 60 days its email quotes), and first value is recorded in one write', async () => {
      await putAccount('s1', { startDate: '2026-03-01T10:00:00.000Z' });
      // Three users on two features: first value, seen by this step for the first time.
      await usageRepo(rt.db, rt.tableName).record(
        's1',
        '2026-02-27',
        ['u1', 'u2', 'u3'].flatMap((u) => [
          { id: `${u}-d`, userId: u, name: 'x', properties: { feature: 'dashboards' } },
          { id: `${u}-r`, userId: u, name: 'x', properties: { feature: 'reports' } },
        ]) as never,
      );
      const run = await begin('onboarding', 's1', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z');
      requests = [];
      expect(await runStep(deps(NOW), { ...run, step: 'welcome' })).toEqual({ route: 'next' });
      expect(sent.map((e) => e.to)).toContain('ana@s1.example');
      expect(reads()).toEqual({ account: 1, usage: 1, usageFrom: keys.usageDay('x', dayOf(Date.parse(NOW) - 59 * DAY_MS)).sk });
      // The recipients came with the usage: delivery lists no contacts.
      expect(requests.filter((r) => r.command === 'QueryCommand' && r.prefix === keys.contactPrefix)).toEqual([]);
      // The milestone: one UpdateItem on the account item (the other one sets the onboarding stage), announced once.
      expect(requests.filter((r) => r.command === 'UpdateCommand' && r.sk === keys.account('x').sk && r.names.includes('milestone_firstValue'))).toHaveLength(
        1,
      );
      expect(events.filter((e) => e.type === 'milestone.reached' && e.accountId === 's1')).toHaveLength(1);
      expect((await accounts().get('s1'))?.milestones?.firstValue).toBe(NOW);
    });

    it("an email to a role finds its contact in the step's usage Query (people sort after the days), and a contact who left is not written to", async () => {
      await putAccount('s5', { startDate: '2026-01-01T00:00:00.000Z', segment: 'tech-touch' });
      const person = (email: string, extra: Record<string, unknown>) =>
        rt.db.send(
          new PutCommand({ TableName: rt.tableName, Item: { ...keys.contact('s5', email), accountId: 's5', email, name: email, updatedAt: NOW, ...extra } }),
        );
      await person('cham@s5.example', { role: 'champion' });
      await person('old@s5.example', { role: 'champion', leftAt: '2026-02-01T00:00:00.000Z' });
      await usageRepo(rt.db, rt.tableName).record('s5', '2026-03-01', [{ id: 'e1', userId: 'u1', name: 'x', properties: { feature: 'reports' } }] as never);
      const run = await begin('save', 's5', NOW, NOW);
      requests = [];
      const before = sent.length;
      await runStep(deps(NOW), { ...run, step: 'outreach' });
      expect(sent.slice(before).map((e) => e.to)).toEqual(['cham@s5.example']);
      expect(requests.filter((r) => r.command === 'QueryCommand' && r.prefix === keys.contactPrefix)).toEqual([]);
      expect(reads().usage).toBe(1);
    });

    it("a run's begin reads the account and the live-run lock in one BatchGetItem, and writes no lock the starter took for it", async () => {
      const items = stepItems(db, rt.tableName);
      const runs = runRepo(db, rt.tableName);
      const beginWith = async (id: string, name: string) => {
        const d = { ...deps(NOW), stepItems: items };
        const input = { play: 'advocacy', accountId: id, cycle: '2026-03-02', executionName: name };
        return beginRun(d, { ...input, anchor: NOW, trigger: { on: 'flag.started', at: NOW } });
      };
      const commands = () => requests.map((r) => r.command);
      // Started by the starter: the lock is this execution's already.
      await putAccount('b1');
      await runs.claimLive('b1', 'advocacy', { executionName: 'advocacy-b1', cycle: '2026-03-02', at: NOW });
      requests = [];
      expect((await beginWith('b1', 'advocacy-b1')).route).toBe('next');
      expect(commands().filter((c) => c !== 'UpdateCommand')).toEqual(['BatchGetCommand']);
      // Started by hand (no lock): claimed, as before.
      await putAccount('b2');
      requests = [];
      expect((await beginWith('b2', 'advocacy-b2')).route).toBe('next');
      expect(commands().filter((c) => c !== 'UpdateCommand')).toEqual(['BatchGetCommand', 'PutCommand']);
      expect((await runs.live('b2')).map((l) => l.executionName)).toEqual(['advocacy-b2']);
      // Another execution holds it: this run exits, the lock stays the other's.
      await putAccount('b3');
      await runs.claimLive('b3', 'advocacy', { executionName: 'advocacy-b3-other', cycle: '2026-02-01', at: NOW });
      expect(await beginWith('b3', 'advocacy-b3')).toMatchObject({ route: 'exit', reason: expect.stringContaining('advocacy-b3-other') });
      expect((await runs.live('b3')).map((l) => l.executionName)).toEqual(['advocacy-b3-other']);
      await expect(beginWith('ghost', 'advocacy-ghost')).rejects.toThrow(/not found/);
    });

    it('with the step items reader, a step reads its run, account and score in one BatchGetItem and decides the same', async () => {
      // The same step on two like accounts: read apart, then with the reader.
      const steps: Request[][] = [];
      for (const [id, items] of [
        ['s3', undefined],
        ['s4', stepItems(db, rt.tableName)],
      ] as const) {
        await putAccount(id, { startDate: '2026-03-01T10:00:00.000Z' });
        const run = await begin('onboarding', id, '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z');
        requests = [];
        const before = sent.length;
        expect(await runStep({ ...deps(NOW), ...(items ? { stepItems: items } : {}) }, { ...run, step: 'welcome' })).toEqual({ route: 'next' });
        expect(sent.slice(before).map((e) => e.to)).toEqual([`ana@${id}.example`]);
        steps.push([...requests]);
      }
      const [apart, together] = steps as [Request[], Request[]];
      const gets = together.filter((r) => r.command === 'GetCommand').map((r) => r.sk);
      expect(gets).not.toContain(keys.account('x').sk);
      expect(gets).not.toContain(keys.score('x').sk);
      expect(gets.filter((sk) => sk?.startsWith('RUN#'))).toEqual([]);
      const stepReads = (rs: Request[]) =>
        rs.filter((r) => r.command === 'GetCommand' && (r.sk === keys.account('x').sk || r.sk === keys.score('x').sk || r.sk?.startsWith('RUN#'))).length;
      const count = (rs: Request[], command: string) => rs.filter((r) => r.command === command).length;
      expect([stepReads(apart), stepReads(together)]).toEqual([3, 0]);
      expect(count(together, 'BatchGetCommand')).toBe(count(apart, 'BatchGetCommand') + 1);
      expect(together.length).toBe(apart.length - 2);
      const run = await begin('onboarding', 's4', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z');
      // A run no longer running: the same answer as when it is read alone.
      const finished = { ...run, cycle: 'none' };
      await expect(runStep({ ...deps(NOW), stepItems: stepItems(db, rt.tableName) }, { ...finished, step: 'welcome' })).rejects.toThrow(/no onboarding run/);
    });

    it('a renewal step whose template quotes the year queries a year of usage, once', async () => {
      await putAccount('s2', { startDate: '2025-01-01T00:00:00.000Z', renewalDate: '2026-04-01T00:00:00.000Z' });
      const play = Object.values(config.plays).find((p) => p.trigger.on === 'date')!;
      const yearStep = play.steps.find((s) =>
        [s.do, ...(s.choose ?? []).map((o) => o.do)]
          .flat()
          .some((a) => a && 'email' in a && sourceLibrary(config.templates).get(a.email)?.needs.includes('year')),
      );
      expect(yearStep, 'a built-in renewal step quotes the year').toBeDefined();
      const run = await begin(play.id, 's2', '2026-04-01T00:00:00.000Z', NOW);
      requests = [];
      await runStep(deps(NOW), { ...run, step: yearStep!.id });
      expect(reads()).toEqual({ account: 1, usage: 1, usageFrom: keys.usageDay('x', dayOf(Date.parse(NOW) - 364 * DAY_MS)).sk });
    });

    describe("delivery's reads of the recipient and the pause", () => {
      const loadedOf = async (id: string) => ({ account: (await accounts().get(id))!, usage: { from: '2026-01-01', days: [] } });
      const request = (id: string, over: Partial<DeliveryRequest> = {}): DeliveryRequest => ({
        accountId: id,
        runKey: `run-${id}`,
        play: 'adoption',
        step: 'spotlight',
        day: 0,
        template: 'feature-spotlight',
        category: 'tips',
        ...over,
      });
      const together = (now: string): DeliveryDeps => ({ ...deps(now), recipient: recipientReads(db, rt.tableName) });

      it('suppression and opt-outs in one BatchGetItem, the cap in one Query, the pause in a BatchGetItem: 2 requests fewer, the same send', async () => {
        const counts: Record<string, number>[] = [];
        const repo = reputationRepo(db, rt.tableName);
        for (const [id, d, reputation] of [
          ['r1', deps(NOW), { days: repo.days, override: repo.override }],
          ['r2', together(NOW), repo],
        ] as const) {
          await putAccount(id);
          requests = [];
          // A fresh pause per send, as a container past its minute reads it again.
          const result = await deliver({ ...d, pause: sendingPause(reputation, DEFAULT_PAUSE_POLICY) }, request(id), await loadedOf(id));
          expect(result).toMatchObject({ outcome: 'sent', to: `ana@${id}.example` });
          const count: Record<string, number> = {};
          for (const r of requests) count[r.command] = (count[r.command] ?? 0) + 1;
          counts.push(count);
        }
        const [apart, joined] = counts as [Record<string, number>, Record<string, number>];
        const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
        expect(total(joined)).toBe(total(apart) - 2);
        expect(joined.GetCommand ?? 0).toBe((apart.GetCommand ?? 0) - 3);
        expect(joined.QueryCommand).toBe(apart.QueryCommand);
        // The suppression and opt-outs' BatchGetItem is new; the pause's days and override are one BatchGetItem, as the days alone were.
        expect(joined.BatchGetCommand).toBe(apart.BatchGetCommand! + 1);
      });

      it('the recipient check costs about 2 RRU whatever the cap: not 1 RRU a key (5 at a cap of 3, 12 at 10)', async () => {
        const reads = recipientReads(db, rt.tableName);
        const cap = frequencyCap(db, rt.tableName);
        const units = async (address: string, slots: number) => {
          const before = rt.dynamo.totals().readUnits;
          const read = await reads.read('rru', address, { optedOut: true, capSlots: slots });
          return { units: rt.dynamo.totals().readUnits - before, held: read.capSlots.size };
        };
        await putAccount('rru');
        await preferenceRepo(db, rt.tableName).optOut('rru', 'full@rru.example', ['tips'], new Date(NOW));
        // Every slot held (the Query reads them all), and an address with none.
        for (const slots of [3, 10]) {
          for (let i = 0; i < slots; i++) expect(await cap.take(`full${slots}@rru.example`, `send-${i}`, slots, new Date(NOW), 7)).toBe(true);
          // dynalite: 0.5 RRU a key of the eventually consistent batch, 1 RRU a 4 KB of the consistent Query (none for an empty one).
          expect(await units(`full${slots}@rru.example`, slots)).toEqual({ units: 2, held: slots });
          const none = await units(`none${slots}@rru.example`, slots);
          expect(none.held).toBe(0);
          expect(none.units).toBeLessThanOrEqual(2);
        }
      });

      it('decides as the reads apart did: suppressed, opted out, capped, and a slot freed by time taken', async () => {
        await putAccount('r3');
        const d = together(NOW);
        const address = 'ana@r3.example';
        await suppressionList(db, rt.tableName).suppress(address, { reason: 'bounced', source: 'test' }, new Date(NOW));
        expect(await deliver(d, request('r3'), await loadedOf('r3'))).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });

        await putAccount('r4');
        await preferenceRepo(db, rt.tableName).optOut('r4', 'ana@r4.example', ['tips'], new Date(NOW));
        expect(await deliver(d, request('r4'), await loadedOf('r4'))).toMatchObject({ outcome: 'skipped', reason: 'unsubscribed from tips' });
        // Opted out of tips only: a success email still goes.
        expect(await deliver(d, request('r4', { category: 'success', runKey: 'run-r4-success' }), await loadedOf('r4'))).toMatchObject({ outcome: 'sent' });

        await putAccount('r5');
        const cap = config.email.frequencyCap;
        const sends = async (n: number, at: string) => {
          const outcomes: string[] = [];
          for (let i = 0; i < n; i++)
            outcomes.push((await deliver(together(at), request('r5', { runKey: `run-r5-${at}-${i}`, category: 'success' }), await loadedOf('r5'))).outcome);
          return outcomes;
        };
        expect(await sends(cap.max + 1, NOW)).toEqual([...Array<string>(cap.max).fill('sent'), 'skipped']);
        // Once the window has passed, the slots are free again.
        const later = new Date(Date.parse(NOW) + cap.days * DAY_MS + 60_000).toISOString();
        expect(await sends(1, later)).toEqual(['sent']);
      });
    });
  });
});
