import { sourceLibrary } from '../../../functions/core/templates/compile.ts';
import { DAY_MS, type Clock } from '../../../functions/core/clock.ts';
import { memoryEmailDeps, memoryLedger } from '../../support/email.ts';
import { parseConfig, type TendConfig } from '../../../functions/core/config.ts';
import { beginRun, type PlayDeps } from '../../../functions/core/plays/engine.ts';
import { deliver, type DeliveryDeps } from '../../../functions/core/email/deliver.ts';
import type { PlayDefinition } from '../../../functions/core/plays/definition.ts';
import { anchorOf, cycleOf, executionName } from '../../../functions/core/plays/schedule.ts';
import type { TriggerDeps } from '../../../functions/core/plays/triggers.ts';
import type { ControlDeps } from '../../../functions/core/plays/control.ts';
import type {
  AccountRepo,
  EventPublisher,
  Mailer,
  OutgoingEmail,
  PlayRunner,
  RunRef,
  RunRepo,
  ScoreRepo,
  SendLedger,
  TaskRepo,
  TendEvent,
  UsageRepo,
} from '../../../functions/core/ports.ts';
import { modelResolver } from '../../../functions/core/score/presets/index.ts';
import type { Account, CsmTask, RunRecord, SendRecord, StoredScore, UsageDay } from '../../../functions/core/types.ts';
import userConfig from '../../../tend.config.ts';

/**
 * An in-memory Tend for the plays core: every port the engine, the triggers and the controls
 * use, with the semantics of the DynamoDB implementations (conditional writes, the live-run
 * lock, "the first ending stands") and a clock the test moves.
 */

export type Band = 'green' | 'yellow' | 'red';
/** A score inside each band of the shipped model (seed-002: green from 76, yellow from 50). */
export const SCORE_OF: Record<Band, number> = { green: 90, yellow: 60, red: 20 };

export const FEATURES = ['dashboards', 'reports', 'alerts', 'integrations', 'sharing', 'api'];

export function makeAccount(over: Partial<Account> = {}): Account {
  return {
    id: 'acme',
    name: 'Acme',
    seats: 5,
    status: 'active',
    startDate: '2026-01-01T00:00:00.000Z',
    segment: 'tech-touch',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    primaryContact: { email: 'ana@acme.example', name: 'Ana Lima' },
    ...over,
  } as Account;
}

const runKey = (r: RunRef) => `${r.accountId}|${r.play}|${r.cycle}`;
const liveKey = (accountId: string, play: string) => `${accountId}|${play}`;

export interface World {
  /** With delivery's ports beside the plays' ones: a step's emails are delivered over them (`emailDelivery`), so a test can swap one. */
  deps: PlayDeps & TriggerDeps & ControlDeps & DeliveryDeps;
  config: TendConfig;
  clock: Clock & { set(at: string | Date): void; advanceDays(days: number): void; advanceHours(hours: number): void };
  accounts: Map<string, Account>;
  usageDays: Map<string, UsageDay[]>;
  scores: Map<string, StoredScore>;
  runs: Map<string, RunRecord>;
  locks: Map<string, { executionName: string; cycle: string; at: string }>;
  tasks: Map<string, CsmTask>;
  ledger: Map<string, SendRecord>;
  sent: OutgoingEmail[];
  events: TendEvent[];
  started: { play: string; executionName: string; input: Record<string, unknown> }[];
  stopped: { play: string; executionName: string; cause: string }[];
  /** Errors the mailer throws on its next calls, in order (then it sends). */
  mailerFailures: Error[];
  addAccount(over?: Partial<Account>): Account;
  /** A score whose band is `band` today, with `recent` daily bands (oldest first) ending today. */
  setScore(accountId: string, band: Band | null, options?: { recent?: (Band | null)[]; flags?: string[]; days?: string[] }): void;
  /** Usage on a day: `users` active, using `features`. */
  addUsage(accountId: string, day: string, users: string[], features: string[]): void;
  run(accountId: string, play: string, cycle: string): RunRecord | undefined;
  /** Starts a run as the state machine's Begin would: anchor planned, record written, lock taken. */
  begin(
    play: string,
    accountId: string,
    anchor: string,
    trigger?: RunRecord['trigger'],
  ): Promise<{ executionName: string; cycle: string; result: Awaited<ReturnType<typeof beginRun>> }>;
}

