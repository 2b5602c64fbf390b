import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { TendConfig } from '../functions/core/config.ts';
import { DeadLetters } from './constructs/dead-letters.ts';
import { EmailEvents } from './constructs/email-events.ts';
import { EmailReplies } from './constructs/email-replies.ts';
import { EmailSweep } from './constructs/email-sweep.ts';
import { IngestApi } from './constructs/ingest-api.ts';
import { OperationsAlarms } from './constructs/operations-alarms.ts';
import { OperationsDashboard } from './constructs/operations-dashboard.ts';
import { Plays } from './constructs/plays.ts';
import { Scoring } from './constructs/scoring.ts';
import { TendEvents } from './constructs/tend-events.ts';
import { UnsubscribeRoutes } from './constructs/unsubscribe-routes.ts';
import type { DataStack } from './data-stack.ts';
import { Notifier } from './constructs/notifier.ts';
import { POST_LOGOUT_PATH, REDIRECT_PATH, SignIn, WEB_SCOPES } from './constructs/sign-in.ts';
import { WebHosting } from './constructs/web-hosting.ts';
import { BUNDLED_CONFIG_CONTEXT, writeBundledConfig } from './bundled-config.ts';
import { writeTemplatesModule } from './templates-module.ts';
import { fileURLToPath } from 'node:url';

const buildDir = fileURLToPath(new URL('../.tend/build/', import.meta.url));

/** Functions, API, schedules, state machines and their alarms, composed over the data stack's resources. */
export class AppStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & { config: TendConfig; data: DataStack }) {
    super(scope, id, props);
    // Every function bundles the config validated here (TendFunction): set before any child exists.
    this.node.setContext(BUNDLED_CONFIG_CONTEXT, writeBundledConfig(props.config, buildDir));
    const { table, email } = props.data;
    // Every rule target, schedule and asynchronous invocation below takes its dead-letter queue from here.
    const deadLetters = new DeadLetters(this, 'DeadLetters');
    const api = new IngestApi(this, 'Api');
    const scoring = new Scoring(this, 'Scoring', {
      schedule: props.config.scoring.schedule,
      rescoreSchedule: props.config.scoring.rescoreSchedule,
      deadLetters,
    });
    const events = new TendEvents(this, 'Events');
    const plays = new Plays(this, 'Plays', {
      plays: props.config.plays,
      bus: events.bus,
      sweepSchedule: props.config.scoring.schedule,
      templates: writeTemplatesModule(props.config.templates, buildDir),
      deadLetters,
    });

    for (const fn of [api.handler, scoring.handler, plays.handler, plays.starter]) table.bind(fn);
    plays.bindRunner(api.handler);
    email.bindSender(plays.handler, { table, publicApiUrl: props.config.email.unsubscribe.baseUrl ?? api.api.apiEndpoint });
    for (const fn of [scoring.handler, api.handler, plays.handler]) events.bindPublisher(fn);
    // Tech-touch email: the public unsubscribe routes and the SES events (docs/email.md).
    const unsubscribe = new UnsubscribeRoutes(this, 'Unsubscribe', { api: api.api, table, email });
    const emailEvents = new EmailEvents(this, 'EmailEvents', { table, deadLetters });
    const emailSweep = new EmailSweep(this, 'EmailSweep', { table, deadLetters });
    const replies = props.config.email.replies;
    const emailReplies = replies ? new EmailReplies(this, 'EmailReplies', { table, address: replies.address, deadLetters }) : undefined;
    // Alerts in Slack and the CSM digest (issue 14, docs/alerts.md).
    const notifier = new Notifier(this, 'Notifier', {
      alerts: props.config.alerts,
      bus: events.bus,
      table,
      email,
      deadLetters,
      publicApiUrl: api.api.apiEndpoint,
    });
    // The web app and sign-in (issue 16, docs/auth.md): the API checks the user pool's access tokens besides API keys.
    const web = new WebHosting(this, 'Web', { api: api.api });
    const signIn = new SignIn(this, 'SignIn', { appOrigin: web.origin });
    for (const [name, value] of Object.entries(signIn.tokenCheckEnv)) api.handler.addEnvironment(name, value);
    web.deploy({
      apiBase: '',
      oidc: {
        authority: signIn.issuer,
        clientId: signIn.client.userPoolClientId,
        scope: WEB_SCOPES.map((s) => s.scopeName).join(' '),
        redirectPath: REDIRECT_PATH,
        postLogoutPath: POST_LOGOUT_PATH,
        endSessionEndpoint: signIn.signOutUrl(`${web.origin}${POST_LOGOUT_PATH}`),
      },
    });

    // What is watched, by the names the alarms carry (docs/operations.md).
    const alarms = new OperationsAlarms(this, 'Alarms', {
      functions: {
        api: api.handler,
        unsubscribe: unsubscribe.handler,
        scoring: scoring.handler,
        'plays-steps': plays.handler,
        'plays-starter': plays.starter,
        'email-events': emailEvents.handler,
        'email-sweep': emailSweep.handler,
        ...(emailReplies ? { 'email-replies': emailReplies.handler } : {}),
        notifier: notifier.handler,
        'sign-in-tokens': signIn.tokenTrigger,
      },
      machines: {
        'scoring-daily-run': { machine: scoring.stateMachine, watchAborted: true },
        ...Object.fromEntries(Object.entries(plays.machines).map(([id, machine]) => [`play-${id}`, { machine, watchAborted: false }])),
      },
      api: api.api,
      deadLetters,
      alarmEmail: props.config.operations.alarmEmail,
    });
    new OperationsDashboard(this, 'Dashboard', {
      api: api.api,
      apiHandler: api.handler,
      scoring: scoring.stateMachine,
      plays: plays.machines,
      deadLetters,
      alarms,
    });
  }
}
