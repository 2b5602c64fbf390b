import { ConfigError } from '../functions/core/config.ts';
import * as z from '../functions/core/zod.ts';

/**
 * A deployment stage (`dev`, `prod`, ...): CDK context `stage` (`cdk deploy --all -c stage=prod`), `dev`
 * by default. It is part of both stack names, and so of every physical name derived from them
 * (state machines, the event bus, queues, secrets, alarms, the dashboard): two stages live in one
 * account without clashing. Letters and digits only, so that `Tend-<stage>-` never prefixes another stage's names.
 */
export const stageSchema = z.string().check(z.regex(/^[a-z][a-z0-9]{0,11}$/, 'a stage is 1 to 12 lowercase letters and digits, starting with a letter'));

export const DEFAULT_STAGE = 'dev';

/** The CloudFormation stack names of a stage; the construct ids (and so the template files) stay `TendData` and `Tend`. */
export const stackNamesOf = (stage: string) => ({ data: `TendData-${stage}`, app: `Tend-${stage}` }) as const;

/** The stage from a context value or an option (undefined: the default), or an error naming where it came from. */
export function parseStage(value: unknown, from = '-c stage'): string {
  if (value === undefined) return DEFAULT_STAGE;
  const parsed = stageSchema.safeParse(value);
  if (!parsed.success) throw new ConfigError(`${from} ${String(value)}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
