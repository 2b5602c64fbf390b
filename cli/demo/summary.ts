import type { LocalRuntime } from '../../local/runtime.ts';
import type { SyntheticAccount } from './synthetic.ts';
import { demoAuth } from './api-key.ts';

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
  journeys: { started: number; completed: number; running: number; failed: number };
  seconds: number;
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

/** The demo's outcome, read back through the public API (the account view) and the local stand-ins. */
export async function summarise(rt: LocalRuntime, accounts: SyntheticAccount[], run: { days: number; seed: number; eventsPosted: number; seconds: number }): Promise<DemoSummary> {
  const tiers: Record<string, number> = {};
  const byTemplate: Record<string, number> = {};
  const byStep: Record<string, number> = {};
  const scores: number[] = [];
  for (const a of accounts) {
    const res = await fetch(`${rt.url}/v1/accounts/${encodeURIComponent(a.id)}`, { headers: await demoAuth(rt) });
    if (res.status !== 200) continue;
    const view = (await res.json()) as { health: { score: number | null; tier: string | null } | null; journeys: { onboarding: { steps: Record<string, { template?: string; outcome: string }> } | null } };
    bump(tiers, view.health?.tier ?? 'unscored');
    if (typeof view.health?.score === 'number') scores.push(view.health.score);
    for (const [step, s] of Object.entries(view.journeys.onboarding?.steps ?? {})) {
      if (s.outcome !== 'sent') continue;
      bump(byTemplate, s.template ?? 'unknown');
      bump(byStep, step);
    }
  }
  const executions = [...rt.sfn.executions.values()].filter((e) => e.machineArn.includes('Onboarding'));
  return {
    accounts: accounts.length,
    days: run.days,
    seed: run.seed,
    eventsPosted: run.eventsPosted,
    tiers,
    averageScore: scores.length ? Math.round((scores.reduce((s, x) => s + x, 0) / scores.length) * 10) / 10 : null,
    emailsSent: rt.ses.outbox().length,
    emailsByTemplate: byTemplate,
    emailsByStep: byStep,
    journeys: {
      started: executions.length,
      completed: executions.filter((e) => e.status === 'SUCCEEDED').length,
      running: executions.filter((e) => e.status === 'RUNNING').length,
      failed: executions.filter((e) => e.status === 'FAILED' || e.status === 'TIMED_OUT').length,
    },
    seconds: Math.round(run.seconds * 10) / 10,
  };
}

export function printSummary(s: DemoSummary) {
  const rows = (m: Record<string, number>) => Object.entries(m).sort((a, b) => b[1] - a[1]).map(([k, v]) => `    ${k.padEnd(20)} ${v}`).join('\n');
  console.log(`
Tend demo: ${s.accounts} accounts over ${s.days} days (seed ${s.seed}) in ${s.seconds} s
  usage events ingested  ${s.eventsPosted.toLocaleString('en-US')}
  health tiers (average score ${s.averageScore ?? 'n/a'})
${rows(s.tiers)}
  emails sent            ${s.emailsSent}
  by template
${rows(s.emailsByTemplate)}
  by onboarding step
${rows(s.emailsByStep)}
  onboarding journeys    ${s.journeys.started} started, ${s.journeys.completed} finished, ${s.journeys.running} running, ${s.journeys.failed} failed`);
}
