import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../../../cli/demo/start.ts';
import { parseConfig } from '../../../functions/core/config.ts';
import type { LocalRuntime } from '../../../local/runtime.ts';
import userConfig from '../../../tend.config.ts';

export interface DemoRuntime {
  rt: LocalRuntime;
  url: string;
  /** The demo's admin API key: the tests' reference reads of the API. */
  adminKey: string;
  /** A key with the read scope alone. */
  readKey: string;
  accountIds: string[];
  /** The account the demo's summary points at (an existing customer with play runs). */
  exampleAccount: string;
  /** The CSMs' ids, as tend.config.ts names them. */
  csms: string[];
  /** Passwords of the people the local issuer made (admin@tend.local, viewer@tend.local, each CSM), by email. */
  passwords: Record<string, string>;
  /** Stops the runtime and removes the demo's data folder. */
  stop(): Promise<void>;
}

/**
 * `tend demo` itself (runDemo: its book of customers with owners, plans, renewals, surveys,
 * tickets and high-touch accounts, and its day loop) on a fresh temporary data folder, left
 * serving and paused at the end of its weeks: what the browser tests and their screenshots show
 * is the demo's data. A small book by default (30 accounts, 14 days) to keep the suite short.
 */
export async function demoRuntime(options: {
  assemblyDir: string;
  accounts?: number;
  days?: number;
  seed?: number;
  port?: number;
  webDir?: string;
}): Promise<DemoRuntime> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tend-browser-demo-'));
  const demo = await runDemo({
    accounts: options.accounts ?? 30,
    days: options.days ?? 14,
    seed: options.seed ?? 11,
    dataDir,
    fresh: true,
    port: options.port,
    webDir: options.webDir,
    assemblyDir: options.assemblyDir,
  });
  const rt = demo.runtime;
  const readKey = await rt.createKey(['read'], 'web-tests-read');
  const passwords = Object.fromEntries(rt.oidc.newUsers.map((u) => [u.email, u.password]));
  const listed = await fetch(`${demo.apiUrl}/v1/accounts?limit=200`, { headers: { authorization: `Bearer ${demo.key}` } });
  const accountIds = ((await listed.json()) as { accounts: { customer: { id: string } }[] }).accounts.map((a) => a.customer.id);
  return {
    rt,
    url: demo.apiUrl,
    adminKey: demo.key,
    readKey,
    accountIds,
    exampleAccount: demo.summary.lookAround!.exampleAccount,
    csms: parseConfig(userConfig).csms.map((c) => c.id),
    passwords,
    async stop() {
      await demo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
