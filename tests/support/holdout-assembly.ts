import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type TendConfigInput } from '../../functions/core/config.ts';
import { sourceHash } from '../../local/synth.ts';
import userConfig from '../../tend.config.ts';

/**
 * The holdout tests' configuration: only two plays, both triggered by an account turning red and
 * both holding out half their runs (the small populations of a CI test need even groups).
 * `save` has a true effect in the simulation (tests/support/churn-simulation.ts); `placebo` has none.
 */
export const HOLDOUT_CONFIG: TendConfigInput = {
  ...userConfig,
  email: {
    frequencyCap: { max: 50, days: 1 },
    sendWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], startHour: 0, endHour: 24, timeZone: 'UTC' },
  },
  plays: {
    onboarding: false,
    renewal: false,
    adoption: false,
    expansion: false,
    advocacy: false,
    reengagement: false,
    save: {
      id: 'save',
      description: 'Outreach when an account turns red, then a review task two days later; half the runs held out',
      trigger: { on: 'tier.changed', to: ['red'] },
      anchor: 'trigger',
      cooldownDays: 7,
      exitWhen: [{ reason: 'renewed', when: { renewalOutcome: ['renewed'] } }],
      holdout: { share: 50, days: 30, minimumEffect: 30 },
      steps: [
        {
          id: 'outreach',
          day: 0,
          do: [
            {
              email: 'save-outreach',
              priority: 'critical',
              variants: [
                { template: 'save-outreach', share: 1 },
                { template: 'reengagement', share: 1 },
              ],
            },
            { stage: 'at-risk' },
          ],
        },
        { id: 'review', day: 2, do: { task: { title: 'Urgent review: diagnose, plan, execute', priority: 'urgent' } } },
      ],
    },
    placebo: {
      id: 'placebo',
      description: 'A tip that changes nothing, held out the same way',
      trigger: { on: 'tier.changed', to: ['red'] },
      anchor: 'trigger',
      holdout: { share: 50, salt: 'placebo', days: 30, minimumEffect: 30 },
      steps: [{ id: 'tip', day: 0, hour: 1, do: { email: 'feature-spotlight', category: 'tips' } }],
    },
  },
};

/**
 * The app synthesized with HOLDOUT_CONFIG (about 20 s), once per source change: kept under the
 * temp folder by a hash of the sources and the config, so a second test file or run reuses it.
 */
export async function holdoutAssembly(): Promise<string> {
  const config = parseConfig(HOLDOUT_CONFIG);
  const hash = createHash('sha256').update(sourceHash()).update(JSON.stringify(config)).digest('hex').slice(0, 16);
  const outdir = join(tmpdir(), `tend-holdout-${hash}`, 'cdk.out');
  const stamp = join(outdir, '.tend-holdout-ready');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return outdir;
  mkdirSync(outdir, { recursive: true });
  const { buildApp } = await import('../../lib/app.ts');
  // Only a play differs from the main assembly, whose templates tests/cdk/validate.test.ts validates.
  buildApp({ outdir, config, validation: false }).synth();
  writeFileSync(stamp, hash);
  return outdir;
}
