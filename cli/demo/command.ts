import type { LocalRuntime } from '../../local/runtime.ts';
import { clearDevSession } from '../local-state.ts';
import { DemoRefused, runDemo } from './start.ts';
import { printSummary } from './summary.ts';
import { ensureWebApp, WEB_DIST } from '../../web/build.ts';

export { DEMO_START } from './start.ts';

/**
 * `tend demo`: a book of synthetic customers lives some weeks on this machine (cli/demo/start.ts,
 * README "The demo"), then the runtime keeps serving the API on the same data until Ctrl-C (or
 * stops with `--exit`). The data stays in `--data` (default `.tend`) for `tend dev`.
 */
export async function demo(options: {
  accounts: number;
  days: number;
  seed: number;
  port: number;
  data: string;
  fresh?: boolean;
  exit?: boolean;
  json?: boolean;
  callers?: boolean;
}) {
  const progress = (line: string) => process.stderr.write(process.stderr.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
  if (!options.exit) await ensureWebApp((l) => console.error(l));
  let result;
  try {
    result = await runDemo({
      accounts: options.accounts,
      days: options.days,
      seed: options.seed,
      dataDir: options.data,
      fresh: options.fresh,
      callers: options.callers,
      port: options.port,
      ...(options.exit ? {} : { webDir: WEB_DIST }),
      log: (l) => console.error(l),
      onDay: (_, line) => progress(line),
    });
  } catch (err) {
    if (!(err instanceof DemoRefused)) throw err;
    console.error(err.message);
    process.exit(1);
  }
  if (!options.json && process.stderr.isTTY) process.stderr.write('\n');
  if (options.json) console.log(JSON.stringify(result.summary));
  else printSummary(result.summary);
  reportFailedRuns(result.runtime);

  if (options.exit) {
    await result.stop();
    process.exit(0);
  }
  const rt = result.runtime;
  rt.clock.resume();
  // The web app's people (docs/auth.md): made now, their passwords shown only this once (only hashes are kept).
  const people = rt.oidc.newUsers.map((u) => `\n             ${u.email} (${u.role})  password ${u.password}`).join('');
  (options.json ? console.error : console.log)(
    `  Web app    ${rt.url}/   sign in as${people || ' one of `tend users list` (tend users set-password <email> sets a password)'}`,
  );
  console.error(
    `\nStill serving on the same data: web app ${rt.url}/ · API ${rt.url} · outbox ${rt.url}/local/outbox · the clock running at 1x from ${rt.clock.now().toISOString()}. Ctrl-C to stop (then \`npx tend dev\` goes on from here).`,
  );
  const stop = () => void result.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.once('exit', () => clearDevSession(result.dataDir));
}

/** Runs that failed or timed out, one line per distinct error on stderr: a summary's `failed` count says how many, this says why. */
function reportFailedRuns(rt: LocalRuntime) {
  const reasons = new Map<string, number>();
  for (const e of rt.sfn.executions.values()) {
    if (e.status !== 'FAILED' && e.status !== 'TIMED_OUT') continue;
    const reason = `${e.name.split('-')[0]}: ${e.status} ${e.error ?? ''} ${(e.cause ?? '').slice(0, 300)}`;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  for (const [reason, n] of reasons) console.error(`${n} run(s) ended ${reason}`);
}
