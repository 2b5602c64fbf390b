/** True for DynamoDB's ConditionalCheckFailedException, however the SDK bundle shaped it. */
export function isConditionalCheckFailed(err: unknown): boolean {
  return (err as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}
