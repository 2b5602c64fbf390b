/** Names shared by the dead-letter queues (lib/constructs/dead-letters.ts) and `tend redrive` (cli/redrive.ts), which finds them by these. */

/** The tags on each dead-letter queue, for a person in the console: the consumer it feeds and its kind. */
export const DEAD_LETTER_TAGS = { consumer: 'tend:consumer', kind: 'tend:consumer-kind' } as const;

/**
 * The SSM parameter listing every dead-letter queue of a stack: a JSON array of DeadLetterQueueEntry.
 * The target ARNs live here and not in queue tags: a tag naming the function would make the queue
 * depend on the function, whose role depends on the queue (a cycle).
 */
export const deadLetterParameterName = (stackName: string) => `/tend/${stackName}/dead-letter-queues`;

export interface DeadLetterQueueEntry {
  consumer: string;
  kind: 'lambda' | 'state-machine';
  queueUrl: string;
  /** The function or state machine a replay goes to, and the only one. */
  target: string;
}

/** Every dead-letter queue of a stack starts with this (the stack name carries the stage). */
export const deadLetterQueuePrefix = (stackName: string) => `${stackName}-dlq-`;

export const deadLetterQueueName = (stackName: string, consumer: string) => `${deadLetterQueuePrefix(stackName)}${consumer}`;
