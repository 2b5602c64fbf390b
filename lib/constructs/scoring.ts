import { Duration } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ACCOUNT_SHARDS } from '../../functions/data/keys.ts';
import { scoringDefinition } from '../../workflows/scoring.ts';
import type { DeadLetters } from './dead-letters.ts';
import { TendFunction } from './tend-function.ts';

/** Health scoring: the scorer function and the daily run over every shard, started by EventBridge Scheduler. */
export class Scoring extends Construct {
  readonly handler: TendFunction;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: { schedule: string; rescoreSchedule: string; deadLetters: DeadLetters }) {
    super(scope, id);
    this.handler = new TendFunction(this, 'Handler', {
      entry: 'functions/score/handler.ts',
      description: 'Tend health scoring of a batch of account shards',
      timeout: Duration.minutes(15),
      memorySize: 1024,
    });
    this.stateMachine = new StateMachine(this, 'DailyRun', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(scoringDefinition(this, this.handler)),
      timeout: Duration.hours(6),
      tracingEnabled: true,
      logs: { destination: new LogGroup(this, 'RunLogs', { retention: RetentionDays.ONE_MONTH }), level: LogLevel.ERROR },
    });
    new Schedule(this, 'Daily', {
      description: 'Score every account',
      schedule: ScheduleExpression.expression(props.schedule),
      target: props.deadLetters.scheduleExecution(
        'scoring-daily-run',
        this.stateMachine,
        ScheduleTargetInput.fromObject({ shards: Array.from({ length: ACCOUNT_SHARDS }, (_, i) => i) }),
      ),
    });
    // Between daily runs, accounts that received data are rescored soon after, once each.
    new Schedule(this, 'RescoreWithNewData', {
      description: 'Rescore accounts with new data',
      schedule: ScheduleExpression.expression(props.rescoreSchedule),
      target: props.deadLetters.scheduleLambda('scoring', this.handler, ScheduleTargetInput.fromObject({ dirty: true }), 0),
    });
  }
}
