import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { userInfo } from 'node:os';
import { operatorOverride, pausePolicy, pauseState, windowDays } from '../../functions/core/email/reputation.ts';
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

async function withReputation<T>(options: TableOptions, fn: (repo: ReturnType<typeof reputationRepo>) => Promise<T>): Promise<T> {
  const t = await openTable(options);
  try {
    return await fn(reputationRepo(DynamoDBDocumentClient.from(t.client), t.table));
  } finally {
    await t.close();
  }
}

const pct = (r: number) => `${(r * 100).toFixed(2)}%`;

/** `tend email status`: the rates over the window, and whether tech-touch sending is paused and why. */
export async function statusCommand(options: TableOptions) {
  const policy = pausePolicy(parseConfig(userConfig).email);
  const now = new Date();
  const { state, override } = await withReputation(options, async (repo) => {
    const [days, override] = await Promise.all([repo.days(windowDays(now, policy.days)), repo.override()]);
    return { state: pauseState(days, override, now, policy), override };
  });
  if (options.json) return console.log(JSON.stringify({ ...state, override, policy }));
  console.log(
    `Last ${policy.days} days: ${state.sent} sent, bounce rate ${pct(state.bounceRate)}, complaint rate ${pct(state.complaintRate)} ` +
      `(pauses at ${pct(0.05 * policy.fraction)} / ${pct(0.001 * policy.fraction)} once ${policy.minSends} were sent).`,
  );
  console.log(state.paused ? state.reason : `Sending is on.${state.detail ? ` ${state.detail}.` : ''}`);
}

/** `tend email resume`: an operator lets tech-touch sending go on for some hours although the rates paused it; `--cancel` ends that. */
export async function resumeCommand(options: TableOptions & { hours: number; by?: string; cancel?: boolean }) {
  const override = options.cancel ? undefined : operatorOverride(options.by ?? userInfo().username, options.hours, new Date());
  await withReputation(options, (repo) => repo.setOverride(override));
  if (options.json) return console.log(JSON.stringify({ override: override ?? null }));
  console.log(
    override
      ? `Sending resumed by ${override.by} until ${override.until}, whatever the rates (running functions see it within a minute).`
      : 'Resume cancelled: the rates decide again.',
  );
}
