import type { LocalRuntime } from '../../local/runtime.ts';
import type { SyntheticAccount } from './synthetic.ts';
import { demoAuth } from './api-key.ts';
import type { LifeTotals } from './life.ts';
import type { CallerRequests } from './callers.ts';

export interface DemoSummary {
  accounts: number;
  days: number;
  seed: number;
  eventsPosted: number;
  tiers: Record<string, number>;
  averageScore: number | null;
  emailsSent: number;
  emailsByTemplate: Record<string, number>;
  emailsByStep: Record<string, number>;
  /** Runs per play: started, finished (completed or ended early), running, failed. */
  plays: Record<string, { started: number; finished: number; running: number; failed: number }>;
  tasks: number;
  /** Renewal outcomes the demo's customers gave during its weeks (POST /v1/accounts/{id}/renewals). */
  renewals: LifeTotals['renewals'];
  /** GET /v1/metrics over the demo's weeks: NPS and CSAT answers, net and gross revenue retention. */
  sentiment: { nps: number | null; npsResponses: number; csat: number | null; csatResponses: number; nrr: number | null; grr: number | null };
  /** Flags raised (flag.started on Tend's bus) during the run, by flag. */
  flagsRaised: Record<string, number>;
  /** Built-in or configured plays that never started: empty when the demo showed them all. */
  playsNotRun: string[];
  /** Where to look around afterwards: the API, an admin key, the outbox, the data folder. */
  lookAround?: { apiUrl: string; key: string; outboxUrl: string; sesUrl: string; dataDir: string; exampleAccount: string };
  /** What the run cost in DynamoDB (the local table's metering, before the summary's own reads). */
  dynamodb: { requests: number; readUnits: number; writeUnits: number; byOperation: Record<string, number>; byCaller?: Record<string, CallerRequests> };
  seconds: number;
}

