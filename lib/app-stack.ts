import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { TendConfig } from '../functions/core/config.ts';
import { EmailEvents } from './constructs/email-events.ts';
import { IngestApi } from './constructs/ingest-api.ts';
import { OnboardingJourney } from './constructs/onboarding-journey.ts';
import { Scoring } from './constructs/scoring.ts';
import { TendEvents } from './constructs/tend-events.ts';
import { UnsubscribeRoutes } from './constructs/unsubscribe-routes.ts';
import type { DataStack } from './data-stack.ts';

/** Functions, API, schedule and state machines, composed over the data stack's resources. */
export class AppStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & { config: TendConfig; data: DataStack }) {
    super(scope, id, props);
    const { table, email } = props.data;
    const api = new IngestApi(this, 'Api');
    const scoring = new Scoring(this, 'Scoring', { schedule: props.config.scoring.schedule, rescoreSchedule: props.config.scoring.rescoreSchedule });
    const events = new TendEvents(this, 'Events');
    const onboarding = new OnboardingJourney(this, 'Onboarding', { steps: props.config.journeys.onboarding.steps });

    for (const fn of [api.handler, scoring.handler, onboarding.handler]) table.bind(fn);
    onboarding.bindStarter(api.handler);
    email.bindSender(onboarding.handler, { table, publicApiUrl: props.config.email.unsubscribe.baseUrl ?? api.api.apiEndpoint });
    events.bindPublisher(scoring.handler);
    // Tech-touch email: the public unsubscribe routes and the SES events (docs/email.md).
    new UnsubscribeRoutes(this, 'Unsubscribe', { api: api.api, table, email });
    new EmailEvents(this, 'EmailEvents', { table });
  }
}
