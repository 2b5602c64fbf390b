import { DEMO_START } from '../../../cli/demo/command.ts';
import { seededRandom } from '../../../cli/demo/random.ts';
import { runDemoDays } from '../../../cli/demo/run.ts';
import { syntheticAccounts } from '../../../cli/demo/synthetic.ts';
import { parseConfig } from '../../../functions/core/config.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime.ts';
import userConfig from '../../../tend.config.ts';

const DAY = 86_400_000;
const PLANS = ['Starter', 'Pro', 'Enterprise'];

export interface DemoRuntime {
  rt: LocalRuntime;
  url: string;
  /** An admin API key: the tests' reference reads of the API, and the app's sign-in until the local issuer. */
  adminKey: string;
  /** A key with the read scope alone. */
  readKey: string;
  accountIds: string[];
  csms: string[];
  /** Passwords of the people the local issuer made (admin@tend.local, viewer@tend.local, each CSM), by email. */
  passwords: Record<string, string>;
}

/**
 * The demo's population (its generator and day loop, as `tend demo` runs them) on a local runtime,
 * with what the web app shows that the demo does not send: owners, plans, renewal dates over the
 * next six months, a few high-touch accounts (whose plays make tasks for their CSM), NPS and CSAT.
 */
export async function demoRuntime(options: {
  assemblyDir: string;
  accounts?: number;
  days?: number;
  seed?: number;
  port?: number;
  webDir?: string;
}): Promise<DemoRuntime> {
  const config = parseConfig(userConfig);
  const count = options.accounts ?? 24;
  const days = options.days ?? 14;
  const rt = await startLocalRuntime({ assemblyDir: options.assemblyDir, start: DEMO_START, paused: true, port: options.port, webDir: options.webDir });
  const adminKey = await rt.createKey(['admin'], 'web-tests');
  const readKey = await rt.createKey(['read'], 'web-tests-read');
  const r = seededRandom(options.seed ?? 11);
  const accounts = syntheticAccounts(r, count, days);
  const csms = config.csms.map((c) => c.id);
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${rt.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
  };
  await runDemoDays(rt, {
    r,
    accounts,
    days,
    start: DEMO_START,
    product: config.product,
    afterDay: async (day) => {
      // Once every account has signed up: who owns it, its plan, when it renews, and its surveys.
      if (day !== Math.max(...accounts.map((a) => a.signupDay))) return;
      const today = DEMO_START.getTime() + (day + 1) * DAY;
      for (const [i, a] of accounts.entries()) {
        const renewal = new Date(today + (10 + ((i * 23) % 175)) * DAY).toISOString().slice(0, 10);
        await post('/v1/accounts', {
          id: a.id,
          name: a.name,
          primaryContact: a.contact,
          owner: csms[i % csms.length],
          plan: PLANS[i % PLANS.length],
          renewalDate: renewal,
          ...(i % 5 === 0 ? { arr: 60_000 + i * 1000 } : {}),
        });
      }
      const answeredAt = new Date(today - DAY / 2).toISOString();
      await post('/v1/surveys', {
        surveys: accounts.slice(0, 12).map((a, i) => ({
          id: `nps-${a.id}`,
          accountId: a.id,
          kind: i % 3 === 0 ? 'csat' : 'nps',
          score: i % 3 === 0 ? 2 + (i % 4) : [10, 9, 4, 7, 8, 2, 10, 6][i % 8],
          contactEmail: a.contact.email,
          answeredAt,
        })),
      });
    },
  });
  const passwords = Object.fromEntries(rt.oidc.newUsers.map((u) => [u.email, u.password]));
  return { rt, url: rt.url, adminKey, readKey, accountIds: accounts.map((a) => a.id), csms, passwords };
}
