/** Names shared by the dead-letter queues (lib/constructs/dead-letters.ts) and `tend redrive` (cli/redrive.ts), which finds them by these. */

/** The tags on each dead-letter queue, for a person in the console: the consumer it feeds and its kind. */
export const DEAD_LETTER_TAGS = { consumer: 'tend:consumer', kind: 'tend:consumer-kind' } as const;

/**
 * The app stack's output listing every dead-letter queue: a JSON array of DeadLetterQueueOutput. The
 * target ARNs live here and not in queue tags: a tag naming the function would make the queue depend
 * on the function, whose role depends on the queue (a cycle).
 */
export const DEAD_LETTER_OUTPUT = 'DeadLetterQueues';

export interface DeadLetterQueueOutput {
  consumer: string;
  kind: 'lambda' | 'state-machine';
  queueUrl: string;
  /** The function or state machine a replay goes to, and the only one. */
  target: string;
}

/** Every dead-letter queue of a stack starts with this (the stack name carries the stage). */
export const deadLetterQueuePrefix = (stackName: string) => `${stackName}-dlq-`;

export const deadLetterQueueName = (stackName: string, consumer: string) => `${deadLetterQueuePrefix(stackName)}${consumer}`;