interface MetricsWhole {
  nps: { nps: number | null; responses: number };
  csat: { average: number | null; responses: number };
  retention: { nrr: number | null; grr: number | null };
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

/** The demo's outcome, read back through the public API (the account view) and the local stand-ins. */
export async function summarise(
  rt: LocalRuntime,
  accounts: SyntheticAccount[],
  run: {
    days: number;
    seed: number;
    eventsPosted: number;
    seconds: number;
    renewals: LifeTotals['renewals'];
    from: string;
    to: string;
    flagsRaised: Record<string, number>;
  },
  playIds: string[],
): Promise<DemoSummary> {
  const dynamodb = rt.dynamo.totals();
  const byOperation = { ...rt.dynamo.operations };
  const tiers: Record<string, number> = {};
  const byTemplate: Record<string, number> = {};
  const byStep: Record<string, number> = {};
  const scores: number[] = [];
  let tasks = 0;
  for (const a of accounts) {
    const res = await fetch(`${rt.url}/v1/accounts/${encodeURIComponent(a.id)}`, { headers: await demoAuth(rt) });
    if (res.status !== 200) continue;
    const view = (await res.json()) as {
      health: { score: number | null; tier: string | null } | null;
      plays: { play: string; steps: Record<string, { actions?: { kind: string; template?: string; outcome: string }[] }> }[];
      tasks: unknown[];
    };
    bump(tiers, view.health?.tier ?? 'unscored');
    if (typeof view.health?.score === 'number') scores.push(view.health.score);
    tasks += view.tasks.length;
    for (const run of view.plays) {
      for (const [step, s] of Object.entries(run.steps)) {
        for (const a of s.actions ?? []) {
          if (a.kind !== 'email' || a.outcome !== 'sent') continue;
          bump(byTemplate, a.template ?? 'unknown');
          bump(byStep, `${run.play}/${step}`);
        }
      }
    }
  }
  const plays: DemoSummary['plays'] = {};
  for (const e of rt.sfn.executions.values()) {
    // Play runs are named `<play>-<account>-<cycle>-<hash>`; the scoring run's are not.
    const play = e.name.split('-')[0]!;
    if (!playIds.includes(play)) continue;
    const p = (plays[play] ??= { started: 0, finished: 0, running: 0, failed: 0 });
    p.started++;
    if (e.status === 'SUCCEEDED') p.finished++;
    else if (e.status === 'RUNNING') p.running++;
    else if (e.status === 'FAILED' || e.status === 'TIMED_OUT') p.failed++;
  }
  const metrics = await fetch(`${rt.url}/v1/metrics?period=${run.from}..${run.to}`, { headers: await demoAuth(rt) });
  const whole = metrics.status === 200 ? ((await metrics.json()) as { whole: MetricsWhole }).whole : undefined;
  const pct = (x: number | null | undefined) => (typeof x === 'number' ? Math.round(x * 1000) / 10 : null);
  return {
    accounts: accounts.length,
    days: run.days,
    seed: run.seed,
    eventsPosted: run.eventsPosted,
    tiers,
    averageScore: scores.length ? Math.round((scores.reduce((s, x) => s + x, 0) / scores.length) * 10) / 10 : null,
    emailsSent: rt.ses.sentTotal,
    emailsByTemplate: byTemplate,
    emailsByStep: byStep,
    plays,
    tasks,
    renewals: run.renewals,
    sentiment: {
      nps: whole?.nps.nps === null || whole === undefined ? null : Math.round(whole.nps.nps),
      npsResponses: whole?.nps.responses ?? 0,
      csat: typeof whole?.csat.average === 'number' ? Math.round(whole.csat.average * 100) / 100 : null,
      csatResponses: whole?.csat.responses ?? 0,
      nrr: pct(whole?.retention.nrr),
      grr: pct(whole?.retention.grr),
    },
    flagsRaised: run.flagsRaised,
    playsNotRun: playIds.filter((p) => !plays[p]?.started),
    dynamodb: { requests: dynamodb.requests, readUnits: Math.round(dynamodb.readUnits), writeUnits: Math.round(dynamodb.writeUnits), byOperation },
    seconds: Math.round(run.seconds * 10) / 10,
  };
}

export function printSummary(s: DemoSummary) {
  const rows = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `    ${k.padEnd(24)} ${v}`)
      .join('\n');
  const inline = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const money = (n: number) => `$${n.toLocaleString('en-US')}`;
  const r = s.renewals;
  const t = s.sentiment;
  console.log(`
Tend demo: ${s.accounts} accounts over ${s.days} days (seed ${s.seed}) in ${s.seconds} s
  usage events ingested  ${s.eventsPosted.toLocaleString('en-US')}
  health tiers (average score ${s.averageScore ?? 'n/a'})
${rows(s.tiers)}
  plays (runs)
${Object.entries(s.plays)
  .map(([play, p]) => `    ${play.padEnd(24)} ${p.started} started, ${p.finished} finished, ${p.running} running, ${p.failed} failed`)
  .join('\n')}${s.playsNotRun.length ? `\n    not run: ${s.playsNotRun.join(', ')}` : ''}
  renewals               ${r.won} won (${money(r.wonArr)} ARR), ${r.lost} lost (${money(r.lostArr)} ARR${r.lost ? `: ${inline(r.reasons)}` : ''})
  NPS                    ${t.nps ?? 'n/a'} (${t.npsResponses} answers) · CSAT ${t.csat ?? 'n/a'} (${t.csatResponses}) · NRR ${t.nrr ?? 'n/a'}% · GRR ${t.grr ?? 'n/a'}%
  flags raised           ${inline(s.flagsRaised)}
  emails sent            ${s.emailsSent}
  by template
${rows(s.emailsByTemplate)}
  by play step
${rows(s.emailsByStep)}
  CSM tasks              ${s.tasks}
  DynamoDB               ${s.dynamodb.requests.toLocaleString('en-US')} requests, ${s.dynamodb.readUnits.toLocaleString('en-US')} read and ${s.dynamodb.writeUnits.toLocaleString('en-US')} write units (local metering)`);
  if (s.lookAround) printLookAround(s.lookAround);
}

/** How to look around the demo's data: printed after the summary. */
export function printLookAround(l: NonNullable<DemoSummary['lookAround']>) {
  console.log(`
Look around: the data stays in ${l.dataDir}
  API        ${l.apiUrl}   key ${l.key}
             curl -H "Authorization: Bearer ${l.key}" ${l.apiUrl}/v1/accounts/${l.exampleAccount}
  Outbox     ${l.outboxUrl}   (viewer ${l.sesUrl})
  Later      npx tend dev${l.dataDir.endsWith('.tend') ? '' : ` --data ${l.dataDir}`}   (same data, same key); tend metrics retention, tend model fit, tend score backtest`);
}
