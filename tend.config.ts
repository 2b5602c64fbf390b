import { defineConfig } from './functions/core/config.ts';

/**
 * Tend's configuration: the one file you edit. It is validated when you run `cdk synth` or any
 * `tend` command, and bundled into every function. See README.md (Configure) and docs/scoring.md.
 */
export default defineConfig({
  product: {
    name: 'Acme Analytics',
    url: 'https://app.acme.example',
    features: ['dashboards', 'reports', 'alerts', 'integrations', 'sharing', 'api'],
    premiumFeatures: ['sso', 'audit-log', 'forecasting'],
    trainingCourses: ['getting-started', 'dashboards-101', 'admin-essentials'],
  },
  sender: {
    name: 'Acme Customer Success',
    from: 'success@acme.example',
    replyTo: 'help@acme.example',
  },
  aws: {
    // region: 'us-east-1',
    // account: '123456789012',
  },
  scoreModel: 'seed-002',
  scoring: { schedule: 'cron(0 6 * * ? *)', rescoreSchedule: 'rate(1 hour)', fallingFastPoints: 10 },
  segments: { highTouchArr: 50_000, mediumTouchArr: 10_000 },
  journeys: {
    onboarding: {
      steps: [
        { id: 'welcome', day: 1, templates: { active: 'welcome', inactive: 'welcome' } },
        { id: 'day-7', day: 7, templates: { active: 'checkin-active', inactive: 'checkin-inactive' } },
        { id: 'day-14', day: 14, templates: { active: 'checkin-active', inactive: 'checkin-inactive' } },
        { id: 'day-30', day: 30, templates: { active: 'checkin-active', inactive: 'checkin-inactive' } },
      ],
    },
  },
});
