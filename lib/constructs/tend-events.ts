import { Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Tend's own event bus: tier changes and flag starts/stops, for the playbooks to react to. */
export class TendEvents extends Construct {
  readonly bus: EventBus;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Named after the stack (and so the stage): CDK's default name is the construct path, the same in every stage.
    this.bus = new EventBus(this, 'Bus', { eventBusName: `${Stack.of(this).stackName}-events`, description: 'Tend: account health events' });
  }

  /** Lets a function publish on the bus, and tells it which bus. */
  bindPublisher(fn: LambdaFunction): void {
    this.bus.grantPutEventsTo(fn);
    fn.addEnvironment('EVENT_BUS_NAME', this.bus.eventBusName);
  }
}
