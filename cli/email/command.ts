import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { userInfo } from 'node:os';
import { changePause, pauseStatus, type PauseControlDeps } from '../../functions/core/email/pause-control.ts';
import { pausePolicy } from '../../functions/core/email/reputation.ts';
import { parseConfig } from '../../functions/core/config.ts';
import { reputationRepo } from '../../functions/data/email.ts';
import userConfig from '../../tend.config.ts';
import { openTable } from '../local-state.ts';

interface TableOptions {
  data: string;
  table?: string;
  region?: string;
  json?: boolean;
}

/** The same core as `GET|POST /v1/email/pause` (functions/core/email/pause-control.ts), over the command's table. */
async function withPauseControl<T>(options: TableOptions, fn: (deps: PauseControlDeps, now: Date) => Promise<T>): Promise<T> {
  const t = await openTable(options);
  try {
    // At the time the data lives in: the local clock (tend dev's, or the one it saved), else now.
    return await fn(
      { reputation: reputationRepo(DynamoDBDocumentClient.from(t.client), t.table), policy: pausePolicy(parseConfig(userConfig).email) },
      await t.now(),
    );
  } finally {
    await t.close();
  }
}

const pct = (r: number) => `${(r * 100).toFixed(2)}%`;

/** `tend email status`: the rates over the window, and whether tech-touch sending is paused and why. */
export async function statusCommand(options: TableOptions) {
  const { state, override, policy } = await withPauseControl(options, (deps, now) => pauseStatus(deps, now));
  if (options.json) return console.log(JSON.stringify({ ...state, override, policy }));
  console.log(
    `Last ${policy.days} days: ${state.sent} sent, bounce rate ${pct(state.bounceRate)}, complaint rate ${pct(state.complaintRate)} ` +
      `(pauses at ${pct(0.05 * policy.fraction)} / ${pct(0.001 * policy.fraction)} once ${policy.minSends} were sent).`,
  );
  console.log(state.paused ? state.reason : `Sending is on.${state.detail ? ` ${state.detail}.` : ''}`);
}

/** `tend email resume`: an operator lets tech-touch sending go on for some hours although the rates paused it; `--cancel` ends that. */
export async function resumeCommand(options: TableOptions & { hours: number; by?: string; cancel?: boolean }) {
  const action = options.cancel ? { action: 'cancel-resume' as const } : { action: 'resume' as const, hours: options.hours, by: options.by };
  const override = await withPauseControl(options, (deps, now) => changePause(deps, action, userInfo().username, now));
  if (options.json) return console.log(JSON.stringify({ override: override ?? null }));
  console.log(
    override
      ? `Sending resumed by ${override.by} until ${override.until}, whatever the rates (running functions see it within a minute).`
      : 'Resume cancelled: the rates decide again.',
  );
}
