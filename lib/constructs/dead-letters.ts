import { Duration, Lazy, Stack, Tags } from 'aws-cdk-lib';
import { LambdaFunction as LambdaRuleTarget } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DEAD_LETTER_TAGS, deadLetterParameterName, deadLetterQueueName, type DeadLetterQueueEntry } from '../operations/dead-letter-names.ts';

/** What a dead-letter queue's messages are replayed into: one function or one state machine. */
export type DeadLetterConsumer = { name: string; kind: 'lambda'; target: LambdaFunction } | { name: string; kind: 'state-machine'; target: IStateMachine };

export interface DeadLetterQueue {
  consumer: DeadLetterConsumer;
  queue: Queue;
}

/** How long EventBridge and Lambda keep retrying an event before it goes to the dead letters. */
const MAX_EVENT_AGE = Duration.hours(6);

/**
 * Every dead-letter queue of the stack, one per consumer, and the only place that knows which
 * consumer each feeds: EventBridge rule targets, EventBridge Scheduler schedules and asynchronous
 * Lambda invocations get their targets from here, so none can be added without one.
 *
 * Each queue is named `<stack>-dlq-<consumer>`; the SSM parameter `/tend/<stack>/dead-letter-queues` lists
 * each with its consumer's ARN: `tend redrive` (cli/redrive.ts) reads it and replays a queue into that ARN only.
 */
export class DeadLetters extends Construct {
  private readonly byConsumer = new Map<string, DeadLetterQueue>();
  private readonly asyncConfigured = new Set<LambdaFunction>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    new StringParameter(this, 'Index', {
      parameterName: deadLetterParameterName(stack.stackName),
      description: 'Tend dead-letter queues and the consumer each feeds (tend redrive reads this)',
      stringValue: Lazy.string({
        produce: () =>
          stack.toJsonString(
            this.queues.map(({ consumer, queue }): DeadLetterQueueEntry => ({
              consumer: consumer.name,
              kind: consumer.kind,
              queueUrl: queue.queueUrl,
              target: consumer.kind === 'lambda' ? consumer.target.functionArn : consumer.target.stateMachineArn,
            })),
          ),
      }),
    });
  }

  /** Every queue with its consumer, in creation order (alarms and the dashboard read this). */
  get queues(): DeadLetterQueue[] {
    return [...this.byConsumer.values()];
  }

  /** The consumer's queue, created on first use. */
  queueFor(consumer: DeadLetterConsumer): Queue {
    const known = this.byConsumer.get(consumer.name);
    if (known) {
      if (known.consumer.target !== consumer.target) throw new Error(`dead letters: consumer name ${consumer.name} is already used by another target`);
      return known.queue;
    }
    const stack = Stack.of(this);
    const queue = new Queue(this, consumer.name, {
      queueName: deadLetterQueueName(stack.stackName, consumer.name),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // SQS's longest: two weeks to notice the alarm and redrive.
      retentionPeriod: Duration.days(14),
    });
    Tags.of(queue).add(DEAD_LETTER_TAGS.consumer, consumer.name);
    Tags.of(queue).add(DEAD_LETTER_TAGS.kind, consumer.kind);
    this.byConsumer.set(consumer.name, { consumer, queue });
    return queue;
  }

  /**
   * A function invoked asynchronously (by EventBridge, Scheduler or SES): after Lambda's own
   * retries, the failed invocation record goes to the function's queue (an on-failure destination).
   */
  asyncInvoked(name: string, fn: LambdaFunction): Queue {
    const queue = this.queueFor({ name, kind: 'lambda', target: fn });
    if (!this.asyncConfigured.has(fn)) {
      fn.configureAsyncInvoke({ onFailure: new SqsDestination(queue), retryAttempts: 2, maxEventAge: MAX_EVENT_AGE });
      this.asyncConfigured.add(fn);
    }
    return queue;
  }

  /** An EventBridge rule target invoking `fn`: what EventBridge cannot deliver, and what the function fails, end in its queue. */
  ruleTarget(name: string, fn: LambdaFunction): LambdaRuleTarget {
    const deadLetterQueue = this.asyncInvoked(name, fn);
    return new LambdaRuleTarget(fn, { deadLetterQueue, retryAttempts: 8, maxEventAge: MAX_EVENT_AGE });
  }

  /** A schedule target invoking `fn` asynchronously with `input`. */
  scheduleLambda(name: string, fn: LambdaFunction, input: ScheduleTargetInput, retryAttempts = 2): LambdaInvoke {
    const deadLetterQueue = this.asyncInvoked(name, fn);
    return new LambdaInvoke(fn, { input, retryAttempts, maxEventAge: MAX_EVENT_AGE, deadLetterQueue });
  }

  /** A schedule target starting an execution of `machine` with `input`. */
  scheduleExecution(name: string, machine: IStateMachine, input: ScheduleTargetInput, retryAttempts = 2): StepFunctionsStartExecution {
    const deadLetterQueue = this.queueFor({ name, kind: 'state-machine', target: machine });
    return new StepFunctionsStartExecution(machine, { input, retryAttempts, maxEventAge: MAX_EVENT_AGE, deadLetterQueue });
  }
}
