import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseConfig } from '../../functions/core/config.ts';
import { playLift, type PlayLift } from '../../functions/core/lift/play-lift.ts';
import type { OutcomeLift } from '../../functions/core/lift/report.ts';
import { modelResolver } from '../../functions/core/score/presets/index.ts';
import { accountRepo } from '../../functions/data/accounts.ts';
import { holdoutRepo } from '../../functions/data/holdouts.ts';
import { revenueRepo } from '../../functions/data/revenue.ts';
import { runRepo } from '../../functions/data/runs.ts';
import { scoreRepo } from '../../functions/data/scores.ts';
import { variantCounts } from '../../functions/data/variant-counts.ts';
import userConfig from '../../tend.config.ts';
import { devSession, openTable } from '../local-state.ts';

export interface LiftOptions {
  data: string;
  url?: string;
  key?: string;
  table?: string;
  region?: string;
  at?: string;
  json?: boolean;
}

/**
 * `tend plays lift <play>`: the play's lift (docs/holdouts.md) from an API (--url/--key,
 * TEND_URL/TEND_API_KEY, or the running `tend dev`), else the table read directly (local data on
 * disk, or --table), as `tend metrics outcomes` does.
 */
export async function liftCommand(play: string, options: LiftOptions) {
  const lift = await load(play, options);
  console.log(options.json ? JSON.stringify(lift, null, 2) : liftText(lift));
}

async function load(play: string, options: LiftOptions): Promise<PlayLift> {
  const dev = options.table ? undefined : devSession(options.data);
  const url = options.table ? undefined : (options.url ?? process.env.TEND_URL ?? dev?.url);
  if (url) {
    const key = options.key ?? process.env.TEND_API_KEY ?? (url === dev?.url ? dev?.key : undefined);
    if (!key) throw new Error(`no API key for ${url}: pass --key (a read key from \`tend keys create --scope read\`) or set TEND_API_KEY`);
    const res = await fetch(`${url}/v1/plays/${encodeURIComponent(play)}/lift`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as PlayLift & { message?: string };
    if (!res.ok) throw new Error(`${res.status}: ${body.message ?? JSON.stringify(body)}`);
    return body;
  }
  const config = parseConfig(userConfig);
  const t = await openTable(options);
  try {
    const db = DynamoDBDocumentClient.from(t.client);
    // The data's own clock (a running or saved local clock; AWS: now), as every other command reads it.
    const at = options.at ? new Date(options.at) : await t.now();
    if (Number.isNaN(at.getTime())) throw new Error(`--at: not a time: ${options.at}`);
    return await playLift(
      {
        clock: { now: () => at },
        plays: config.plays,
        runs: runRepo(db, t.table),
        accounts: accountRepo(db, t.table),
        revenue: revenueRepo(db, t.table),
        scores: scoreRepo(db, t.table, modelResolver(config.scoreModel)),
        holdouts: holdoutRepo(db, t.table),
        variantEmail: variantCounts(db, t.table),
      },
      play,
    );
  } finally {
    await t.close();
  }
}

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const signedPct = (x: number | null) => (x === null ? '–' : `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`);

function figures(o: OutcomeLift): [string, string, string] {
  if (o.kind === 'rate')
    return [
      `${pct(o.treated.rate)} of ${o.treated.n}`,
      `${pct(o.heldOut.rate)} of ${o.heldOut.n}`,
      o.interval ? `${signedPct(o.difference)} [${signedPct(o.interval.low)}, ${signedPct(o.interval.high)}]` : '–',
    ];
  if (o.kind === 'mean')
    return [
      `${o.treated.mean ?? '–'} (n ${o.treated.n})`,
      `${o.heldOut.mean ?? '–'} (n ${o.heldOut.n})`,
      o.interval ? `${o.difference} [${o.interval.low}, ${o.interval.high}]` : '–',
    ];
  return [
    `${pct(o.treated.value)} (n ${o.treated.n})`,
    `${pct(o.heldOut.value)} (n ${o.heldOut.n})`,
    o.interval ? `${signedPct(o.difference)} [${signedPct(o.interval.low)}, ${signedPct(o.interval.high)}]` : '–',
  ];
}

/** The lift as a table a CSM reads: one line per outcome, then what is still needed, then the variants. */
export function liftText(lift: PlayLift): string {
  const lines: string[] = [];
  if (!lift.holdout) lines.push(`${lift.play}: no holdout declared (tend.config.ts plays.${lift.play}.holdout), so no lift to measure.`);
  else {
    const h = lift.holdout;
    lines.push(
      `${lift.play}: ${h.share}% held out, outcomes over ${h.days} days, minimum effect ${h.minimumEffect} pts${h.ended ? `; holdout ended ${h.ended.endedAt} by ${h.ended.by}` : ''}`,
      `runs: ${lift.runs.treated} treated, ${lift.runs.heldOut} held out, ${lift.runs.notRandomized} not randomized${lift.runs.truncated ? ` (the newest ${lift.runs.read} read)` : ''}; as of ${lift.asOf}`,
      '',
    );
    const rows = lift.outcomes.map((o) => [o.label, ...figures(o), o.verdict.replaceAll('-', ' ')]);
    const header = ['outcome', 'treated', 'held out', 'difference [95% CI]', 'verdict'];
    const widths = header.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [header, ...rows])
      lines.push(
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      );
    const needs = lift.outcomes.filter((o) => o.stillNeeded);
    if (needs.length) {
      lines.push('', 'not enough data yet (power 80%, alpha 5%):');
      for (const o of needs)
        lines.push(
          `  ${o.label}: ${o.stillNeeded!.moreRuns} more runs (${o.stillNeeded!.heldOut} held out and ${o.stillNeeded!.treated} treated with an outcome)`,
        );
    }
  }
  if (lift.variants.length) {
    lines.push('', 'email variants (treated runs):');
    for (const v of lift.variants)
      lines.push(
        `  ${v.step} ${v.template}: ${v.runs} runs, ${v.ended} ended (${
          Object.entries(v.endings)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ') || 'none'
        }), churned ${pct(v.churned.rate)} of ${v.churned.n}; sent ${v.email.sent}, opened ${v.email.opened}, clicked ${v.email.clicked}, replied ${v.email.replied}`,
      );
  }
  return lines.join('\n');
}
