import { Duration, Stack } from 'aws-cdk-lib';
import { Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { PlayDefinition } from '../../functions/core/plays/definition.ts';
import { EVENT_SOURCE } from '../../functions/adapters/eventbridge-publisher.ts';
import { playDefinition, playTimeout } from '../../workflows/play.ts';
import type { DeadLetters } from './dead-letters.ts';
import { TendFunction } from './tend-function.ts';

/** The starter's consumer name: its dead letters are replayed into it (lib/constructs/dead-letters.ts). */
const STARTER = 'plays-starter';

/**
 * The plays: one Standard state machine per configured play, the function their steps call,
 * and the starter: EventBridge rules on Tend's bus for event-triggered plays, and a daily sweep
 * for date-anchored ones (renewals entering their window, onboarding a missed event left out).
 */
export class Plays extends Construct {
  readonly handler: TendFunction;
  readonly starter: TendFunction;
  readonly machines: Record<string, StateMachine> = {};

  constructor(
    scope: Construct,
    id: string,
    props: { plays: Record<string, PlayDefinition>; bus: IEventBus; sweepSchedule: string; templates: string; deadLetters: DeadLetters },
  ) {
    super(scope, id);
    // The steps send email: they carry the templates, precompiled.
    this.handler = new TendFunction(this, 'Steps', {
      entry: 'functions/plays/handler.ts',
      description: 'Tend plays: begin, run a step, complete, record a failure',
      templates: props.templates,
    });
    this.starter = new TendFunction(this, 'Starter', {
      entry: 'functions/plays/trigger.ts',
      description: 'Tend plays: start runs from events and the daily sweep',
      timeout: Duration.minutes(15),
    });
    for (const play of Object.values(props.plays)) {
      // Each machine in its own construct, so state names only need to be unique within a play.
      const scopeOfPlay = new Construct(this, `Play-${play.id}`);
      this.machines[play.id] = new StateMachine(scopeOfPlay, 'StateMachine', {
        stateMachineName: `${Stack.of(this).stackName}-${play.id}`.slice(0, 80),
        stateMachineType: StateMachineType.STANDARD,
        definitionBody: DefinitionBody.fromChainable(playDefinition(scopeOfPlay, this.handler, play)),
        timeout: playTimeout(play),
        tracingEnabled: true,
        logs: { destination: new LogGroup(scopeOfPlay, 'Logs', { retention: RetentionDays.ONE_MONTH }), level: LogLevel.ERROR },
        comment: play.description,
      });
    }
    this.bindRunner(this.starter);

    const eventPlays = Object.values(props.plays).filter((p) => p.trigger.on !== 'date');
    for (const play of eventPlays) {
      const t = play.trigger;
      const detail = t.on === 'tier.changed' ? { band: t.to } : t.on === 'flag.started' ? { flag: t.flags } : undefined;
      new Rule(this, `Start-${play.id}`, {
        eventBus: props.bus,
        description: `Starts the ${play.id} play`,
        eventPattern: { source: [EVENT_SOURCE], detailType: [t.on], ...(detail ? { detail } : {}) },
        targets: [props.deadLetters.ruleTarget(STARTER, this.starter)],
      });
    }
    new Rule(this, 'StopOnChurn', {
      eventBus: props.bus,
      description: 'Ends every live play of a churned account',
      eventPattern: { source: [EVENT_SOURCE], detailType: ['account.churned'] },
      targets: [props.deadLetters.ruleTarget(STARTER, this.starter)],
    });
    new Schedule(this, 'Sweep', {
      description: 'Start date-anchored plays (renewals entering their window)',
      schedule: ScheduleExpression.expression(props.sweepSchedule),
      target: props.deadLetters.scheduleLambda(STARTER, this.starter, ScheduleTargetInput.fromObject({ sweep: true })),
    });
  }

  /** Lets a function start and stop runs of every play, and tells it which machine is which. */
  bindRunner(fn: LambdaFunction): void {
    for (const machine of Object.values(this.machines)) {
      machine.grantStartExecution(fn);
      machine.grantExecution(fn, 'states:StopExecution', 'states:DescribeExecution');
    }
    fn.addEnvironment(
      'PLAY_STATE_MACHINES',
      Stack.of(this).toJsonString(Object.fromEntries(Object.entries(this.machines).map(([id, m]) => [id, m.stateMachineArn]))),
    );
  }
}
