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
  // Who gets the CloudWatch alarms by email (docs/operations.md).
  operations: {
    // alarmEmail: 'ops@acme.example',
  },
  scoreModel: 'seed-002',
  scoring: { schedule: 'cron(0 6 * * ? *)', rescoreSchedule: 'rate(1 hour)', fallingFastPoints: 10 },
  segments: { highTouchArr: 50_000, mediumTouchArr: 10_000 },
  // "First value": the onboarding milestone; nudges stop once it is reached.
  milestones: { firstValue: { activeUsers: 3, features: 2 } },
  // Your CSMs: an account's `owner` names one (POST /v1/accounts `owner`, an `Owner` column, traits.owner);
  // alerts and the daily digest reach them (docs/alerts.md).
  csms: [
    { id: 'alex', name: 'Alex Martin', email: 'alex@acme.example' },
    { id: 'sam', name: 'Sam Lee', email: 'sam@acme.example', capacity: 40 },
    { id: 'dana', name: 'Dana Reyes', email: 'dana@acme.example', slackUserId: 'U0DANA01' },
  ],
  // Who owns a new account that arrives without an owner (docs/api.md, "Owners, tasks and notes"):
  // assignment: [{ segments: ['high-touch', 'medium-touch'], pool: ['alex', 'sam'], strategy: 'fewest-accounts' }],
  // Alerts in Slack: the bot token goes in the secret tend/<stack>/slack-bot-token after deploying
  // (docs/alerts.md); without `slack`, only the email digest goes out.
  alerts: {
    slack: {},
    routes: { 'task.created': ['owner'], 'account.red': ['owner', '#cs-alerts'], 'renewal.at-risk': ['owner', '#renewals'] },
    // fallbackChannel: '#cs-alerts', // where owner alerts of accounts without an owner (or one without Slack) go
  },
  // The built-in plays (onboarding, renewal, save, adoption, expansion, advocacy, re-engagement;
  // see docs/plays.md) all run. Turn one off with `false`, or replace it by giving it in full.
  plays: {
    // advocacy: false,
  },
});