export function playsWorld(options: { now: string; plays?: Record<string, PlayDefinition>; autoBegin?: boolean; emailPolicy?: 'configured' }): World {
  // Send windows and the frequency cap are the email tests' subject; here every hour of every day
  // is open and the cap is high, unless a test asks for the configured ones (`emailPolicy: 'configured'`).
  const config = parseConfig(
    options.emailPolicy === 'configured'
      ? userConfig
      : {
          ...userConfig,
          email: {
            frequencyCap: { max: 50, days: 1 },
            sendWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], startHour: 0, endHour: 24, timeZone: 'UTC' },
          },
        },
  );
  let nowMs = new Date(options.now).getTime();
  const clock: World['clock'] = {
    now: () => new Date(nowMs),
    set: (at) => void (nowMs = new Date(at).getTime()),
    advanceDays: (d) => void (nowMs += d * DAY_MS),
    advanceHours: (h) => void (nowMs += h * 3_600_000),
  };
  const accountsMap = new Map<string, Account>();
  const usageDays = new Map<string, UsageDay[]>();
  const scoresMap = new Map<string, StoredScore>();
  const runsMap = new Map<string, RunRecord>();
  const locks = new Map<string, { executionName: string; cycle: string; at: string }>();
  const tasksMap = new Map<string, CsmTask>();
  const ledgerMap = new Map<string, SendRecord>();
  const sent: OutgoingEmail[] = [];
  const events: TendEvent[] = [];
  const started: World['started'] = [];
  const stopped: World['stopped'] = [];
  const mailerFailures: Error[] = [];

  const accounts: AccountRepo = {
    read: async (id) => (accountsMap.has(id) ? { account: structuredClone(accountsMap.get(id)!), rev: 0 } : undefined),
    async write() {
      throw new Error('not used by plays');
    },
    get: async (id) => structuredClone(accountsMap.get(id)),
    existing: async (ids) => new Set(ids.filter((i) => accountsMap.has(i))),
    names: async (ids) => new Map(ids.filter((i) => accountsMap.has(i)).map((i) => [i, accountsMap.get(i)!.name])),
    markAnnounced: async (id, now) => void (accountsMap.get(id)!.announcedAt = now.toISOString()),
    setLastRenewal: async (id, lastRenewal) => void (accountsMap.get(id)!.lastRenewal = lastRenewal),
    async setStage(id, stage, now) {
      const a = accountsMap.get(id)!;
      if (a.stage !== stage) Object.assign(a, { stage, stageSince: now.toISOString() });
    },
    async reachMilestone(id, milestone, at) {
      const a = accountsMap.get(id)!;
      if (a.milestones?.[milestone]) return false;
      a.milestones = { ...a.milestones, [milestone]: at.toISOString() };
      return true;
    },
    async *listIds() {
      yield [...accountsMap.keys()];
    },
    async *list() {
      yield [...accountsMap.values()].map((a) => structuredClone(a));
    },
  };
  const usage: UsageRepo = {
    record: async () => [],
    days: async (id, from, to) => (usageDays.get(id) ?? []).filter((d) => d.day >= from && d.day <= to),
  };
  const scores: ScoreRepo = {
    get: async (id) => structuredClone(scoresMap.get(id)),
    put: async (s) => (scoresMap.set(s.accountId, s), true),
  };
  const live = (s: RunRecord['status']) => s === 'running' || s === 'paused';
  const runs: RunRepo = {
    get: async (ref) => structuredClone(runsMap.get(runKey(ref))),
    getMany: async (refs) => refs.map((ref) => structuredClone(runsMap.get(runKey(ref)))),
    forAccount: async (id) => [...runsMap.values()].filter((r) => r.accountId === id).sort((a, b) => b.startedAt.localeCompare(a.startedAt)),
    latest: async (id, play) =>
      structuredClone([...runsMap.values()].filter((r) => r.accountId === id && r.play === play).sort((a, b) => b.cycle.localeCompare(a.cycle))[0]),
    listByPlay: async (play, { status, limit }) => ({
      runs: [...runsMap.values()].filter((r) => r.play === play && (!status || r.status === status)).slice(0, limit),
    }),
    async begin(run) {
      const existing = runsMap.get(runKey(run));
      runsMap.set(runKey(run), {
        ...run,
        trigger: existing?.trigger ?? run.trigger,
        ...((existing?.assignment ?? run.assignment) ? { assignment: existing?.assignment ?? run.assignment } : {}),
        ...((existing?.variants ?? run.variants) ? { variants: existing?.variants ?? run.variants } : {}),
        status: existing?.status ?? 'running',
        startedAt: existing?.startedAt ?? run.startedAt,
        steps: existing?.steps ?? {},
        next: existing ? existing.next : (run.next ?? null),
      });
    },
    async stepDone(ref, stepId, step, next) {
      const r = runsMap.get(runKey(ref));
      if (!r) throw new Error(`no run ${runKey(ref)}`);
      r.steps = { ...r.steps, [stepId]: structuredClone(step) };
      r.next = next ?? null;
    },
    async finish(ref, status, at, reason) {
      const r = runsMap.get(runKey(ref));
      if (r && !live(r.status)) return; // the first ending stands
      const base =
        r ??
        ({
          ...ref,
          executionName: '',
          startedAt: at.toISOString(),
          trigger: { on: 'unknown', at: at.toISOString() },
          schedule: {},
          steps: {},
        } as unknown as RunRecord);
      runsMap.set(runKey(ref), { ...base, status, finishedAt: at.toISOString(), next: null, ...(reason ? { reason } : {}) });
    },
    async reopen(ref, executionName, attempt) {
      const r = runsMap.get(runKey(ref));
      if (!r || r.status !== 'failed') return false;
      Object.assign(r, { status: 'running', executionName, attempt });
      delete r.finishedAt;
      delete r.reason;
      return true;
    },
    async setPaused(ref, paused, at, by) {
      const r = runsMap.get(runKey(ref));
      if (!r || !live(r.status)) return false;
      if (paused) Object.assign(r, { status: 'paused', pausedAt: at.toISOString(), pausedBy: by ?? 'api' });
      else {
        r.status = 'running';
        delete r.pausedAt;
        delete r.pausedBy;
      }
      return true;
    },
    async claimLive(accountId, play, holder) {
      const held = locks.get(liveKey(accountId, play));
      if (held && held.executionName !== holder.executionName) return { held: false, by: { executionName: held.executionName, cycle: held.cycle } };
      locks.set(liveKey(accountId, play), { ...holder });
      return { held: true };
    },
    async releaseLive(accountId, play, name) {
      if (locks.get(liveKey(accountId, play))?.executionName === name) locks.delete(liveKey(accountId, play));
    },
    live: async (accountId) =>
      [...locks.entries()]
        .filter(([k]) => k.startsWith(`${accountId}|`))
        .map(([k, v]) => ({ play: k.slice(accountId.length + 1), executionName: v.executionName, cycle: v.cycle })),
  };
  const tasks: Pick<TaskRepo, 'create' | 'forAccount'> = {
    async create(task) {
      if (tasksMap.has(task.id)) return false;
      tasksMap.set(task.id, structuredClone(task));
      return true;
    },
    forAccount: async (id) => [...tasksMap.values()].filter((t) => t.accountId === id),
  };
  // Without `close`: a capped send is given back, not closed.
  const { close: _close, ...ledger }: SendLedger = memoryLedger(ledgerMap);
  const mailer: Mailer = {
    async send(email) {
      const failure = mailerFailures.shift();
      if (failure) throw failure;
      sent.push(email);
      return { messageId: `msg-${sent.length}` };
    },
  };
  const publisher: EventPublisher = { publish: async (e) => void events.push(...structuredClone(e)) };

  // Consent, suppression, the cap and unsubscribe links, as the send path needs them.
  const email = memoryEmailDeps();
  const deps: World['deps'] = {
    ...email.deps,
    clock,
    config,
    templates: sourceLibrary(config.templates),
    plays: options.plays ?? config.plays,
    features: config.product.features,
    firstValue: config.milestones.firstValue,
    modelFor: modelResolver(config.scoreModel),
    accounts,
    usage,
    scores,
    runs,
    tasks,
    ledger,
    mailer,
    events: publisher,
    // Over the ports of the deps it is called on (`this`): a test's `{ ...w.deps, mailer }` sends through its mailer.
    async emailDelivery() {
      return (req, loaded) => deliver(this, req, loaded);
    },
    runner: { start: async () => {}, stop: async () => {}, isRunning: async () => true }, // replaced below: it needs these deps
  };

  const runner: PlayRunner = {
    async start(play, name, input) {
      if (started.some((s) => s.play === play && s.executionName === name)) return; // Step Functions: same name, same execution
      started.push({ play, executionName: name, input: structuredClone(input) as Record<string, unknown> });
      // The machine's first state is Begin: the in-memory runner runs it straight away.
      if (options.autoBegin !== false) {
        const i = input as { accountId: string; play: string; cycle: string; anchor: string; trigger: RunRecord['trigger'] };
        await beginRun(deps, { ...i, executionName: name });
      }
    },
    stop: async (play, name, cause) => void stopped.push({ play, executionName: name, cause }),
    // Running when started here, not stopped, and its run is not recorded as ended (or not recorded yet).
    isRunning: async (play, name) =>
      started.some((s) => s.play === play && s.executionName === name) &&
      !stopped.some((s) => s.play === play && s.executionName === name) &&
      ![...runsMap.values()].some((r) => r.executionName === name && !['running', 'paused'].includes(r.status)),
  };
  deps.runner = runner;

  const world: World = {
    deps,
    config,
    clock,
    accounts: accountsMap,
    usageDays,
    scores: scoresMap,
    runs: runsMap,
    locks,
    tasks: tasksMap,
    ledger: ledgerMap,
    sent,
    events,
    started,
    stopped,
    mailerFailures,
    addAccount(over) {
      const a = makeAccount(over);
      accountsMap.set(a.id, a);
      return a;
    },
    setScore(accountId, band, opts = {}) {
      const today = new Date(nowMs);
      const recent = (opts.recent ?? []).map((b, i, all) => ({ day: new Date(today.getTime() - (all.length - 1 - i) * DAY_MS).toISOString().slice(0, 10), b }));
      const days = opts.days;
      scoresMap.set(accountId, {
        accountId,
        score: band ? SCORE_OF[band] : null,
        band,
        recent: (days ? days.map((day, i) => ({ day, b: opts.recent?.[i] ?? null })) : recent)
          .filter((d) => d.b !== null)
          .map((d) => ({ day: d.day, score: SCORE_OF[d.b!] })),
        flags: Object.fromEntries((opts.flags ?? []).map((f) => [f, { since: today.toISOString() }])),
        computedAt: today.toISOString(),
        segment: accountsMap.get(accountId)?.segment ?? 'tech-touch',
        churnRisk: null,
        signals: {},
      } as unknown as StoredScore);
    },
    addUsage(accountId, day, users, features) {
      const list = usageDays.get(accountId) ?? [];
      list.push({ day, users, features, userFeatures: users.flatMap((u) => features.map((f) => `${u}|${f}`)) });
      usageDays.set(accountId, list);
    },
    run: (accountId, play, cycle) => runsMap.get(runKey({ accountId, play, cycle })),
    async begin(play, accountId, anchor, trigger) {
      const def = deps.plays[play]!;
      const account = accountsMap.get(accountId)!;
      const a = anchorOf(def, account, anchor) ?? anchor;
      const cycle = cycleOf(a);
      const name = executionName(play, accountId, cycle);
      const result = await beginRun(deps, {
        play,
        accountId,
        cycle,
        executionName: name,
        anchor: a,
        trigger: trigger ?? { on: def.trigger.on, at: new Date(nowMs).toISOString() },
      });
      return { executionName: name, cycle, result };
    },
  };
  return world;
}
